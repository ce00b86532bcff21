"""The journal for staff: events in Russian, filtered by who, what, provider and dates, 50 a page, and as CSV.

Scoped by `require_staff`: a platform administrator sees every event; a provider's operator or viewer
sees the events of their providers and their own actions. A filter only narrows: a foreign provider in
it finds nothing, exactly like a missing one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cabinet import texts
from cabinet.models import AuditEvent, Provider, User
from cabinet.services import exports
from cabinet.services.access import StaffScope, require_staff
from cabinet.services.admin.audit_wording import Described, describe, details_text  # noqa: F401 (re-export)
from cabinet.services.calendar import start_of_local_day
from cabinet.services.ids import parse_id
from cabinet.services.transactions import transactional

PAGE_SIZE = 50
GROUP_PREFIX = "group:"
_CSV_BATCH = 500
_WHO_MAX = 100
_RUSSIAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


@dataclasses.dataclass(frozen=True)
class AuditQuery:
    """The journal's filters as typed: any text is accepted, what does not parse narrows to nothing or is ignored."""

    who: str = ""
    action: str = ""  # "" every action, a code, or "group:<key>" of texts.AUDIT["groups"]
    provider: str = ""  # "" every provider the actor sees, else a provider id
    date_from: str = ""  # a Moscow date, «2026-12-07» or «07.12.2026»
    date_to: str = ""
    page: int = 1


@dataclasses.dataclass(frozen=True)
class AuditRow:
    id: int
    created_at: dt.datetime
    who: str
    action: str
    label: str
    sentence: str
    provider: str
    address: str


@dataclasses.dataclass(frozen=True)
class AuditLog:
    rows: list[AuditRow]
    total: int
    page: int
    pages: int
    # The providers the actor sees, for the filter's choices: (id, name).
    providers: list[tuple[int, str]]
    # Field → Russian message for a filter that was not applied ("date_from", "date_to").
    errors: dict[str, str]


def parse_day(text: str) -> dt.date | None:
    """«2026-12-07» or «07.12.2026» → a date; "" → None; anything else raises ValueError."""
    text = (text or "").strip()
    if not text:
        return None
    match = _RUSSIAN_DATE.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    if len(text) != 10:
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def _bounds(query: AuditQuery) -> tuple[dt.datetime | None, dt.datetime | None, dict[str, str]]:
    """[since, until) in UTC from the Moscow dates, and a message for each date that could not be used."""
    errors: dict[str, str] = {}
    days: dict[str, dt.date | None] = {}
    for field in ("date_from", "date_to"):
        try:
            days[field] = parse_day(getattr(query, field))
        except ValueError:
            days[field], errors[field] = None, texts.AUDIT["date_invalid"]
    first, last = days["date_from"], days["date_to"]
    if first and last and last < first:
        errors["date_to"] = texts.AUDIT["date_order"]
        last = None
    since = start_of_local_day(first) if first else None
    until = start_of_local_day(last + dt.timedelta(days=1)) if last else None
    return since, until, errors


def _codes(action: str) -> list[str] | None:
    """The codes an action filter names; None for every action."""
    if not action:
        return None
    if action.startswith(GROUP_PREFIX):
        group = texts.AUDIT["groups"].get(action.removeprefix(GROUP_PREFIX))
        return list(group[1]) if group else []
    return [action[:64]]


def _statement(session: Session, scope: StaffScope, query: AuditQuery, since, until):
    """The events this actor may see that match the filters (no order, no paging)."""
    statement = select(AuditEvent).join(User, col(User.id) == AuditEvent.actor_user_id, isouter=True)
    if not scope.is_platform_admin:
        statement = statement.where(
            sa.or_(scope.visible(col(AuditEvent.provider_id)), col(AuditEvent.actor_user_id) == scope.user_id)
        )
    if query.provider:
        provider_id = parse_id(query.provider)
        # A foreign provider finds nothing, like one that does not exist.
        statement = statement.where(col(AuditEvent.provider_id) == (provider_id if scope.sees(provider_id) else -1))
    codes = _codes(query.action)
    if codes is not None:
        statement = statement.where(col(AuditEvent.action).in_(codes) if codes else sa.false())
    who = " ".join(query.who.split())[:_WHO_MAX]
    if who:
        lowered = who.lower()
        statement = statement.where(
            sa.or_(
                func.lower(col(User.email)).contains(lowered, autoescape=True),
                func.lower(col(User.full_name)).contains(lowered, autoescape=True),
                # SQLite lowers ASCII only: «Анна» is found as typed, too.
                col(User.full_name).contains(who, autoescape=True),
            )
        )
    if since is not None:
        statement = statement.where(col(AuditEvent.created_at) >= since)
    if until is not None:
        statement = statement.where(col(AuditEvent.created_at) < until)
    return statement


def _ordered(statement):
    return statement.order_by(col(AuditEvent.created_at).desc(), col(AuditEvent.id).desc())


def _rows(session: Session, events: list[AuditEvent]) -> list[AuditRow]:
    return [
        AuditRow(
            event.id or 0,
            event.created_at,
            described.who,
            event.action,
            described.label,
            described.sentence,
            described.provider,
            event.client_address,
        )
        for event, described in zip(events, describe(session, events), strict=True)
    ]


def visible_providers(session: Session, scope: StaffScope) -> list[tuple[int, str]]:
    rows = session.exec(
        select(Provider.id, Provider.name).where(scope.visible(col(Provider.id))).order_by(col(Provider.name))
    ).all()
    return [(provider_id or 0, name) for provider_id, name in rows]


@transactional()
def audit_log(*, session: Session, actor_id: int, query: AuditQuery | None = None) -> AuditLog:
    """One page of the journal, newest first; a page past the end is the last one."""
    scope = require_staff(session, actor_id)
    query = query or AuditQuery()
    since, until, errors = _bounds(query)
    statement = _statement(session, scope, query, since, until)
    total = int(session.exec(statement.with_only_columns(func.count(col(AuditEvent.id))).order_by(None)).one())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, query.page if isinstance(query.page, int) else 1), pages)
    events = list(session.exec(_ordered(statement).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return AuditLog(_rows(session, events), total, page, pages, visible_providers(session, scope), errors)


@transactional()
def export_audit_log(*, session: Session, actor_id: int, query: AuditQuery | None = None) -> bytes:
    """Every event the filters find (not only one page) as a CSV for Excel: `;`, UTF-8 with BOM."""
    scope = require_staff(session, actor_id)
    query = query or AuditQuery()
    since, until, _errors = _bounds(query)
    statement = _ordered(_statement(session, scope, query, since, until))
    lines: list[list] = []
    offset = 0
    while True:
        events = list(session.exec(statement.offset(offset).limit(_CSV_BATCH)))
        lines.extend(
            [
                exports.local_time(row.created_at),
                row.who,
                row.label,
                row.provider,
                row.sentence,
                row.address,
                row.action,
            ]
            for row in _rows(session, events)
        )
        if len(events) < _CSV_BATCH:
            break
        offset += _CSV_BATCH
    return exports.csv_bytes(list(texts.AUDIT["csv_header"]), lines)
