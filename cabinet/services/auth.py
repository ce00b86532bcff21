"""Residents' accounts: sign-up, e-mail confirmation, sign-in, password reset and change, e-mail change.

Every function is one unit of work on the Session it is given; the caller commits.
bcrypt is slow on purpose: callers run these functions in a worker thread.
"""

from __future__ import annotations

import datetime as dt
from sqlmodel import Session, select

from cabinet.config import get_settings
from cabinet.models import TokenPurpose, User
from cabinet.services import letter_limits, sessions, signups, throttle
from cabinet.services.audit import record_event
from cabinet.services.transactions import transactional
from cabinet.errors import DomainError
from cabinet.services.identity import parse_email
from cabinet.services.letters import render_letter
from cabinet.services.mail import queue_email
from cabinet.services.passwords import check_new_password, hash_password, verify_password
from cabinet.services.tokens import LIFETIMES, check_usable, consume_token, find_token, issue_token

# Unknown addresses are checked against this hash, so a wrong address takes as long as a
# wrong password and the timing does not tell which addresses have accounts.
_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("dummy0password")
    return _DUMMY_HASH


def _link(path: str) -> str:
    return f"{get_settings().public_url}{path}"


def _send(session: Session, *, to: str, kind: str, now: dt.datetime, link: str = "", **params: object) -> None:
    letter = render_letter(kind, link=link, support=get_settings().support_email, **params)
    queue_email(
        session=session,
        to_address=to,
        subject=letter.subject,
        text_body=letter.text_body,
        html_body=letter.html_body,
        now=now,
    )


