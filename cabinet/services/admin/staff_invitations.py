"""The invited person's link, /staff/invitation/<token>: checked, then a password set once and signed in."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlmodel import Session

from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import TokenPurpose, User
from cabinet.services import sessions, signups
from cabinet.services.admin.staff_members import staff_provider_id
from cabinet.services.audit import record_event
from cabinet.services.passwords import check_new_password, hash_password, hashes_passwords
from cabinet.services.tokens import LINK, check_usable, consume_token, find_token
from cabinet.services.transactions import transactional

INVITATION = TokenPurpose.staff_invitation
ACCEPT_PATH = "/staff/invitation/"


def unusable_password_hash() -> str:
    """A stored hash no password matches (bcrypt refuses it as malformed): the invited person sets theirs."""
    return "!" + secrets.token_hex(16)


def _invitation(session: Session, raw_token: str, now: dt.datetime) -> User:
    token = find_token(session=session, raw_token=raw_token, purpose=INVITATION)
    check_usable(token, now=now)
    user = session.get(User, token.user_id)
    if user is None or user.is_blocked:
        raise DomainError("token_invalid", field=LINK)
    return user


@transactional()
def check_invitation(*, session: Session, raw_token: str, now: dt.datetime) -> str:
    """The invited address, shown above the password form; token_invalid / token_used / token_expired otherwise."""
    return _invitation(session, raw_token, now).email


@transactional()
@hashes_passwords
def accept_invitation(
    *,
    session: Session,
    raw_token: str,
    password: str,
    password_repeat: str,
    now: dt.datetime,
    client_address: str = "",
    user_agent: str = "",
) -> str:
    """Sets the invited person's password, confirms the address, uses up the link and signs them in;
    returns the browser's session token. A refused password leaves the link working."""
    _invitation(session, raw_token, now)
    settings = get_settings()
    check_new_password(
        password, password_repeat, min_length=settings.password_min_length, max_length=settings.password_max_length
    )
    token = consume_token(session=session, raw_token=raw_token, purpose=INVITATION, now=now)
    user = session.get(User, token.user_id)
    assert user is not None and user.id is not None
    user.password_hash = hash_password(password)
    user.confirmed_at = user.confirmed_at or now
    user.updated_at = now
    session.add(user)
    # The link proved the mailbox: an unconfirmed sign-up of someone else with this address dies.
    signups.end_pending_signups(session=session, user_id=user.id, now=now)
    record_event(
        session=session,
        action="staff_invitation_accepted",
        now=now,
        actor_user_id=user.id,
        client_address=client_address,
        provider_id=staff_provider_id(session, user.id),
        target_type="user",
        target_id=user.id,
    )
    return sessions.start_session(
        session=session,
        user_id=user.id,
        remember=False,
        now=now,
        client_address=client_address,
        user_agent=user_agent,
    )
