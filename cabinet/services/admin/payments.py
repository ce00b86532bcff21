"""Payments on the admin side: the filtered list with its total, one payment's detail, a check at YooKassa, the CSV.

Everything stays within the acting staff member's scope (services/access.py): a foreign provider's
payments are neither listed, counted, summed nor exported, and a foreign payment's id is «не найдено».
«Проверить в ЮKassa» writes, so it is for the payment provider's operator and the platform administrator."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import NamedTuple

from sqlmodel import Session, col, func, select

from cabinet.errors import DomainError
from cabinet.models import Payment, PaymentNotification, PaymentStatus, Provider, ProviderAccount, User
from cabinet.services import exports, payments
from cabinet.services.access import StaffScope, require_staff
from cabinet.services.audit import account_provider, record_event
from cabinet.services.ids import get_by_id, parse_id
from cabinet.services.periods import period_bounds
from cabinet.services.providers import ProviderRow, providers_in_scope
from cabinet.services.transactions import transactional


@dataclasses.dataclass(frozen=True)
class PaymentFilter:
    provider_id: int | None = None
    status: PaymentStatus | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def chosen_filter(*, provider: str, status: str, period: str, today: dt.date) -> PaymentFilter:
    """The payments page's three selects as a filter; «all» or a value that names nothing filters nothing."""
    since, until = period_bounds(period, today)
    known = status in {member.value for member in PaymentStatus}
    return PaymentFilter(
        provider_id=parse_id(provider), status=PaymentStatus(status) if known else None, since=since, until=until
    )


def _provider_filter(filters: PaymentFilter) -> int | None:
    """None for «all providers»; an id no provider can have (out of range) becomes 0, which matches none."""
    if filters.provider_id is None:
        return None
    return parse_id(filters.provider_id) or 0


@dataclasses.dataclass(frozen=True)
class PaymentRow:
    id: int
    created_at: dt.datetime
    provider: str
    account: str
    payer: str
    amount_kopecks: int
    status: str


class PaymentList(NamedTuple):
    """Payments newest first, with the count and sum of the succeeded ones among all that match."""

    rows: list[PaymentRow]
    count: int
    total_kopecks: int


def list_payments(*, session: Session, actor_id: int, filters: PaymentFilter, limit: int = 500) -> PaymentList:
    return _list_payments(session, require_staff(session, actor_id), filters, limit)


def _list_payments(session: Session, scope: StaffScope, filters: PaymentFilter, limit: int) -> PaymentList:
    statement = (
        select(Payment, ProviderAccount, Provider, User)
        .join(ProviderAccount, col(ProviderAccount.id) == Payment.account_id)
        .join(Provider, col(Provider.id) == ProviderAccount.provider_id)
        .join(User, col(User.id) == Payment.user_id)
        .where(scope.visible(Provider.id))
    )
    provider_id = _provider_filter(filters)
    if provider_id is not None:
        statement = statement.where(Provider.id == provider_id)
    if filters.status:
        statement = statement.where(Payment.status == filters.status)
    if filters.since:
        statement = statement.where(Payment.created_at >= filters.since)
    if filters.until:
        statement = statement.where(Payment.created_at < filters.until)
    rows = [
        PaymentRow(p.id or 0, p.created_at, provider.name, account.number, user.email, p.amount_kopecks, p.status.value)
        for p, account, provider, user in session.exec(statement.order_by(col(Payment.created_at).desc()).limit(limit))
    ]
    total_statement = (
        statement.with_only_columns(func.count(), func.coalesce(func.sum(Payment.amount_kopecks), 0))
        .where(Payment.status == PaymentStatus.succeeded)
        .order_by(None)
    )
    count, total = session.exec(total_statement).one()
    return PaymentList(rows, int(count), int(total))


@dataclasses.dataclass(frozen=True)
class PaymentsPage:
    payments: PaymentList
    providers: list[ProviderRow]


@transactional()
def payments_page(*, session: Session, actor_id: int, filters: PaymentFilter) -> PaymentsPage:
    """The list as filtered, and the providers in scope for the filter's choices."""
    scope = require_staff(session, actor_id)
    return PaymentsPage(_list_payments(session, scope, filters, 500), providers_in_scope(session, scope))


@dataclasses.dataclass(frozen=True)
class NotificationLine:
    received_at: dt.datetime
    event: str
    source_address: str
    outcome_text: str