def _hours(purpose: TokenPurpose) -> int:
    return int(LIFETIMES[purpose].total_seconds() // 3600)


def find_user_by_email(*, session: Session, email_canonical: str) -> User | None:
    return session.exec(select(User).where(User.email_canonical == email_canonical)).first()


def _may_send(session: Session, *, kind: str, to: str, client_address: str, now: dt.datetime) -> bool:
    """Whether a letter the public asked for may go (see services/letter_limits.py); when it
    may not, the caller sends nothing and answers as if it had."""
    return letter_limits.take_letter(session=session, kind=kind, recipient=to, client_address=client_address, now=now)


def _send_confirmation(session: Session, user: User, token: str, now: dt.datetime) -> None:
    _send(
        session,
        to=user.email,
        kind="confirm_email",
        now=now,
        link=_link(f"/confirm/{token}"),
        hours=_hours(TokenPurpose.confirm_email),
    )


# --- sign-up and confirmation ---------------------------------------------------------


def register(
    *,
    session: Session,
    email: str,
    password: str,
    password_repeat: str,
    consent: bool,
    now: dt.datetime,
    client_address: str = "",
) -> str:
    """Creates an unconfirmed resident and mails the link; returns the address to show.

    An address that already has an account gets the same answer; its owner is told by
    letter instead, so the form cannot be used to find out who is registered.
    """
    address = parse_email(email)
    settings = get_settings()
    check_new_password(
        password,
        password_repeat,
        min_length=settings.password_min_length,
        max_length=settings.password_max_length,
    )
    if not consent:
        raise DomainError("consent_required")

    existing = find_user_by_email(session=session, email_canonical=address.canonical)
    if existing is not None:
        _dummy_hash()
        # Same work as a real sign-up (no timing difference), and the hash this sign-up's link carries.
        _sign_up_again(session, existing, password_hash=hash_password(password), now=now, client_address=client_address)
        return address.display

    user = User(
        email=address.display,
        email_canonical=address.canonical,
        password_hash=hash_password(password),
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    session.flush()
    assert user.id is not None
    if _may_send(session, kind="confirm_email", to=address.canonical, client_address=client_address, now=now):
        token = signups.issue_signup_link(session=session, user_id=user.id, password_hash=user.password_hash, now=now)
        _send_confirmation(session, user, token, now)
    record_event(session=session, action="sign_up", now=now, actor_user_id=user.id, client_address=client_address)
    return address.display


def _sign_up_again(session: Session, user: User, *, password_hash: str, now: dt.datetime, client_address: str) -> None:
    """A sign-up of a taken address: an unconfirmed one gets one more pending sign-up with its
    own link, a confirmed one's owner is warned by letter."""
    assert user.id is not None
    kind = "confirm_email" if user.confirmed_at is None else "already_registered"
    if _may_send(session, kind=kind, to=user.email_canonical, client_address=client_address, now=now):
        if user.confirmed_at is None:
            token = signups.issue_signup_link(session=session, user_id=user.id, password_hash=password_hash, now=now)
            _send_confirmation(session, user, token, now)
        else:
            _send(session, to=user.email, kind="already_registered", now=now, link=_link("/forgot"))
    record_event(
        session=session, action="sign_up_existing_address", now=now,
        actor_user_id=user.id, client_address=client_address,
    )


def resend_confirmation(*, session: Session, email: str, now: dt.datetime, client_address: str = "") -> None:
    """Sends a fresh link for the newest sign-up if the address has an unconfirmed account.

    Says nothing either way; past the letter limit it silently sends nothing, so the
    limit cannot be used to probe addresses either.
    """
    try:
        address = parse_email(email)
    except DomainError:
        return
    user = find_user_by_email(session=session, email_canonical=address.canonical)
    if user is None or user.confirmed_at is not None or user.is_blocked:
        return
    if not _may_send(session, kind="confirm_email", to=user.email_canonical, client_address=client_address, now=now):
        return
    token = signups.reissue_newest_signup(session=session, user=user, now=now)
    _send_confirmation(session, user, token, now)


def confirm_email(*, session: Session, raw_token: str, now: dt.datetime, client_address: str = "") -> User:
    """Confirms the address behind a link. Raises DomainError with `email` when a new letter helps."""
    token = find_token(session=session, raw_token=raw_token, purpose=TokenPurpose.confirm_email)
    user = session.get(User, token.user_id)
    assert user is not None
    try:
        check_usable(token, now=now)
    except DomainError as problem:
        if problem.code == "token_used" and user.confirmed_at is not None:
            raise DomainError("already_confirmed", email=user.email) from None
        raise DomainError(problem.code, email=user.email) from None
    consume_token(session=session, raw_token=raw_token, purpose=TokenPurpose.confirm_email, now=now)
    if user.confirmed_at is None:
        signups.settle_signup(session=session, user=user, opened=token, now=now)
        user.confirmed_at = now
        user.updated_at = now
        session.add(user)
    record_event(session=session, action="email_confirmed", now=now, actor_user_id=user.id, client_address=client_address)
    return user


# --- sign-in ----------------------------------------------------------------------------


def authenticate(
    *, session: Session, email: str, password: str, now: dt.datetime, client_address: str = ""
) -> User:
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
            session=session, action="sign_in_failed", now=now,
            actor_user_id=user.id if user else None, client_address=client_address,
        )
        raise DomainError("sign_in_failed")
    # Only someone who knows the password learns the account's state.
    if user.is_blocked:
        raise DomainError("account_blocked", support=get_settings().support_email)
    if user.confirmed_at is None:
        raise DomainError("email_not_confirmed", email=user.email)
    throttle.record_attempt(
        session=session, email_canonical=canonical, client_address=client_address, succeeded=True, now=now
    )
    record_event(session=session, action="sign_in", now=now, actor_user_id=user.id, client_address=client_address)
    return user


def _password_hash_to_check(session: Session, user: User | None) -> str:
    if user is None:
        return _dummy_hash()
    if user.confirmed_at is None:
        # Before confirmation only the newest pending sign-up's password is told «not confirmed»;
        # it still signs no one in, and one check per attempt keeps the timing the same.
        return signups.pending_password_hash(session=session, user=user)
    return user.password_hash


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
        session=session, user_id=user.id, remember=remember, now=now,
        client_address=client_address, user_agent=user_agent,
    )


@transactional()
def sign_out(*, session: Session, raw_token: str, now: dt.datetime) -> None:
    resolved = sessions.resolve_session(session=session, raw_token=raw_token, now=now)
    sessions.end_session(session=session, raw_token=raw_token, now=now)
    if resolved is not None:
        record_event(session=session, action="sign_out", now=now, actor_user_id=resolved[0].id)


# --- forgotten and changed passwords ----------------------------------------------------


