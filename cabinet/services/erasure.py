"""Closing a cabinet's data: deletes or empties every personal column as services/retention.py decides."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from sqlmodel import Session, col, delete, func, or_, select, update

from cabinet.models import (
    AccountLink,
    AuditEvent,
    DataArchive,
    LoginAttempt,
    LoginSession,
    MeterReading,
    OneTimeToken,
    OutgoingEmail,
    OwnershipFailure,
    Payment,
    PublicLetter,
    ReminderSent,
    User,
)

# Audit details that stay with a closed cabinet: money and readings (amounts, periods, ids — never a person).
KEPT_DETAIL_PREFIXES = ("payment_", "refund_", "reading_")
# The audit entries of an address change, whose details hold the resident's earlier addresses.
_ADDRESS_ACTIONS = ("email_changed", "email_change_requested")


def closed_address(user_id: int) -> str:
    """What a closed cabinet's address becomes: unique, and no address (no «@»), so nothing ever finds it."""
    return f"closed-{user_id}"


def resident_addresses(session: Session, user: User) -> set[str]:
    """Every address the cabinet had (lower-cased): the current one and those its address changes name."""
    addresses = {user.email_canonical}
    entries = session.exec(
        select(AuditEvent.details).where(
            AuditEvent.actor_user_id == user.id, col(AuditEvent.action).in_(_ADDRESS_ACTIONS)
        )
    )
    for details in entries:
        for value in json.loads(details or "{}").values():
            if isinstance(value, str) and "@" in value:
                addresses.add(value.strip().lower())
    # An earlier address someone else has signed up with since is theirs now: their letters and tries stay.
    taken = session.exec(
        select(User.email_canonical).where(col(User.email_canonical).in_(sorted(addresses)), User.id != user.id)
    )
    return addresses - set(taken)


def erase_resident(session: Session, user: User, *, now: dt.datetime) -> None:
    """Carries out CLOSURE_RULES for this resident in the caller's transaction (see services/closure.py)."""
    assert user.id is not None
    addresses = sorted(resident_addresses(session, user))
    _delete_rows(session, user.id, addresses)
    session.exec(update(MeterReading).where(col(MeterReading.user_id) == user.id).values(user_id=None))
    session.exec(update(Payment).where(col(Payment.user_id) == user.id).values(receipt_email=""))
    _clear_audit(session, user.id, addresses)
    _empty_user(user, now=now)
    session.add(user)
    session.flush()


def _delete_rows(session: Session, user_id: int, addresses: list[str]) -> None:
    for model in (OneTimeToken, LoginSession, AccountLink, OwnershipFailure, ReminderSent, DataArchive):
        session.exec(delete(model).where(model.user_id == user_id))  # type: ignore[attr-defined]
    session.exec(delete(LoginAttempt).where(col(LoginAttempt.email_canonical).in_(addresses)))
    session.exec(delete(PublicLetter).where(col(PublicLetter.recipient).in_(addresses)))
    # After reminders_sent, whose rows point at their letters.
    session.exec(delete(OutgoingEmail).where(func.lower(OutgoingEmail.to_address).in_(addresses)))


def _clear_audit(session: Session, user_id: int, addresses: list[str]) -> None:
    about_them = or_(
        col(AuditEvent.actor_user_id) == user_id,
        sa.and_(col(AuditEvent.target_type) == "user", col(AuditEvent.target_id) == str(user_id)),
    )
    session.exec(update(AuditEvent).where(col(AuditEvent.actor_user_id) == user_id).values(client_address=""))
    kept = or_(*(col(AuditEvent.action).startswith(prefix) for prefix in KEPT_DETAIL_PREFIXES))
    session.exec(update(AuditEvent).where(about_them, ~kept).values(details="{}"))
    # Someone else's entry may name an address (a letter limit hit by a stranger's sign-ups for it).
    naming = or_(
        *(
            func.lower(AuditEvent.details).contains(json.dumps(address, ensure_ascii=False)[1:-1], autoescape=True)
            for address in addresses
        )
    )
    session.exec(update(AuditEvent).where(naming).values(details="{}"))


def _empty_user(user: User, *, now: dt.datetime) -> None:
    assert user.id is not None
    user.email = ""
    user.email_canonical = closed_address(user.id)
    # No bcrypt hash at all: verify_password refuses every password against it.
    user.password_hash = ""
    user.full_name = user.phone = ""
    user.confirmed_at = None
    user.notify_payment_receipts = user.notify_reading_reminders = user.notify_window_closing = False
    user.notify_verification = user.notify_new_bill = False
    user.is_blocked = True
    user.updated_at = now
