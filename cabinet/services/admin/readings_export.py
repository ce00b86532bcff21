"""The readings export for operators: a month's readings of one provider, for its billing."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from cabinet.services import exports
from cabinet.services.providers import get_provider_for_admin
from cabinet.services.transactions import transactional


@transactional()
def export_readings(
    *, session: Session, actor_id: int, provider_id: object, period: dt.date, mark_sent: bool, now: dt.datetime
) -> bytes:
    """The month's readings as a CSV; with `mark_sent` residents can no longer change them."""
    provider = get_provider_for_admin(session=session, actor_id=actor_id, provider_id=provider_id)
    return exports.export_readings(
        session, provider_id=provider.id or 0, period=period, mark_sent=mark_sent, now=now, actor_user_id=actor_id
    )
