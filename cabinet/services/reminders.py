"""Which reminders are due, found set-based in SQL and recorded once each (reminders_sent), with their letters.

Every kind is one INSERT … SELECT into reminders_sent per provider window (or one for all accounts),
with ON CONFLICT DO NOTHING on the table's unique key and RETURNING the rows it made: a re-run, a
second runner at the same moment, a restart or a clock that jumps finds the key taken and makes no
row, so no letter. The letters of the new rows are queued in the same transaction
(services/reminder_letters.py), so a row never exists without its letter nor a letter without its row.

The clock is passed in. Residents' local time is Moscow (services/calendar.py): nothing is computed
between 21:00 and 09:00, and after a downtime only what is still current goes — the window that is
open now, a verification date still ahead or just passed, a bill raised in the last days — once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from cabinet.models import (
    AccountLink,
    Meter,
    MeterReading,
    Provider,
    ProviderAccount,
    ReminderKind,
    ReminderSent,
    User,
)
from cabinet.services.calendar import RESIDENT_ZONE, local_date
from cabinet.services.reading_rules import window_state
from cabinet.services.reminder_letters import queue_reminder_letters
from cabinet.services.transactions import transactional

QUIET_FROM = dt.time(21, 0)
QUIET_UNTIL = dt.time(9, 0)
VERIFICATION_NOTICE_DAYS = 30
# An expired verification is told for this long after the date, so a first run finds no years-old ones.
VERIFICATION_EXPIRED_DAYS = 30
# A bill raised longer ago than this is old news after a downtime: no letter.
NEW_BILL_FRESH = dt.timedelta(days=3)

_links, _users, _accounts = AccountLink.__table__, User.__table__, ProviderAccount.__table__
_providers, _meters, _readings = Provider.__table__, Meter.__table__, MeterReading.__table__
_sent = ReminderSent.__table__


@dataclass(frozen=True)
class ReminderReport:
    """How many reminders of each kind this pass queued (kind value → count)."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def is_quiet(now: dt.datetime) -> bool:
    """Whether it is night for the residents (21:00–09:00 Moscow): no reminder is sent then."""
    local = now.astimezone(RESIDENT_ZONE).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


@transactional()
def send_due_reminders(*, now: dt.datetime, session: Session, quiet_hours: bool = True) -> ReminderReport:
    """Records and queues every reminder due at `now` that was not sent before; nothing at night
    (unless `quiet_hours` is off: settings.reminders_quiet_hours)."""
    if quiet_hours and is_quiet(now):
        return ReminderReport(counts={})
    made: dict[ReminderKind, list[int]] = {kind: [] for kind in ReminderKind}
    for kind, statement in _statements(session, now):
        made[kind].extend(_insert(session, statement))
    new_ids = [reminder for ids in made.values() for reminder in ids]
    if new_ids:
        queue_reminder_letters(session, new_ids, now=now)
    return ReminderReport(counts={kind.value: len(ids) for kind, ids in made.items() if ids})


def _statements(session: Session, now: dt.datetime) -> list[tuple[ReminderKind, sa.Select]]:
    statements = _window_statements(session, now)
    statements += _verification_statements(now)
    statements.append((ReminderKind.new_bill, _new_bill(now)))
    return statements


