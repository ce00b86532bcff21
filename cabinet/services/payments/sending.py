"""Sending our payment to YooKassa (again after a failure): a receipt line per part, split to providers' own shops.

Whichever answer comes is written only while no gateway payment is recorded, so the first wins and
a retry with the same idempotency key can never make a second charge.
"""

from __future__ import annotations

import logging

from sqlmodel import Session, col

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.config import get_settings
from cabinet.db import session_scope
from cabinet.errors import DomainError
from cabinet.gateways import GatewayError
from cabinet.gateways.payment_gateway import GatewayTransfer, PaymentGateway, ReceiptItem
from cabinet.models import Payment, PaymentFailure, PaymentPart, PaymentStatus, Provider, ProviderAccount
from cabinet.services.ids import get_by_id
from cabinet.services.payments.applying import apply_gateway_state, default_gateway
from cabinet.services.payments.parts import parts_of
from cabinet.services.payments.status import may_move, transition

logger = logging.getLogger(__name__)


def receipt_item(part: PaymentPart, account: ProviderAccount, provider: Provider, amount_kopecks: int) -> ReceiptItem:
    """One line of a 54-ФЗ receipt (or refund receipt): a provider's services on one account, the provider supplying."""
    return ReceiptItem(
        description=texts.PAYMENTS["receipt_item"].format(provider=provider.name, number=account.number),
        amount_kopecks=amount_kopecks,
        supplier_name=provider.name,
        supplier_inn=provider.inn,
    )


def _gateway_request(session: Session, payment: Payment) -> dict:
    parts = parts_of(session, payment.id or 0)
    assert parts
    return dict(
        amount_kopecks=payment.amount_kopecks,
        description=payment.description,
        return_url=f"{get_settings().public_url}/payments/{payment.id}",
        idempotency_key=payment.idempotency_key,
        # YooKassa keeps at most 16 keys of 512 characters: the parts fit in one («account:kopecks;…»).
        metadata={
            "payment_id": str(payment.id),
            "user_id": str(payment.user_id),
            "parts": ";".join(f"{part.account_id}:{part.amount_kopecks}" for part, _a, _p in parts),
        },
        receipt_email=payment.receipt_email,
        receipt_items=[receipt_item(part, account, provider, part.amount_kopecks) for part, account, provider in parts],
        # Split payments: a part of a provider with its own shop goes there; the rest stays with the platform.
        transfers=[
            GatewayTransfer(account_id=part.transfer_account_id, amount_kopecks=part.amount_kopecks)
            for part, _a, _p in parts
            if part.transfer_account_id
        ],
    )


def failure_of(error: GatewayError) -> PaymentFailure:
    """The coded reason a gateway call failed."""
    try:
        return PaymentFailure(error.kind)
    except ValueError:
        return PaymentFailure.unavailable


def send_to_gateway(payment_id: int, *, gateway: PaymentGateway | None = None) -> Payment:
    """Asks YooKassa for the payment (again, after a failure: same key, so never twice).

    Returns the payment with its confirmation URL, or failed with the reason's code.
    """
    gateway = gateway or default_gateway()
    with session_scope() as session:
        payment = get_by_id(session, Payment, payment_id)
        if payment is None:
            raise DomainError("not_found")
        if payment.gateway_payment_id or not may_move(payment.status, PaymentStatus.pending):
            return payment
        request = _gateway_request(session, payment)
    not_sent_yet = (col(Payment.gateway_payment_id).is_(None),)
    try:
        created = gateway.create_payment(**request)
    except GatewayError as error:
        logger.warning("Payment %s not created at the gateway: %s", payment_id, error)
        with session_scope() as session:
            transition(
                session,
                payment_id=payment_id,
                to=PaymentStatus.failed,
                now=utc_now(),
                when=not_sent_yet,
                failure_code=failure_of(error),
            )
            return _reload(session, payment_id)
    with session_scope() as session:
        transition(
            session,
            payment_id=payment_id,
            to=PaymentStatus.pending,
            now=utc_now(),
            when=not_sent_yet,
            gateway_payment_id=created.id,
            confirmation_url=created.confirmation_url,
            failure_code=None,
        )
    # The gateway may already say more than «pending» (a repeated key for a paid payment).
    if created.status != PaymentStatus.pending.value:
        apply_gateway_state(payment_id=payment_id, gateway_payment=created)
    with session_scope() as session:
        return _reload(session, payment_id)


def _reload(session: Session, payment_id: int) -> Payment:
    payment = session.get(Payment, payment_id)
    assert payment is not None
    session.refresh(payment)
    session.expunge(payment)
    return payment
