"""Sign-up and e-mail confirmation; pending sign-ups of an unconfirmed address each carry their own password."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import OneTimeToken, TokenPurpose, User
from cabinet.services.account_letters import link_to, may_send, send_confirmation, send_letter
from cabinet.services.audit import record_event
from cabinet.services.identity import find_user_by_email, parse_email
from cabinet.services.passwords import check_new_password, dummy_hash, hash_password, hashes_passwords
from cabinet.services.tokens import LINK, check_usable, consume_token, find_token, issue_token, revoke_tokens
from cabinet.services.transactions import transactional

# Anyone may sign up with anyone's address. Until the mailbox owner opens a link, no sign-up's
# password is the account's: the link that is opened decides, and the others die with it.


@transactional()
@hashes_passwords
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
        raise DomainError("consent_required", field="consent")

    existing = find_user_by_email(session=session, email_canonical=address.canonical)
    if existing is not None:
        dummy_hash()
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
    if may_send(session, kind="confirm_email", to=address.canonical, client_address=client_address, now=now):
        token = issue_signup_link(session=session, user_id=user.id, password_hash=user.password_hash, now=now)
        send_confirmation(session, user, token, now)
    record_event(session=session, action="sign_up", now=now, actor_user_id=user.id, client_address=client_address)
    return address.display


def _sign_up_again(session: Session, user: User, *, password_hash: str, now: dt.datetime, client_address: str) -> None:
    """A sign-up of a taken address: an unconfirmed one gets one more pending sign-up with its
    own link, a confirmed one's owner is warned by letter."""
    assert user.id is not None
    kind = "confirm_email" if user.confirmed_at is None else "already_registered"
    if may_send(session, kind=kind, to=user.email_canonical, client_address=client_address, now=now):
        if user.confirmed_at is None:
            token = issue_signup_link(session=session, user_id=user.id, password_hash=password_hash, now=now)
            send_confirmation(session, user, token, now)
        else:
            send_letter(session, to=user.email, kind="already_registered", now=now, link=link_to("/forgot"))
    record_event(
        session=session,
        action="sign_up_existing_address",
        now=now,
        actor_user_id=user.id,
        client_address=client_address,
    )


@transactional()
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
    if not may_send(session, kind="confirm_email", to=user.email_canonical, client_address=client_address, now=now):
        return
    token = reissue_newest_signup(session=session, user=user, now=now)
    send_confirmation(session, user, token, now)


def confirm_email(*, session: Session, raw_token: str, now: dt.datetime, client_address: str = "") -> User:
    """Confirms the address behind a link. A refusal that a new letter would help names the
    address as `email` (an expired or replaced link); «already confirmed» needs none."""
    token = find_token(session=session, raw_token=raw_token, purpose=TokenPurpose.confirm_email)
    user = session.get(User, token.user_id)
    assert user is not None
    try:
        check_usable(token, now=now)
    except DomainError as problem:
        if problem.code == "token_used" and user.confirmed_at is not None:
            # The owner's id, never shown: a tab signed in as them may go on to connecting an account.
            raise DomainError("already_confirmed", field=LINK, user_id=user.id) from None
        raise DomainError(problem.code, field=LINK, email=user.email) from None
    consume_token(session=session, raw_token=raw_token, purpose=TokenPurpose.confirm_email, now=now)
    if user.confirmed_at is None:
        settle_signup(session=session, user=user, opened=token, now=now)
        user.confirmed_at = now
        user.updated_at = now
        session.add(user)
    record_event(
        session=session, action="email_confirmed", now=now, actor_user_id=user.id, client_address=client_address
    )
    return user


@dataclass(frozen=True)
class ConfirmedSignup:
    user_id: int
    email: str


@transactional()
def confirm_signup(*, session: Session, raw_token: str, now: dt.datetime, client_address: str = "") -> ConfirmedSignup:
    """/confirm/<token>: confirms the address (see confirm_email). The link signs no one in: the page
    asks for the password of this address, through auth.sign_in and its lock-out."""
    user = confirm_email(session=session, raw_token=raw_token, now=now, client_address=client_address)
    assert user.id is not None
    return ConfirmedSignup(user_id=user.id, email=user.email)


# --- pending sign-ups ----------------------------------------------------------------------------


def issue_signup_link(*, session: Session, user_id: int, password_hash: str, now: dt.datetime) -> str:
    """A confirmation link carrying this sign-up's password; other pending links stay alive,
    so a stranger signing up later cannot kill the owner's letter."""
    return issue_token(
        session=session,
        user_id=user_id,
        purpose=TokenPurpose.confirm_email,
        now=now,
        password_hash=password_hash,
        replace_earlier=False,
    )


def newest_signup(*, session: Session, user_id: int) -> OneTimeToken | None:
    return session.exec(
        select(OneTimeToken)
        .where(OneTimeToken.user_id == user_id, OneTimeToken.purpose == TokenPurpose.confirm_email)
        .order_by(col(OneTimeToken.created_at).desc(), col(OneTimeToken.id).desc())
        .limit(1)
    ).first()


def pending_password_hash(*, session: Session, user: User) -> str:
    """The password of the newest sign-up whose letter went out (links from before sign-ups
    kept their password carry none: then the account's own)."""
    assert user.id is not None
    newest = newest_signup(session=session, user_id=user.id)
    return newest.password_hash if newest is not None and newest.password_hash else user.password_hash


def reissue_newest_signup(*, session: Session, user: User, now: dt.datetime) -> str:
    """A fresh link for the newest sign-up; it replaces that sign-up's previous link only."""
    assert user.id is not None
    password_hash = pending_password_hash(session=session, user=user)
    newest = newest_signup(session=session, user_id=user.id)
    if newest is not None and newest.used_at is None:
        newest.used_at = now
        session.add(newest)
    return issue_signup_link(session=session, user_id=user.id, password_hash=password_hash, now=now)


def settle_signup(*, session: Session, user: User, opened: OneTimeToken, now: dt.datetime) -> None:
    """The mailbox owner opened this sign-up's link: its password becomes the account's, and
    every other pending sign-up dies (its link stops working, its password never works)."""
    assert user.id is not None
    if opened.password_hash:
        user.password_hash = opened.password_hash
        session.add(user)
    end_pending_signups(session=session, user_id=user.id, now=now)


def end_pending_signups(*, session: Session, user_id: int, now: dt.datetime) -> None:
    revoke_tokens(session=session, user_id=user_id, purpose=TokenPurpose.confirm_email, now=now)