@dataclasses.dataclass(frozen=True)
class PaymentDetail:
    id: int
    amount_kopecks: int
    status: str
    provider: str
    account: str
    payer: str
    created_at: dt.datetime
    paid_at: dt.datetime | None
    gateway_payment_id: str
    idempotency_key: str
    reason: str
    notifications: list[NotificationLine]
    # Whether the acting staff member may «Проверить в ЮKassa» (an operator of its provider, or the administrator).
    may_check: bool = False


def _payment(session: Session, payment_id: object, scope: StaffScope, *, operate: bool = False) -> Payment:
    """The payment when its provider is in scope (operated, for a change); «не найдено» for a foreign one too."""
    payment = get_by_id(session, Payment, payment_id)
    account = session.get(ProviderAccount, payment.account_id) if payment is not None else None
    if payment is None or account is None:
        raise DomainError("not_found")
    (scope.require_operated if operate else scope.require_visible)(account.provider_id)
    return payment


def _detail(session: Session, payment: Payment, scope: StaffScope) -> PaymentDetail:
    account = session.get(ProviderAccount, payment.account_id)
    provider = session.get(Provider, account.provider_id) if account else None
    user = session.get(User, payment.user_id)
    assert account is not None and provider is not None and user is not None
    # A payment never sent to YooKassa has no notifications of its own, not every stray one without an id.
    notifications = (
        session.exec(
            select(PaymentNotification)
            .where(PaymentNotification.gateway_payment_id == payment.gateway_payment_id)
            .order_by(col(PaymentNotification.received_at).desc())
        )
        if payment.gateway_payment_id
        else []
    )
    return PaymentDetail(
        id=payment.id or 0,
        amount_kopecks=payment.amount_kopecks,
        status=payment.status.value,
        provider=provider.name,
        account=account.number,
        payer=user.email,
        created_at=payment.created_at,
        paid_at=payment.paid_at,
        gateway_payment_id=payment.gateway_payment_id or "",
        idempotency_key=payment.idempotency_key,
        reason=payment.cancellation_reason or payments.failure_text(payment.failure_code),
        notifications=[
            NotificationLine(
                n.received_at, n.event or "", n.source_address, payments.outcome_text(n.outcome, n.outcome_status or "")
            )
            for n in notifications
        ],
        may_check=scope.operates(provider.id),
    )


@transactional()
def payment_detail(*, session: Session, actor_id: int, payment_id: object) -> PaymentDetail:
    scope = require_staff(session, actor_id)
    return _detail(session, _payment(session, payment_id, scope), scope)


@dataclasses.dataclass(frozen=True)
class GatewayCheck:
    """What «Проверить в YooKassa» found: the status now, whether it changed, and the payment as it is now."""

    changed: bool
    status: str
    detail: PaymentDetail


@transactional()
def check_at_gateway(
    *, session: Session, actor_id: int, payment_id: object, now: dt.datetime, gateway: payments.Gateway | None = None
) -> GatewayCheck:
    """Re-reads the payment from the API and applies its status."""
    scope = require_staff(session, actor_id)
    payment = _payment(session, payment_id, scope, operate=True)
    if not payment.gateway_payment_id or payment.status in payments.FINAL:
        # Nothing to ask the API about: a payment never created there, or one whose status is settled.
        applied = payments.Applied(False, payment.status)
    else:
        # Applied in a transaction of its own, with the payment row locked, as a notification is.
        applied = payments.refresh_from_gateway(payment.id or 0, gateway=gateway)
        session.refresh(payment)
    record_event(
        session=session,
        action="payment_checked_at_gateway",
        now=now,
        actor_user_id=actor_id,
        target_type="payment",
        target_id=payment.id,
        details={"status": applied.status.value},
        provider_id=account_provider(session, payment.account_id),
    )
    return GatewayCheck(applied.changed, applied.status.value, _detail(session, payment, scope))


@transactional()
def export_payments(*, session: Session, actor_id: int, filters: PaymentFilter, now: dt.datetime) -> bytes:
    """The payments list as a CSV for accountants (`;`, UTF-8 with BOM, safe in Excel); a viewer may export too."""
    scope = require_staff(session, actor_id)
    return exports.export_payments(
        session,
        provider_id=_provider_filter(filters),
        status=filters.status,
        since=filters.since,
        until=filters.until,
        actor_user_id=actor_id,
        now=now,
        within=scope.visible(Provider.id),
    )
