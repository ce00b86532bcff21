"""A forgotten password reset by an e-mailed link, and a known one changed in «Настройки»."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import TokenPurpose, User
from cabinet.services import sessions, signups
from cabinet.services.account_letters import lifetime_hours, link_to, may_send, send_letter
from cabinet.services.audit import record_event
from cabinet.services.identity import find_user_by_email, parse_email
from cabinet.services.passwords import check_new_password, hash_password, hashes_passwords, verify_password
from cabinet.services.tokens import check_usable, consume_token, find_token, issue_token
from cabinet.services.transactions import transactional


@transactional()
def request_password_reset(*, session: Session, email: str, now: dt.datetime, client_address: str = "") -> str:
    """Mails a reset link if the address has an account; answers the same either way: the address as typed,
    tidied, for «Письмо отправлено на …». A malformed address is refused (DomainError on «email»)."""
    address = parse_email(email)
    user = find_user_by_email(session=session, email_canonical=address.canonical)
    if user is None or user.is_blocked:
        return address.display
    assert user.id is not None
    if not may_send(session, kind="reset_password", to=user.email_canonical, client_address=client_address, now=now):
        return address.display
    token = issue_token(session=session, user_id=user.id, purpose=TokenPurpose.reset_password, now=now)
    send_letter(
        session,
        to=user.email,
        kind="reset_password",
        now=now,
        link=link_to(f"/reset/{token}"),
        hours=lifetime_hours(TokenPurpose.reset_password),
    )
    record_event(
        session=session,
        action="password_reset_requested",
        now=now,
        actor_user_id=user.id,
        client_address=client_address,
    )
    return address.display


@transactional()
def check_reset_link(*, session: Session, raw_token: str, now: dt.datetime) -> None:
    """Raises token_invalid / token_used / token_expired (on «link») before the form is even shown."""
    check_usable(find_token(session=session, raw_token=raw_token, purpose=TokenPurpose.reset_password), now=now)


@transactional()
@hashes_passwords
def reset_password(
    *, session: Session, raw_token: str, password: str, password_repeat: str, now: dt.datetime, client_address: str = ""
) -> None:
    """Sets the password the link's owner chose; every session of theirs ends."""
    settings = get_settings()
    # Check the new password first: a typo must not burn the link.
    check_reset_link(session=session, raw_token=raw_token, now=now)
    check_new_password(
        password,
        password_repeat,
        min_length=settings.password_min_length,
        max_length=settings.password_max_length,
    )
    token = consume_token(session=session, raw_token=raw_token, purpose=TokenPurpose.reset_password, now=now)
    user = session.get(User, token.user_id)
    assert user is not None and user.id is not None
    user.password_hash = hash_password(password)
    # Following the link proved the mailbox is theirs: pending sign-ups of others die.
    user.confirmed_at = user.confirmed_at or now
    signups.end_pending_signups(session=session, user_id=user.id, now=now)
    user.updated_at = now
    session.add(user)
    sessions.end_sessions_of(session=session, user_id=user.id, now=now)
    send_letter(session, to=user.email, kind="password_changed", now=now)
    record_event(
        session=session, action="password_reset", now=now, actor_user_id=user.id, client_address=client_address
    )


@transactional()
@hashes_passwords
def change_password(
    *,
    session: Session,
    user_id: int,
    current_password: str,
    new_password: str,
    new_password_repeat: str,
    now: dt.datetime,
    current_session_token: str,
    client_address: str = "",
) -> None:
    """Sets a new password; every other signed-in browser is signed out."""
    user = session.get(User, user_id)
    if user is None:
        raise DomainError("not_found")
    if not verify_password(current_password, user.password_hash):
        raise DomainError("password_wrong_current", field="current_password")
    settings = get_settings()
    check_new_password(
        new_password,
        new_password_repeat,
        min_length=settings.password_min_length,
        max_length=settings.password_max_length,
    )
    if new_password == current_password:
        raise DomainError("password_same", field="password")
    user.password_hash = hash_password(new_password)
    user.updated_at = now
    session.add(user)
    sessions.end_sessions_of(session=session, user_id=user_id, now=now, except_raw_token=current_session_token)
    send_letter(session, to=user.email, kind="password_changed", now=now)
    record_event(
        session=session, action="password_changed", now=now, actor_user_id=user_id, client_address=client_address
    )
