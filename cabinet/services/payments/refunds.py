"""Refunds of a part of a succeeded payment: our row first (bounded by the part), then YooKassa, then what it says.

A refund's row is written and committed before the gateway is called, with the idempotency key the
gateway receives, so a double click or a retried call is one refund. The part's row is written first
in that transaction, so concurrent requests queue on it and the refunds of a part never exceed it.
A succeeded refund books a negative ledger entry once (`ledger_entries.refund_id` is unique): the
account's amount to pay rises back by it.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cabinet.clock import utc_now
from cabinet.db import session_scope
from cabinet.errors import DomainError
from cabinet.gateways import GatewayError
from cabinet.gateways.payment_gateway import GatewayRefund, GatewayTransfer, PaymentGateway
from cabinet.models import Payment, PaymentPart, PaymentStatus, Provider, ProviderAccount, Refund, RefundStatus
from cabinet.money import format_rubles, parse_rubles
from cabinet.services.audit import record_event
from cabinet.services.ids import get_by_id
from cabinet.services.payments.applying import default_gateway
from cabinet.services.payments.refund_booking import book_refund
from cabinet.services.payments.sending import failure_of, receipt_item

logger = logging.getLogger(__name__)

REFUND_AMOUNT_FIELD = "refund_amount"
REFUND_REASON_FIELD = "refund_reason"
REASON_MAX_CHARS = 250
REASON_MIN_CHARS = 3
# Refunds that hold money: a failed or canceled one returned nothing and frees its sum again.
HOLDING = (RefundStatus.pending, RefundStatus.succeeded)
# What may follow what: YooKassa moves a refund pending → succeeded or canceled; `failed` is ours
# (the gateway refused the request). A pending refund without a gateway id is sent again.
ALLOWED: dict[RefundStatus, frozenset[RefundStatus]] = {
    RefundStatus.pending: frozenset(
        {RefundStatus.pending, RefundStatus.succeeded, RefundStatus.canceled, RefundStatus.failed}
    ),
    RefundStatus.succeeded: frozenset(),
    RefundStatus.canceled: frozenset(),
    RefundStatus.failed: frozenset(),
}


def refunded_kopecks(session: Session, part_id: int, statuses: tuple[RefundStatus, ...] = HOLDING) -> int:
    """What the part's refunds in `statuses` add up to."""
    total = session.exec(
        select(func.coalesce(func.sum(Refund.amount_kopecks), 0)).where(
            Refund.part_id == part_id, col(Refund.status).in_(statuses)
        )
    ).one()
    return int(total)


def refund_amount(amount_text: str, left_kopecks: int) -> int:
    """The operator's sum in kopecks, 0,01 ₽ … what is left of the part; the refusal next to the field."""
    if not amount_text.strip():
        raise DomainError("refund_amount_required", field=REFUND_AMOUNT_FIELD)
    try:
        amount = parse_rubles(amount_text)
    except DomainError as error:
        raise DomainError(error.code, field=REFUND_AMOUNT_FIELD, **error.params) from None
    if amount < 1 or amount > left_kopecks:
        raise DomainError("refund_amount_range", field=REFUND_AMOUNT_FIELD, max=format_rubles(left_kopecks))
    return amount


def refund_reason(reason: str) -> str:
    cleaned = " ".join(reason.split())
    if len(cleaned) < REASON_MIN_CHARS:
        raise DomainError("refund_reason_required", field=REFUND_REASON_FIELD)
    if len(cleaned) > REASON_MAX_CHARS:
        raise DomainError("field_too_long", field=REFUND_REASON_FIELD, max=REASON_MAX_CHARS)
    return cleaned


@dataclass(frozen=True)
class RefundRequest:
    payment_id: int
    part_id: int
    amount_text: str
    reason: str
    actor_id: int
    # Made when the refund form opens: a second click of the same form is the same refund.
    request_key: str = ""
    client_address: str = ""


