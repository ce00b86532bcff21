"""Builders for test rows with sensible defaults; each returns the flushed object."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlmodel import Session

from cabinet.models import User, UserRole
from cabinet.services.passwords import hash_password

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone.utc)
_numbers = itertools.count(1)


def make_user(
    session: Session,
    *,
    email: str | None = None,
    password: str = "secret12",
    confirmed: bool = True,
    blocked: bool = False,
    role: UserRole = UserRole.resident,
) -> User:
    email = email or f"resident{next(_numbers)}@example.com"
    user = User(
        email=email,
        email_canonical=email.lower(),
        password_hash=hash_password(password),
        confirmed_at=NOW if confirmed else None,
        is_blocked=blocked,
        role=role,
        created_at=NOW,
        updated_at=NOW,
    )
    session.add(user)
    session.flush()
    return user