def _insert(session: Session, select: sa.Select) -> list[int]:
    """INSERT … SELECT into reminders_sent skipping taken keys; the ids of the rows made."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(_sent)
        .from_select(["user_id", "account_id", "kind", "subject_id", "period", "created_at"], select)
        .on_conflict_do_nothing(index_elements=["user_id", "kind", "subject_id", "period"])
        .returning(_sent.c.id)
    )
    return [row[0] for row in session.execute(statement)]


def _linked(kind: ReminderKind, subject: sa.ColumnElement, period: sa.ColumnElement, now: dt.datetime) -> sa.Select:
    """The rows to record for every linked account of a confirmed, unblocked resident with an active provider."""
    return (
        sa.select(
            _links.c.user_id,
            _links.c.account_id,
            sa.literal(kind.value, sa.String(32)),
            subject,
            period,
            sa.literal(now, _sent.c.created_at.type),
        )
        .select_from(_links)
        .join(_users, _users.c.id == _links.c.user_id)
        .join(_accounts, _accounts.c.id == _links.c.account_id)
        .join(_providers, _providers.c.id == _accounts.c.provider_id)
        .where(_users.c.confirmed_at.is_not(None), _users.c.is_blocked.is_(False), _providers.c.is_active.is_(True))
    )


def _window_statements(session: Session, now: dt.datetime) -> list[tuple[ReminderKind, sa.Select]]:
    """Per provider whose window is open today: «opens», and «closes soon» within its last N days.

    A window that closed during a downtime is not open today, so nothing is said about it.
    """
    statements: list[tuple[ReminderKind, sa.Select]] = []
    today = local_date(now)
    providers = session.exec(
        select(Provider).where(
            Provider.is_active.is_(True), sa.or_(Provider.remind_window_opens, Provider.remind_window_closing)
        )
    )
    for provider in providers:
        state = window_state(provider, today)
        if not state.is_open:
            continue
        closing = provider.remind_window_closing and state.days_left <= provider.reminder_closing_days
        period = state.window.period
        if provider.remind_window_opens:
            # Within the last days the «closes soon» letter says it all: «opens» only to who will not get that.
            opens = _awaiting_reading(ReminderKind.window_opens, provider.id, period, now).where(
                _users.c.notify_reading_reminders.is_(True)
            )
            if closing:
                opens = opens.where(_users.c.notify_window_closing.is_(False))
            statements.append((ReminderKind.window_opens, opens))
        if closing:
            statements.append(
                (
                    ReminderKind.window_closing,
                    _awaiting_reading(ReminderKind.window_closing, provider.id, period, now).where(
                        _users.c.notify_window_closing.is_(True)
                    ),
                )
            )
    return statements


def _awaiting_reading(kind: ReminderKind, provider_id: int | None, period: dt.date, now: dt.datetime) -> sa.Select:
    """The provider's linked accounts that have a meter and no reading yet for `period`."""
    has_meter = sa.exists().where(_meters.c.account_id == _accounts.c.id)
    has_reading = (
        sa.exists()
        .select_from(_readings.join(_meters, _meters.c.id == _readings.c.meter_id))
        .where(_meters.c.account_id == _accounts.c.id, _readings.c.period == period)
    )
    stamp = sa.literal(period.isoformat(), sa.String(32))
    return _linked(kind, _accounts.c.id, stamp, now).where(
        _accounts.c.provider_id == provider_id, has_meter, ~has_reading
    )


def _verification_statements(now: dt.datetime) -> list[tuple[ReminderKind, sa.Select]]:
    """Meters whose verification date is within 30 days, and those whose date passed in the last 30 days.

    Keyed by the meter and its date: a meter verified again (a new date) is told again, once.
    """
    today = local_date(now)
    soon = sa.and_(
        _meters.c.verified_until >= today,
        _meters.c.verified_until <= today + dt.timedelta(days=VERIFICATION_NOTICE_DAYS),
    )
    expired = sa.and_(
        _meters.c.verified_until < today,
        _meters.c.verified_until >= today - dt.timedelta(days=VERIFICATION_EXPIRED_DAYS),
    )
    statements = []
    for kind, when in ((ReminderKind.verification_soon, soon), (ReminderKind.verification_expired, expired)):
        period = sa.cast(_meters.c.verified_until, sa.String(32))
        statement = (
            _linked(kind, _meters.c.id, period, now)
            .join(_meters, _meters.c.account_id == _accounts.c.id)
            .where(_users.c.notify_verification.is_(True), _providers.c.remind_verification.is_(True), when)
        )
        statements.append((kind, statement))
    return statements


def _new_bill(now: dt.datetime) -> sa.Select:
    """Accounts an import raised the debt of in the last days, keyed by the raise count: once per raise."""
    period = sa.cast(_accounts.c.debt_raises, sa.String(32))
    return _linked(ReminderKind.new_bill, _accounts.c.id, period, now).where(
        _users.c.notify_new_bill.is_(True),
        _providers.c.remind_new_bill.is_(True),
        _accounts.c.debt_raises > 0,
        _accounts.c.debt_kopecks > 0,
        _accounts.c.debt_raised_at > now - NEW_BILL_FRESH,
        _accounts.c.debt_raised_at <= now,
    )
