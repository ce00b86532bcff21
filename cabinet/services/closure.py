"""Closing a cabinet: by the resident with their password, or by a platform administrator on a written request.

Closing is at once and for good: every session ends, the links go, no reminder or letter follows but the one
confirming it, and the personal data are deleted or emptied (services/retention.py says which and why) while
the payments, their receipts' data, the ledger and the money's audit stay, pointing at an emptied stub.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, func, select

from cabinet.errors import FORM, DomainError
from cabinet.models import AuditEvent, Payment, StaffMembership, User, UserRole
from cabinet.services.access import require_platform_admin
from cabinet.services.account_letters import send_letter
from cabinet.services.audit import record_event
from cabinet.services.erasure import erase_resident
from cabinet.services.ids import parse_id
from cabinet.services.passwords import hashes_passwords, verify_password
from cabinet.services.payments.status import AWAITING_GATEWAY
from cabinet.services.transactions import transactional

REASON_MIN_LENGTH = 5
REASON_MAX_LENGTH = 300
# Wrong passwords on the closing form, within the window, before it stops checking: a borrowed signed-in
# browser must not become a way to guess the password.
WRONG_PASSWORD_LIMIT = 5
WRONG_PASSWORD_WINDOW = dt.timedelta(minutes=15)


def _lock_resident(session: Session, user_id: object) -> User | None:
    """The user's row (by any raw id), locked till the end of the transaction: two closings, or a closing and a
    payment (services/payments/starting.py), one after the other, never interleaved."""
    parsed = parse_id(user_id)
    if parsed is None:
        return None
    return session.exec(select(User).where(User.id == parsed).with_for_update()).first()


def check_may_close(session: Session, user: User) -> None:
    """Refuses to close a closed cabinet, a staff member's, or one with a payment still open."""
    if user.closed_at is not None:
        raise DomainError("closure_already_closed")
    is_staff = session.exec(select(StaffMembership.id).where(StaffMembership.user_id == user.id)).first()
    if user.role != UserRole.resident or is_staff is not None:
        raise DomainError("closure_staff", field=FORM)
    # A payment YooKassa may still take money for: closing waits until it settles, so no money arrives for a
    # cabinet that is no more and no receipt goes to an address already erased.
    open_payment = session.exec(
        select(Payment.id).where(Payment.user_id == user.id, col(Payment.status).in_(AWAITING_GATEWAY))
    ).first()
    if open_payment is not None:
        raise DomainError("closure_payment_open", field=FORM)


def _close(session: Session, user: User, *, now: dt.datetime, closed_by: User | None, reason: str = "") -> None:
    assert user.id is not None
    address = user.email if user.confirmed_at is not None else ""
    erase_resident(session, user, now=now)
    if address:
        # Written after the erasure (which deletes every letter to the address); forgotten once it has gone.
        letter = send_letter(
            session, to=address, kind="cabinet_closed_by_admin" if closed_by else "cabinet_closed", now=now
        )
        letter.forget_after_sending = True
    user.closed_at = now
    user.closed_by_user_id = closed_by.id if closed_by else None
    user.closure_reason = reason
    session.add(user)
    record_event(
        session=session,
        action="cabinet_closed",
        now=now,
        actor_user_id=closed_by.id if closed_by else user.id,
        target_type="user",
        target_id=user.id,
        details={"by": "administrator" if closed_by else "resident"},
    )


def _check_tries(session: Session, user_id: int, now: dt.datetime) -> None:
    wrong = session.exec(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.actor_user_id == user_id,
            AuditEvent.action == "cabinet_closing_refused",
            AuditEvent.created_at > now - WRONG_PASSWORD_WINDOW,
        )
    ).one()
    if wrong >= WRONG_PASSWORD_LIMIT:
        raise DomainError("closure_too_many_tries", field="password")


@transactional(keep_on=(DomainError,))
@hashes_passwords
def close_own_cabinet(
    *, session: Session, user_id: int, password: str, confirmed: bool, now: dt.datetime, client_address: str = ""
) -> None:
    """The resident closes their cabinet from «Настройки»: the password again, and «I understand» ticked."""
    user = _lock_resident(session, user_id)
    if user is None or user.is_blocked:
        raise DomainError("not_found")
    if not password:
        raise DomainError("closure_password_required", field="password")
    _check_tries(session, user.id or 0, now)
    if not verify_password(password, user.password_hash):
        record_event(
            session=session,
            action="cabinet_closing_refused",
            now=now,
            actor_user_id=user.id,
            client_address=client_address,
        )
        raise DomainError("password_wrong_current", field="password")
    if not confirmed:
        raise DomainError("closure_not_confirmed", field="confirmed")
    check_may_close(session, user)
    _close(session, user, now=now, closed_by=None)


@transactional()
def close_on_request(*, session: Session, actor_id: int, user_id: object, reason: str, now: dt.datetime) -> None:
    """A platform administrator closes a resident's cabinet on their written request; `reason` names it
    (the request's number and date), and stays with the closed cabinet as the provider's proof."""
    admin = require_platform_admin(session, actor_id)
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN_LENGTH:
        raise DomainError("closure_reason_required", field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError("closure_reason_too_long", field="reason", limit=REASON_MAX_LENGTH)
    user = _lock_resident(session, user_id)
    if user is None:
        raise DomainError("not_found")
    if user.id == admin.id:
        raise DomainError("closure_staff", field=FORM)
    check_may_close(session, user)
    _close(session, user, now=now, closed_by=admin, reason=reason)