def prepare_refund(session: Session, request: RefundRequest, *, now: dt.datetime) -> Refund:
    """Checks the request and writes the pending refund; the caller has checked the actor may do it."""
    key = request.request_key or uuid.uuid4().hex
    existing = session.exec(select(Refund).where(Refund.idempotency_key == key)).first()
    if existing is not None:
        if existing.part_id != request.part_id:
            raise DomainError("not_found")
        return existing
    reason = refund_reason(request.reason)
    # The write first: a concurrent refund of the same part waits here until this one commits.
    locked = session.execute(
        sa.update(PaymentPart)
        .where(col(PaymentPart.id) == request.part_id, col(PaymentPart.payment_id) == request.payment_id)
        .values(position=PaymentPart.position)
    ).rowcount
    part = session.get(PaymentPart, request.part_id)
    payment = session.get(Payment, request.payment_id)
    if not locked or part is None or payment is None:
        raise DomainError("not_found")
    if payment.status != PaymentStatus.succeeded or not payment.gateway_payment_id:
        raise DomainError("refund_not_refundable")
    left = part.amount_kopecks - refunded_kopecks(session, part.id or 0)
    if left <= 0:
        raise DomainError("refund_nothing_left")
    refund = Refund(
        payment_id=payment.id or 0,
        part_id=part.id or 0,
        amount_kopecks=refund_amount(request.amount_text, left),
        reason=reason,
        idempotency_key=key,
        requested_by=request.actor_id,
        created_at=now,
        updated_at=now,
    )
    session.add(refund)
    session.flush()
    record_event(
        session=session,
        action="refund_requested",
        now=now,
        actor_user_id=request.actor_id,
        client_address=request.client_address,
        target_type="payment",
        target_id=payment.id,
        details={"amount": refund.amount_kopecks, "account": part.account_id, "refund": refund.id, "reason": reason},
        provider_id=part.provider_id,
    )
    return refund


def _refund_request(session: Session, refund: Refund) -> dict:
    part = session.get(PaymentPart, refund.part_id)
    payment = session.get(Payment, refund.payment_id)
    account = session.get(ProviderAccount, part.account_id) if part else None
    provider = session.get(Provider, part.provider_id) if part else None
    assert part is not None and payment is not None and account is not None and provider is not None
    return dict(
        gateway_payment_id=payment.gateway_payment_id or "",
        amount_kopecks=refund.amount_kopecks,
        idempotency_key=refund.idempotency_key,
        description=refund.reason[:250],
        receipt_email=payment.receipt_email,
        receipt_items=[receipt_item(part, account, provider, refund.amount_kopecks)],
        # A part transferred to the provider's own shop is refunded from there.
        sources=[GatewayTransfer(part.transfer_account_id, refund.amount_kopecks)] if part.transfer_account_id else [],
    )


def send_refund(refund_id: int, *, gateway: PaymentGateway | None = None) -> Refund:
    """Asks YooKassa for the refund (again, for one without its answer: same key, so never twice)."""
    gateway = gateway or default_gateway()
    with session_scope() as session:
        refund = get_by_id(session, Refund, refund_id)
        if refund is None:
            raise DomainError("not_found")
        if refund.gateway_refund_id or refund.status != RefundStatus.pending:
            return refund
        request = _refund_request(session, refund)
    try:
        created = gateway.create_refund(**request)
    except GatewayError as error:
        logger.warning("Refund %s not created at the gateway: %s", refund_id, error)
        kind = failure_of(error)
        with session_scope() as session:
            # No answer may still mean YooKassa took it: the refund stays pending and is sent again
            # with the same key by reconciliation. A refusal is final: nothing was returned.
            lost = error.kind in ("timeout", "unavailable")
            _move(
                session,
                refund_id,
                RefundStatus.pending if lost else RefundStatus.failed,
                now=utc_now(),
                when=(col(Refund.gateway_refund_id).is_(None),),
                failure_code=kind,
            )
            return _reload(session, refund_id)
    with session_scope() as session:
        _move(
            session,
            refund_id,
            RefundStatus.pending,
            now=utc_now(),
            when=(col(Refund.gateway_refund_id).is_(None),),
            gateway_refund_id=created.id,
            failure_code=None,
        )
    if created.status != RefundStatus.pending.value:
        apply_refund_state(refund_id=refund_id, gateway_refund=created)
    with session_scope() as session:
        return _reload(session, refund_id)