@transactional()
def request_password_reset(*, session: Session, email: str, now: dt.datetime, client_address: str = "") -> str:
    """Mails a reset link if the address has an account; answers the same either way: the address as typed,
    tidied, for «Письмо отправлено на …». A malformed address is refused (DomainError on «email»)."""
    address = parse_email(email)
    user = find_user_by_email(session=session, email_canonical=address.canonical)
    if user is None or user.is_blocked:
        return address.display
    assert user.id is not None
    if not _may_send(session, kind="reset_password", to=user.email_canonical, client_address=client_address, now=now):
        return address.display
    token = issue_token(session=session, user_id=user.id, purpose=TokenPurpose.reset_password, now=now)
    _send(
        session, to=user.email, kind="reset_password", now=now,
        link=_link(f"/reset/{token}"), hours=_hours(TokenPurpose.reset_password),
    )
    record_event(session=session, action="password_reset_requested", now=now, actor_user_id=user.id, client_address=client_address)
    return address.display


def check_reset_link(*, session: Session, raw_token: str, now: dt.datetime) -> None:
    """Raises token_invalid / token_used / token_expired before the form is even shown."""
    check_usable(find_token(session=session, raw_token=raw_token, purpose=TokenPurpose.reset_password), now=now)


def reset_password(
    *, session: Session, raw_token: str, password: str, password_repeat: str, now: dt.datetime, client_address: str = ""
) -> User:
    settings = get_settings()
    # Check the new password first: a typo must not burn the link.
    check_reset_link(session=session, raw_token=raw_token, now=now)
    check_new_password(
        password, password_repeat,
        min_length=settings.password_min_length, max_length=settings.password_max_length,
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
    _send(session, to=user.email, kind="password_changed", now=now)
    record_event(session=session, action="password_reset", now=now, actor_user_id=user.id, client_address=client_address)
    return user


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
        raise DomainError("password_wrong_current")
    settings = get_settings()
    check_new_password(
        new_password, new_password_repeat,
        min_length=settings.password_min_length, max_length=settings.password_max_length,
    )
    if new_password == current_password:
        raise DomainError("password_same")
    user.password_hash = hash_password(new_password)
    user.updated_at = now
    session.add(user)
    sessions.end_sessions_of(session=session, user_id=user_id, now=now, except_raw_token=current_session_token)
    _send(session, to=user.email, kind="password_changed", now=now)
    record_event(session=session, action="password_changed", now=now, actor_user_id=user_id, client_address=client_address)


# --- e-mail change ------------------------------------------------------------------------


def request_email_change(
    *, session: Session, user_id: int, new_email: str, password: str, now: dt.datetime, client_address: str = ""
) -> str:
    """Mails a confirmation link to the new address and tells the old one; returns the new address."""
    user = session.get(User, user_id)
    if user is None:
        raise DomainError("not_found")
    address = parse_email(new_email)
    if address.canonical == user.email_canonical:
        raise DomainError("email_same")
    if not verify_password(password, user.password_hash):
        raise DomainError("password_wrong_current")
    if not _may_send(session, kind="change_email", to=address.canonical, client_address=client_address, now=now):
        return address.display
    token = issue_token(
        session=session, user_id=user_id, purpose=TokenPurpose.change_email, now=now, new_email=address.display
    )
    _send(
        session, to=address.display, kind="change_email", now=now,
        link=_link(f"/confirm-email/{token}"), hours=_hours(TokenPurpose.change_email),
    )
    _send(session, to=user.email, kind="email_change_requested", now=now, new_email=address.display)
    record_event(
        session=session, action="email_change_requested", now=now, actor_user_id=user_id,
        client_address=client_address, details={"new_email": address.display},
    )
    return address.display


def confirm_email_change(*, session: Session, raw_token: str, now: dt.datetime, client_address: str = "") -> User:
    token = consume_token(session=session, raw_token=raw_token, purpose=TokenPurpose.change_email, now=now)
    user = session.get(User, token.user_id)
    assert user is not None and token.new_email
    address = parse_email(token.new_email)
    taken = find_user_by_email(session=session, email_canonical=address.canonical)
    if taken is not None and taken.id != user.id:
        raise DomainError("email_taken")
    old_email = user.email
    user.email = address.display
    user.email_canonical = address.canonical
    user.updated_at = now
    session.add(user)
    record_event(
        session=session, action="email_changed", now=now, actor_user_id=user.id, client_address=client_address,
        details={"before": old_email, "after": address.display},
    )
    return user
