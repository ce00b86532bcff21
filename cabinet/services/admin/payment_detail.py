"""One payment on the admin side: its parts and refunds as far as the staff member sees them, and a check at YooKassa.

A provider's staff see only their own parts of a payment for several accounts; a payment with no part
in scope is «не найдено», exactly like a missing id. «Проверить в ЮKassa» writes, so it is for an
operator of one of its providers and the platform administrator.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from sqlmodel import Session, col, select

from cabinet.errors import DomainError
from cabinet.gateways import GatewayError
from cabinet.models import (
    Payment,
    PaymentNotification,
    PaymentPart,
    PaymentStatus,
    Provider,
    ProviderAccount,
    Refund,
    RefundStatus,
    User,
)
from cabinet.services import payments
from cabinet.services.access import StaffScope, require_staff
from cabinet.services.audit import record_event
from cabinet.services.identity import shown_email
from cabinet.services.ids import get_by_id
from cabinet.services.payments.parts import parts_of, payment_providers
from cabinet.services.transactions import transactional

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class NotificationLine:
    received_at: dt.datetime
    event: str
    source_address: str
    outcome_text: str


@dataclasses.dataclass(frozen=True)
class PartLine:
    """A part of the payment the staff member sees, with what was refunded of it and what may still be."""

    id: int
    provider: str
    account: str
    amount_kopecks: int
    refunded_kopecks: int
    left_kopecks: int
    # The staff member may refund it: an operator of its provider (or the administrator), money left, paid.
    may_refund: bool


@dataclasses.dataclass(frozen=True)
class RefundLine:
    id: int
    part_id: int
    account: str
    amount_kopecks: int
    status: str
    reason: str
    requested_by: str
    created_at: dt.datetime
    gateway_refund_id: str


@dataclasses.dataclass(frozen=True)
class PaymentDetail:
    id: int
    # What the staff member sees of it: the whole payment for the administrator, their parts for provider staff.
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
    parts: list[PartLine] = dataclasses.field(default_factory=list)
    refunds: list[RefundLine] = dataclasses.field(default_factory=list)
    # The whole payment's amount and number of accounts (provider staff see only their parts of it).
    total_kopecks: int = 0
    parts_total: int = 1


def _payment(session: Session, payment_id: object, scope: StaffScope, *, operate: bool = False) -> Payment:
    """The payment when a part of it is in scope (operated, for a change); «не найдено» for a foreign one too."""
    payment = get_by_id(session, Payment, payment_id)
    if payment is None:
        raise DomainError("not_found")
    providers = payment_providers(session, payment.id or 0)
    allowed = scope.operates if operate else scope.sees
    if not any(allowed(provider_id) for provider_id in providers):
        raise DomainError("not_found")
    return payment


def _detail(session: Session, payment: Payment, scope: StaffScope) -> PaymentDetail:
    every_part = parts_of(session, payment.id or 0)
    parts = [(part, account, provider) for part, account, provider in every_part if scope.sees(provider.id)]
    user = session.get(User, payment.user_id)
    assert parts and user is not None
    _first, account, provider = parts[0]
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
        amount_kopecks=sum(part.amount_kopecks for part, _a, _p in parts),
        status=payment.status.value,
        provider=provider.name,
        account=account.number,
        payer=shown_email(user),
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
        may_check=any(scope.operates(p.id) for _part, _account, p in parts),
        parts=[_part_line(session, payment, part, account, p, scope) for part, account, p in parts],
        refunds=_refund_lines(session, payment, {part.id: account.number for part, account, _p in parts}),
        total_kopecks=payment.amount_kopecks if scope.is_platform_admin else 0,
        parts_total=len(every_part),
    )


def _part_line(
    session: Session,
    payment: Payment,
    part: PaymentPart,
    account: ProviderAccount,
    provider: Provider,
    scope: StaffScope,
) -> PartLine:
    refunded = payments.refunded_kopecks(session, part.id or 0, (RefundStatus.succeeded,))
    left = part.amount_kopecks - payments.refunded_kopecks(session, part.id or 0)
    return PartLine(
        id=part.id or 0,
        provider=provider.name,
        account=account.number,
        amount_kopecks=part.amount_kopecks,
        refunded_kopecks=refunded,
        left_kopecks=left,
        may_refund=scope.operates(provider.id) and payment.status == PaymentStatus.succeeded and left > 0,
    )


def _refund_lines(session: Session, payment: Payment, numbers: dict[int | None, str]) -> list[RefundLine]:
    """The refunds of the parts the staff member sees, newest first."""
    found = session.exec(
        select(Refund, User)
        .join(User, col(User.id) == Refund.requested_by, isouter=True)
        .where(Refund.payment_id == payment.id, col(Refund.part_id).in_([i for i in numbers if i is not None]))
        .order_by(col(Refund.created_at).desc(), col(Refund.id).desc())
    )
    return [
        RefundLine(
            id=refund.id or 0,
            part_id=refund.part_id,
            account=numbers.get(refund.part_id, ""),
            amount_kopecks=refund.amount_kopecks,
            status=refund.status.value,
            reason=refund.reason,
            requested_by=user.email if user is not None else "",
            created_at=refund.created_at,
            gateway_refund_id=refund.gateway_refund_id or "",
        )
        for refund, user in found
    ]


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
    _check_refunds(session, payment, scope, gateway)
    # One event per provider, as the payment's own events: each provider's journal shows the check.
    for provider_id in payment_providers(session, payment.id or 0):
        record_event(
            session=session,
            action="payment_checked_at_gateway",
            now=now,
            actor_user_id=actor_id,
            target_type="payment",
            target_id=payment.id,
            details={"status": applied.status.value},
            provider_id=provider_id,
        )
    return GatewayCheck(applied.changed, applied.status.value, _detail(session, payment, scope))


def _check_refunds(session: Session, payment: Payment, scope: StaffScope, gateway: payments.Gateway | None) -> None:
    """The payment's refunds still pending in the operator's parts are asked about too, each on its own."""
    pending = session.exec(
        select(Refund.id, PaymentPart.provider_id)
        .join(PaymentPart, col(PaymentPart.id) == Refund.part_id)
        .where(Refund.payment_id == payment.id, Refund.status == RefundStatus.pending)
    ).all()
    for refund_id, provider_id in pending:
        if not scope.operates(provider_id):
            continue
        try:
            payments.refresh_refund(refund_id, gateway=gateway)
        except GatewayError as error:
            # The page says what is known; reconciliation asks again.
            logger.info("Refund %s not checked at the gateway: %s", refund_id, error)
        session.expire_all()
