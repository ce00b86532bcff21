"""Residents on the admin side: search, one resident's detail, blocking, a new confirmation letter; a closed
cabinet shows when and by whom it was closed (closing itself: services/closure.py).

The platform administrator sees every user. A provider's operator or viewer sees the residents linked
(AccountLink) to an account of their providers, and in a resident's detail only the links and payments of
those providers; anyone else's id is «не найдено», exactly like a missing one.

Blocking (and unblocking) and resending the confirmation letter change the resident, so a viewer never may.
An operator may, for a resident (not staff, not an administrator) linked to a provider they operate: the
block is platform-wide — support of that provider deals with the resident — and is audited with the
operator as actor. Staff accounts are the platform administrator's to block."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlmodel import Session, col, func, or_, select

from cabinet.errors import DomainError
from cabinet.models import (
    AccountLink,
    AuditEvent,
    LoginSession,
    Payment,
    PaymentPart,
    ProviderAccount,
    StaffMembership,
    User,
    UserRole,
)
from cabinet.services import closure, sessions
from cabinet.services.access import StaffScope, require_staff
from cabinet.services.accounts import links_of, normalize_account_number
from cabinet.services.audit import record_event
from cabinet.services.identity import shown_email
from cabinet.services.ids import get_by_id
from cabinet.services.signups import resend_confirmation
from cabinet.services.transactions import transactional

SIGN_IN_ACTIONS = ("sign_in", "sign_in_failed")


def user_state(user: User) -> str:
    """One word for a user's standing, the first that applies: closed, blocked, unconfirmed, admin or active."""
    if user.closed_at is not None:
        return "closed"
    if user.is_blocked:
        return "blocked"
    if user.confirmed_at is None:
        return "unconfirmed"
    return "admin" if user.role == UserRole.admin else "active"


@dataclasses.dataclass(frozen=True)
class ResidentRow:
    id: int
    email: str
    full_name: str
    state: str
    created_at: dt.datetime


@dataclasses.dataclass(frozen=True)
class LinkedAccount:
    provider: str
    number: str
    address: str


@dataclasses.dataclass(frozen=True)
class ResidentPayment:
    id: int
    amount_kopecks: int
    status: str
    created_at: dt.datetime


@dataclasses.dataclass(frozen=True)
class SignIn:
    action: str
    created_at: dt.datetime
    client_address: str


@dataclasses.dataclass(frozen=True)
class Closure:
    """When and by whom a cabinet was closed: `by` is the administrator's address, "" for the resident."""

    closed_at: dt.datetime
    by: str
    reason: str


@dataclasses.dataclass(frozen=True)
class ResidentDetail:
    id: int
    email: str
    full_name: str
    state: str
    blocked: bool
    confirmed: bool
    sessions_active: int
    links: list[LinkedAccount]
    payments: list[ResidentPayment]
    sign_ins: list[SignIn]
    # Whether the acting staff member may block them or resend their letter (the page shows those buttons).
    may_change: bool = False
    closure: Closure | None = None
    # Whether the acting staff member may close the cabinet on a written request (a platform administrator).
    may_close: bool = False


def _row(user: User) -> ResidentRow:
    return ResidentRow(user.id or 0, shown_email(user), user.full_name, user_state(user), user.created_at)


@transactional()
def search_residents(*, session: Session, actor_id: int, query: str, limit: int = 50) -> list[ResidentRow]:
    """By e-mail, name or a linked account's number, within the scope; the newest first."""
    scope = require_staff(session, actor_id)
    text = query.strip()
    statement = select(User).order_by(col(User.created_at).desc()).limit(limit)
    if not scope.is_platform_admin:
        statement = statement.where(col(User.id).in_(_linked_users(scope.visible_ids or frozenset())))
    if text:
        pattern = f"%{text.lower()}%"
        number = normalize_account_number(text)
        by_account = (
            select(AccountLink.user_id)
            .join(ProviderAccount, col(ProviderAccount.id) == AccountLink.account_id)
            .where(col(ProviderAccount.number).contains(number) if number else False)
        )
        statement = statement.where(
            or_(
                col(User.email_canonical).like(pattern),
                func.lower(User.full_name).like(pattern),
                col(User.id).in_(by_account),
            )
        )
    return [_row(user) for user in session.exec(statement)]


def _linked_users(provider_ids: frozenset[int]):
    """The ids of the users linked to an account of one of these providers, for an IN clause."""
    return (
        select(AccountLink.user_id)
        .join(ProviderAccount, col(ProviderAccount.id) == AccountLink.account_id)
        .where(col(ProviderAccount.provider_id).in_(sorted(provider_ids)))
    )


def _user(session: Session, user_id: object, scope: StaffScope, *, change: bool = False) -> User:
    """A user this scope sees (may change, with `change`); «не найдено» for anyone else, as for a missing id."""
    user = get_by_id(session, User, user_id)
    if user is None:
        raise DomainError("not_found")
    if change and user.closed_at is not None:
        raise DomainError("closure_already_closed")
    if scope.is_platform_admin:
        return user
    providers = scope.operated_ids if change else scope.visible_ids
    linked = session.exec(_linked_users(providers or frozenset()).where(AccountLink.user_id == user.id)).first()
    if linked is None:
        raise DomainError("not_found")
    if change and (user.role != UserRole.resident or _is_staff(session, user)):
        raise DomainError("not_found")
    return user


