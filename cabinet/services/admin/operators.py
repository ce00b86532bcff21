"""The first operator: `python -m cabinet create-admin` makes a confirmed admin, or promotes a user."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import User, UserRole
from cabinet.services.audit import record_event
from cabinet.services.identity import find_user_by_email, parse_email
from cabinet.services.passwords import check_new_password, hash_password, hashes_passwords
from cabinet.services.transactions import transactional


@transactional()
@hashes_passwords
def create_admin(*, session: Session, email: str, password: str, now: dt.datetime) -> User:
    """A new confirmed admin, or an existing user promoted; an existing admin is refused."""
    address = parse_email(email)
    settings = get_settings()
    check_new_password(
        password, password, min_length=settings.password_min_length, max_length=settings.password_max_length
    )
    user = find_user_by_email(session=session, email_canonical=address.canonical)
    if user is not None and user.role == UserRole.admin:
        # A typo'd script must not silently reset an operator's password.
        raise DomainError("admin_exists", email=user.email)
    if user is None:
        user = User(
            email=address.display,
            email_canonical=address.canonical,
            password_hash=hash_password(password),
            role=UserRole.admin,
            confirmed_at=now,
            created_at=now,
            updated_at=now,
        )
    else:
        user.role = UserRole.admin
        user.password_hash = hash_password(password)
        user.confirmed_at = user.confirmed_at or now
        user.is_blocked = False
        user.updated_at = now
    session.add(user)
    session.flush()
    record_event(session=session, action="admin_created", now=now, target_type="user", target_id=user.id)
    return user
