"""The audit log for operators: the latest events, filtered by action, each with its details as one line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from sqlmodel import Session, col, select

from cabinet.models import AuditEvent, User
from cabinet.services.access import require_operator
from cabinet.services.transactions import transactional


@dataclasses.dataclass(frozen=True)
class AuditRow:
    id: int
    created_at: dt.datetime
    who: str
    action: str
    target: str
    details: str
    address: str


@dataclasses.dataclass(frozen=True)
class AuditLog:
    rows: list[AuditRow]
    # Every action the log holds, for the filter's choices.
    actions: list[str]


@transactional()
def audit_log(*, session: Session, actor_id: int, action: str = "", limit: int = 200) -> AuditLog:
    """The newest events first; `action` "" for every action."""
    require_operator(session, actor_id)
    statement = (
        select(AuditEvent, User)
        .join(User, col(User.id) == AuditEvent.actor_user_id, isouter=True)
        .order_by(col(AuditEvent.created_at).desc(), col(AuditEvent.id).desc())
        .limit(limit)
    )
    if action:
        statement = statement.where(AuditEvent.action == action)
    rows = [
        AuditRow(
            event.id or 0,
            event.created_at,
            user.email if user else "—",
            event.action,
            f"{event.target_type} {event.target_id}".strip(),
            details_text(event),
            event.client_address,
        )
        for event, user in session.exec(statement)
    ]
    return AuditLog(rows, sorted(session.exec(select(AuditEvent.action).distinct()).all()))


def details_text(event: AuditEvent) -> str:
    """An event's details as one line: «name: А → Б; sessions_ended: 2»."""
    try:
        details = json.loads(event.details or "{}")
    except ValueError:
        return event.details
    parts = []
    for key, value in details.items():
        if key == "changed" and isinstance(value, dict):
            # {"name": [before, after]} → «name: А → Б»; a new object shows only what it got.
            parts.extend(
                f"{field}: {_shown(old)} → {_shown(new)}" if old is not None else f"{field}: {_shown(new)}"
                for field, (old, new) in value.items()
            )
        else:
            parts.append(f"{key}: {_shown(value)}")
    return "; ".join(parts)


def _shown(value: object) -> str:
    return "—" if value in (None, "") else str(value)