def _is_staff(session: Session, user: User) -> bool:
    return session.exec(select(StaffMembership.id).where(StaffMembership.user_id == user.id)).first() is not None


def _detail(session: Session, user: User, now: dt.datetime, scope: StaffScope) -> ResidentDetail:
    # Each payment as far as the scope sees it: a provider's staff see only their own parts of it.
    payments = session.exec(
        select(Payment.id, func.sum(PaymentPart.amount_kopecks), Payment.status, Payment.created_at)
        .join(PaymentPart, col(PaymentPart.payment_id) == Payment.id)
        .where(Payment.user_id == user.id, scope.visible(PaymentPart.provider_id))
        .group_by(col(Payment.id), col(Payment.status), col(Payment.created_at))
        .order_by(col(Payment.created_at).desc())
        .limit(50)
    )
    sign_ins = session.exec(
        select(AuditEvent)
        .where(AuditEvent.actor_user_id == user.id, col(AuditEvent.action).in_(SIGN_IN_ACTIONS))
        .order_by(col(AuditEvent.created_at).desc())
        .limit(30)
    )
    active = session.exec(
        select(func.count())
        .select_from(LoginSession)
        .where(LoginSession.user_id == user.id, col(LoginSession.revoked_at).is_(None), LoginSession.expires_at > now)
    ).one()
    return ResidentDetail(
        id=user.id or 0,
        email=shown_email(user),
        full_name=user.full_name,
        state=user_state(user),
        blocked=user.is_blocked,
        confirmed=user.confirmed_at is not None,
        sessions_active=int(active),
        links=[
            LinkedAccount(provider.name, account.number, account.address)
            for _link, account, provider in links_of(session=session, user_id=user.id or 0)
            if scope.sees(provider.id)
        ],
        payments=[
            ResidentPayment(payment_id, int(amount), status.value, created_at)
            for payment_id, amount, status, created_at in payments
        ],
        sign_ins=[SignIn(e.action, e.created_at, e.client_address) for e in sign_ins],
        may_change=_may_change(session, user, scope) and user.closed_at is None,
        closure=_closure(session, user),
        may_close=scope.is_platform_admin and user.closed_at is None and user.id != scope.user_id,
    )


def _closure(session: Session, user: User) -> Closure | None:
    if user.closed_at is None:
        return None
    admin = session.get(User, user.closed_by_user_id) if user.closed_by_user_id is not None else None
    return Closure(user.closed_at, shown_email(admin) if admin is not None else "", user.closure_reason)


def _may_change(session: Session, user: User, scope: StaffScope) -> bool:
    try:
        _user(session, user.id, scope, change=True)
    except DomainError:
        return False
    return user.id != scope.user_id


@transactional()
def resident_detail(*, session: Session, actor_id: int, user_id: object, now: dt.datetime) -> ResidentDetail:
    scope = require_staff(session, actor_id)
    return _detail(session, _user(session, user_id, scope), now, scope)


@transactional()
def set_blocked(*, session: Session, actor_id: int, user_id: object, blocked: bool, now: dt.datetime) -> ResidentDetail:
    """Blocking also ends every session of the resident at once; returns the resident as they are now."""
    scope = require_staff(session, actor_id)
    user = _user(session, user_id, scope, change=True)
    if user.id == scope.user_id:
        raise DomainError("admin_cannot_block_self")
    user.is_blocked = blocked
    user.updated_at = now
    session.add(user)
    ended = sessions.end_sessions_of(session=session, user_id=user.id or 0, now=now) if blocked else 0
    record_event(
        session=session,
        action="user_blocked" if blocked else "user_unblocked",
        now=now,
        actor_user_id=actor_id,
        target_type="user",
        target_id=user.id,
        details={"sessions_ended": ended},
    )
    session.flush()
    return _detail(session, user, now, scope)


@transactional()
def close_on_request(
    *, session: Session, actor_id: int, user_id: object, reason: str, now: dt.datetime
) -> ResidentDetail:
    """A platform administrator closes a resident's cabinet on their written request (services/closure.py);
    returns the resident as they are now, closed."""
    closure.close_on_request(session=session, actor_id=actor_id, user_id=user_id, reason=reason, now=now)
    scope = require_staff(session, actor_id)
    return _detail(session, _user(session, user_id, scope), now, scope)


@transactional()
def resend_confirmation_for(*, session: Session, actor_id: int, user_id: object, now: dt.datetime) -> None:
    user = _user(session, user_id, require_staff(session, actor_id), change=True)
    if user.confirmed_at is not None:
        raise DomainError("admin_already_confirmed")
    resend_confirmation(session=session, email=user.email, now=now)
    record_event(
        session=session,
        action="confirmation_resent",
        now=now,
        actor_user_id=actor_id,
        target_type="user",
        target_id=user.id,
    )
