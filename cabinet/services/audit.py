"""The audit trail: who did what, when, from where."""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel import Session

from cabinet.models import AuditEvent


def record_event(
    *,
    session: Session,
    action: str,
    now: dt.datetime,
    actor_user_id: int | None = None,
    client_address: str = "",
    target_type: str = "",
    target_id: object = "",
    details: dict | None = None,
    provider_id: int | None = None,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        created_at=now,
        actor_user_id=actor_user_id,
        client_address=client_address[:64],
        provider_id=provider_id,
        target_type=target_type,
        target_id=str(target_id),
        details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str),
    )
    session.add(event)
    return event
