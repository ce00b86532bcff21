"""A resident's new e-mail address: asked for with the password, taken once the new mailbox confirms it."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from cabinet.errors import DomainError
from cabinet.models import TokenPurpose, User
from cabinet.services.account_letters import lifetime_hours, link_to, may_send, send_letter
from cabinet.services.audit import record_event
from cabinet.services.identity import find_user_by_email, parse_email
from cabinet.services.passwords import hashes_passwords, verify_password
from cabinet.services.tokens import LINK, consume_token, issue_token
from cabinet.services.transactions import transactional


@transactional()
@hashes_passwords
def request_email_change(
    *, session: Session, user_id: int, new_email: str, password: str, now: dt.datetime, client_address: str = ""
) -> str:
    """Mails a confirmation link to the new address and tells the old one; returns the new address."""
    user = session.get(User, user_id)
    if user is None:
        raise DomainError("not_found")
    address = parse_email(new_email)
    if address.canonical == user.email_canonical:
        raise DomainError("email_same", field="email")
    if not verify_password(password, user.password_hash):
        raise DomainError("password_wrong_current", field="current_password")
    if not may_send(session, kind="change_email", to=address.canonical, client_address=client_address, now=now):
        return address.display
    token = issue_token(
        session=session, user_id=user_id, purpose=TokenPurpose.change_email, now=now, new_email=address.display
    )
    send_letter(
        session,
        to=address.display,
        kind="change_email",
        now=now,
        link=link_to(f"/confirm-email/{token}"),
        hours=lifetime_hours(TokenPurpose.change_email),
    )
    send_letter(session, to=user.email, kind="email_change_requested", now=now, new_email=address.display)
    record_event(
        session=session,
        action="email_change_requested",
        now=now,
        actor_user_id=user_id,
        client_address=client_address,
        details={"new_email": address.display},
    )
    return address.display


@transactional()
def confirm_email_change(*, session: Session, raw_token: str, now: dt.datetime, client_address: str = "") -> str:
    """/confirm-email/<token>: the address becomes the account's; returns it."""
    token = consume_token(session=session, raw_token=raw_token, purpose=TokenPurpose.change_email, now=now)
    user = session.get(User, token.user_id)
    assert user is not None and token.new_email
    address = parse_email(token.new_email)
    taken = find_user_by_email(session=session, email_canonical=address.canonical)
    if taken is not None and taken.id != user.id:
        raise DomainError("email_taken", field=LINK)
    old_email = user.email
    user.email = address.display
    user.email_canonical = address.canonical
    user.updated_at = now
    session.add(user)
    record_event(
        session=session,
        action="email_changed",
        now=now,
        actor_user_id=user.id,
        client_address=client_address,
        details={"before": old_email, "after": address.display},
    )
    return address.display
