"""Signing in and out: credentials checked without telling which addresses exist, failures counted towards a lock-out.

Sign-up and confirmation live in services/signups.py, password reset and change in
services/password_changes.py, the e-mail change in services/email_changes.py.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import User
from cabinet.services import sessions, signups, throttle
from cabinet.services.audit import record_event
from cabinet.services.identity import find_user_by_email
from cabinet.services.passwords import dummy_hash, hashes_passwords, verify_password
from cabinet.services.transactions import transactional


def authenticate(*, session: Session, email: str, password: str, now: dt.datetime, client_address: str = "") -> User:
    """The user for these credentials, or DomainError: sign_in_failed (one message for a wrong
    address or password), sign_in_locked, email_not_confirmed, account_blocked."""
    canonical = email.strip().lower()
    locked_until = throttle.sign_in_locked_until(
        session=session, email_canonical=canonical, client_address=client_address, now=now
    )
    if locked_until is not None:
        raise DomainError("sign_in_locked", until=locked_until)

    user = find_user_by_email(session=session, email_canonical=canonical)
    password_ok = verify_password(password, _password_hash_to_check(session, user))
    if user is None or not password_ok:
        throttle.record_attempt(
            session=session, email_canonical=canonical, client_address=client_address, succeeded=False, now=now
        )
        record_event(
            session=session,
            action="sign_in_failed",
            now=now,
            actor_user_id=user.id if user else None,
            client_address=client_address,
        )
        raise DomainError("sign_in_failed")
    # Only someone who knows the password learns the account's state.
    if user.is_blocked:
        raise DomainError("account_blocked", support=get_settings().support_email)
    if user.confirmed_at is None:
        # `email`: the address a new confirmation letter would go to, which the page offers.
        raise DomainError("email_not_confirmed", email=user.email)
    throttle.record_attempt(
        session=session, email_canonical=canonical, client_address=client_address, succeeded=True, now=now
    )
    record_event(session=session, action="sign_in", now=now, actor_user_id=user.id, client_address=client_address)
    return user


def _password_hash_to_check(session: Session, user: User | None) -> str:
    if user is None:
        return dummy_hash()
    if user.confirmed_at is None:
        # Before confirmation only the newest pending sign-up's password is told «not confirmed»;
        # it still signs no one in, and one check per attempt keeps the timing the same.
        return signups.pending_password_hash(session=session, user=user)
    return user.password_hash


# A refused attempt is still committed: it counts towards the lock-out.
@transactional(keep_on=(DomainError,))
@hashes_passwords
def sign_in(
    *,
    session: Session,
    email: str,
    password: str,
    remember: bool,
    now: dt.datetime,
    client_address: str = "",
    user_agent: str = "",
) -> str:
    """Checks the credentials and starts a session; returns the browser's session token."""
    user = authenticate(session=session, email=email, password=password, now=now, client_address=client_address)
    assert user.id is not None
    return sessions.start_session(
        session=session,
        user_id=user.id,
        remember=remember,
        now=now,
        client_address=client_address,
        user_agent=user_agent,
    )


@transactional()
def sign_out(*, session: Session, raw_token: str, now: dt.datetime) -> None:
    resolved = sessions.resolve_session(session=session, raw_token=raw_token, now=now)
    sessions.end_session(session=session, raw_token=raw_token, now=now)
    if resolved is not None:
        record_event(session=session, action="sign_out", now=now, actor_user_id=resolved[0].id)
