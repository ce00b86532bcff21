"""Applying what the gateway says about a payment: its status forward if the table allows, a success booked once."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlmodel import Session, col, select

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.config import get_settings
from cabinet.db import session_scope
from cabinet.errors import DomainError
from cabinet.gateways.payment_gateway import GatewayPayment, PaymentGateway
from cabinet.models import (
    LedgerEntry,
    NotificationOutcome,
    Payment,
    PaymentStatus,
    User,
)
from cabinet.money import format_rubles
from cabinet.services.audit import record_event
from cabinet.services.ids import get_by_id
from cabinet.services.letters import render_letter
from cabinet.services.mail import queue_email
from cabinet.services.payments.parts import parts_of, payment_providers
from cabinet.services.payments.status import FINAL, GATEWAY_STATUSES, transition

logger = logging.getLogger(__name__)
STATUS_CHARS = 32


def default_gateway() -> PaymentGateway:
    """YooKassa; imported when first asked for, so the SDK loads only where payments are made."""
    from cabinet.gateways.yookassa import YooKassaGateway

    return YooKassaGateway()


@dataclass(frozen=True)
class Applied:
    changed: bool
    status: PaymentStatus
    credited: bool = False
    outcome: NotificationOutcome = NotificationOutcome.unchanged
    # The status the outcome names, as the API spells it; "" when it names none.
    outcome_status: str = ""


def apply_gateway_state(*, payment_id: int, gateway_payment: GatewayPayment, now: dt.datetime | None = None) -> Applied:
    """Moves our payment to the gateway's status if the table allows it; books a success once."""
    with session_scope() as session:
        return apply_in(session, payment_id=payment_id, gateway_payment=gateway_payment, now=now or utc_now())


def apply_in(session: Session, *, payment_id: int, gateway_payment: GatewayPayment, now: dt.datetime) -> Applied:
    """apply_gateway_state within the caller's transaction (the webhook logs the delivery in the same one)."""
    try:
        target = PaymentStatus(gateway_payment.status)
    except ValueError:
        target = None
    if target not in GATEWAY_STATUSES:
        logger.warning("Payment %s: the gateway answered an unknown status %r", payment_id, gateway_payment.status)
        return Applied(
            False,
            PaymentStatus.pending,
            outcome=NotificationOutcome.unknown_status,
            outcome_status=str(gateway_payment.status)[:STATUS_CHARS],
        )
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise DomainError("not_found")
    if gateway_payment.id != payment.gateway_payment_id:
        return Applied(False, payment.status, outcome=NotificationOutcome.id_mismatch)
    if target == PaymentStatus.succeeded and gateway_payment.amount_kopecks != payment.amount_kopecks:
        logger.error(
            "Payment %s: gateway amount %s, ours %s", payment_id, gateway_payment.amount_kopecks, payment.amount_kopecks
        )
        return Applied(False, payment.status, outcome=NotificationOutcome.amount_mismatch)
    values: dict = {}
    if target == PaymentStatus.succeeded:
        values["paid_at"] = gateway_payment.captured_at or now
    if target == PaymentStatus.canceled:
        values["cancellation_party"] = gateway_payment.cancellation_party[:40]
        values["cancellation_reason"] = gateway_payment.cancellation_reason[:80]
    # The gateway only ever changes a status: the one the payment has already is a repeat.
    if not transition(
        session, payment_id=payment_id, to=target, now=now, when=(col(Payment.status) != target,), **values
    ):
        session.refresh(payment)
        return Applied(
            False, payment.status, outcome=NotificationOutcome.unchanged, outcome_status=payment.status.value
        )
    credited = target == PaymentStatus.succeeded and _book(session, payment_id=payment_id, now=now)
    # One event per provider of the payment: each provider's journal shows its own part move.
    for provider_id in payment_providers(session, payment_id):
        record_event(
            session=session,
            action=f"payment_{target.value}",
            now=now,
            actor_user_id=payment.user_id,
            target_type="payment",
            target_id=payment_id,
            provider_id=provider_id,
        )
    return Applied(True, target, credited=credited, outcome=NotificationOutcome.moved, outcome_status=target.value)


def _book(session: Session, *, payment_id: int, now: dt.datetime) -> bool:
    """A ledger entry per part and the receipt letter; the unique part_id makes a second booking impossible."""
    payment = session.get(Payment, payment_id)
    assert payment is not None
    session.refresh(payment)
    booked = session.exec(select(LedgerEntry.id).where(LedgerEntry.payment_id == payment_id)).first()
    if booked is not None:
        return False
    parts = parts_of(session, payment_id)
    for part, _account, _provider in parts:
        session.add(
            LedgerEntry(
                account_id=part.account_id,
                payment_id=payment_id,
                part_id=part.id,
                amount_kopecks=part.amount_kopecks,
                booked_at=payment.paid_at or now,
            )
        )
    user = session.get(User, payment.user_id)
    if user is not None and user.notify_payment_receipts and parts:
        settings = get_settings()
        letter = render_letter(
            "payment_receipt",
            link=f"{settings.public_url}/payments/{payment_id}/receipt",
            support=settings.support_email,
            amount=format_rubles(payment.amount_kopecks),
            accounts=texts.PAYMENTS["letter_parts_separator"].join(
                texts.PAYMENTS["letter_part"].format(
                    number=account.number, provider=provider.name, amount=format_rubles(part.amount_kopecks)
                )
                for part, account, provider in parts
            ),
        )
        queue_email(
            session=session,
            to_address=payment.receipt_email or user.email,
            subject=letter.subject,
            text_body=letter.text_body,
            html_body=letter.html_body,
            now=now,
        )
    session.flush()
    return True


def refresh_from_gateway(payment_id: int, *, gateway: PaymentGateway | None = None) -> Applied:
    """Reads the payment from YooKassa and applies it: the return page, reconciliation, the admin."""
    gateway = gateway or default_gateway()
    with session_scope() as session:
        payment = get_by_id(session, Payment, payment_id)
        if payment is None:
            raise DomainError("not_found")
        gateway_id, status = payment.gateway_payment_id, payment.status
    if not gateway_id or status in FINAL:
        return Applied(False, status)
    return apply_gateway_state(payment_id=payment_id, gateway_payment=gateway.get_payment(gateway_id))
