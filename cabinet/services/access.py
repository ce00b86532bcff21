"""Who may act as an operator: the server-side check behind every admin action."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from cabinet.errors import DomainError
from cabinet.models import User, UserRole
from cabinet.services.ids import get_by_id
from cabinet.services.sessions import is_operator_session
from cabinet.services.transactions import transactional


def require_operator(session: Session, actor_id: int | None) -> User:
    """The acting operator, re-read now; anyone else (a resident, a blocked operator, a made-up id) gets
    the same «не найдено» as a missing page, so the admin's existence is not confirmed to strangers."""
    user = get_by_id(session, User, actor_id)
    if user is None or user.role != UserRole.admin or user.is_blocked:
        raise DomainError("not_found")
    return user


@transactional()
def is_operator_token(*, session: Session, raw_token: str, now: dt.datetime) -> bool:
    """The /_upload guard's check: whether a browser token is a live session of an unblocked operator (reads only)."""
    return is_operator_session(session=session, raw_token=raw_token, now=now)
