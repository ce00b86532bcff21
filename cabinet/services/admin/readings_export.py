"""The readings export: a month's readings of one provider the acting staff member sees, for its billing.

A viewer may export; marking the readings as sent changes them, so `mark_sent` is for the provider's
operator (and the platform administrator) only — a viewer asking for it gets «не найдено»."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from cabinet.services import exports
from cabinet.services.access import require_staff
from cabinet.services.transactions import transactional


@transactional()
def export_readings(
    *, session: Session, actor_id: int, provider_id: object, period: dt.date, mark_sent: bool, now: dt.datetime
) -> bytes:
    """The month's readings as a CSV; with `mark_sent` residents can no longer change them."""
    scope = require_staff(session, actor_id)
    if mark_sent:
        provider = scope.provider_to_operate(session, provider_id)
    else:
        provider = scope.provider_to_see(session, provider_id)
    return exports.export_readings(
        session, provider_id=provider.id or 0, period=period, mark_sent=mark_sent, now=now, actor_user_id=actor_id
    )