def _move(session: Session, refund_id: int, to: RefundStatus, *, now: dt.datetime, when=(), **values: object) -> bool:
    """The only status write of a refund: a compare-and-set that lands only where ALLOWED lets it."""
    sources = [status for status, following in ALLOWED.items() if to in following]
    return bool(
        session.execute(
            sa.update(Refund)
            .where(col(Refund.id) == refund_id, col(Refund.status).in_(sources), *when)
            .values(status=to, updated_at=now, **values)
        ).rowcount
    )


def _reload(session: Session, refund_id: int) -> Refund:
    refund = session.get(Refund, refund_id)
    assert refund is not None
    session.refresh(refund)
    session.expunge(refund)
    return refund


def apply_refund_state(*, refund_id: int, gateway_refund: GatewayRefund, now: dt.datetime | None = None) -> bool:
    """Moves our refund to the gateway's status if it may; books a success once. True when it moved."""
    with session_scope() as session:
        return apply_refund_in(session, refund_id=refund_id, gateway_refund=gateway_refund, now=now or utc_now())


def apply_refund_in(session: Session, *, refund_id: int, gateway_refund: GatewayRefund, now: dt.datetime) -> bool:
    """apply_refund_state within the caller's transaction (the webhook logs the delivery in the same one)."""
    refund = session.get(Refund, refund_id)
    if refund is None:
        raise DomainError("not_found")
    try:
        target = RefundStatus(gateway_refund.status)
    except ValueError:
        target = None
    if target not in (RefundStatus.succeeded, RefundStatus.canceled) or gateway_refund.id != refund.gateway_refund_id:
        return False
    if gateway_refund.amount_kopecks != refund.amount_kopecks:
        logger.error(
            "Refund %s: gateway amount %s, ours %s", refund_id, gateway_refund.amount_kopecks, refund.amount_kopecks
        )
        return False
    values: dict = (
        {"refunded_at": now}
        if target == RefundStatus.succeeded
        else {"cancellation_reason": gateway_refund.cancellation_reason[:80]}
    )
    if not _move(session, refund_id, target, now=now, when=(col(Refund.status) != target,), **values):
        return False
    session.refresh(refund)
    if target == RefundStatus.succeeded:
        book_refund(session, refund, now=now)
    part = session.get(PaymentPart, refund.part_id)
    record_event(
        session=session,
        action=f"refund_{target.value}",
        now=now,
        target_type="payment",
        target_id=refund.payment_id,
        details={"amount": refund.amount_kopecks, "account": part.account_id if part else None, "refund": refund.id},
        provider_id=part.provider_id if part else None,
    )
    return True


def refresh_refund(refund_id: int, *, gateway: PaymentGateway | None = None) -> bool:
    """Reads a pending refund from YooKassa and applies it (or sends again one that never got an answer)."""
    gateway = gateway or default_gateway()
    with session_scope() as session:
        refund = get_by_id(session, Refund, refund_id)
        if refund is None:
            raise DomainError("not_found")
        gateway_id, status = refund.gateway_refund_id, refund.status
    if status != RefundStatus.pending:
        return False
    if not gateway_id:
        return send_refund(refund_id, gateway=gateway).status != RefundStatus.pending
    return apply_refund_state(refund_id=refund_id, gateway_refund=gateway.get_refund(gateway_id))
