"""Starting a payment: the amount, our row (and readings) committed first, then YooKassa; a retry after a failure.

Our row is written and committed before the gateway is called, with the idempotency key the
gateway receives, so a double click, a retried request or a lost answer never makes a second charge.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.config import get_settings
from cabinet.db import session_scope
from cabinet.errors import DomainError
from cabinet.gateways import GatewayError
from cabinet.gateways.payment_gateway import PaymentGateway, ReceiptItem
from cabinet.models import (
    Payment,
    PaymentFailure,
    PaymentPurpose,
    PaymentStatus,
    Provider,
    ProviderAccount,
    ReadingSource,
    User,
)
from cabinet.money import format_rubles, parse_rubles
from cabinet.services.accounts import require_linked_account
from cabinet.services.audit import record_event
from cabinet.services.dashboard import balance_of
from cabinet.services.ids import get_by_id
from cabinet.services.payments.applying import apply_gateway_state, default_gateway
from cabinet.services.payments.history import payment_of
from cabinet.services.payments.status import may_move, transition
from cabinet.services.readings import ReadingEntry, ReadingsRejected, submit_readings

logger = logging.getLogger(__name__)

MIN_PAYMENT_KOPECKS = 100
# The pay form's inputs a refusal is shown next to (the rest go above the button).
AMOUNT_FIELD = "amount"
READINGS_FIELD = "readings"


def amount_for(*, session: Session, account: ProviderAccount, purpose: PaymentPurpose, amount_text: str) -> int:
    """The amount to charge: the debt as it stands now, or the resident's own sum within limits."""
    if purpose == PaymentPurpose.debt:
        owed = balance_of(session, account).to_pay_kopecks
        if owed < MIN_PAYMENT_KOPECKS:
            raise DomainError("payment_nothing_owed", field=AMOUNT_FIELD)
        return min(owed, get_settings().max_payment_kopecks)
    return own_amount(amount_text)


def own_amount(amount_text: str) -> int:
    """The resident's own sum in kopecks, or the refusal; the pay page's total shows only what passes here."""
    if not amount_text.strip():
        raise DomainError("payment_amount_required", field=AMOUNT_FIELD)
    try:
        amount = parse_rubles(amount_text)
    except DomainError as error:
        raise DomainError(error.code, field=AMOUNT_FIELD, **error.params) from None
    maximum = get_settings().max_payment_kopecks
    if amount < MIN_PAYMENT_KOPECKS or amount > maximum:
        raise DomainError(
            "payment_amount_range",
            field=AMOUNT_FIELD,
            min=format_rubles(MIN_PAYMENT_KOPECKS),
            max=format_rubles(maximum),
        )
    return amount


# --- our row ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentRequest:
    user_id: int
    account_id: int
    purpose: PaymentPurpose
    amount_text: str = ""
    # Made when the pay form opens and sent with every click of it: one form, one payment.
    request_key: str = ""
    readings: tuple[ReadingEntry, ...] = ()
    confirmed_jumps: frozenset[int] = frozenset()
    client_address: str = ""


def prepare_payment(session: Session, request: PaymentRequest, *, now: dt.datetime) -> Payment:
    """Checks everything, saves the readings, writes the pending payment. Idempotent by request_key."""
    key = request.request_key or uuid.uuid4().hex
    existing = session.exec(select(Payment).where(Payment.idempotency_key == key)).first()
    if existing is not None:
        if existing.user_id != request.user_id:
            raise DomainError("not_found")
        return existing
    account = require_linked_account(session=session, user_id=request.user_id, account_id=request.account_id)
    amount = amount_for(session=session, account=account, purpose=request.purpose, amount_text=request.amount_text)
    if any(entry.text.strip() for entry in request.readings):
        _save_readings(session, request, now=now)
    provider = session.get(Provider, account.provider_id)
    user = session.get(User, request.user_id)
    assert provider is not None and user is not None
    payment = Payment(
        user_id=request.user_id,
        account_id=request.account_id,
        amount_kopecks=amount,
        purpose=request.purpose,
        idempotency_key=key,
        description=texts.PAYMENTS["gateway_description"].format(provider=provider.name, number=account.number)[:128],
        receipt_email=user.email,
        created_at=now,
        updated_at=now,
    )
    session.add(payment)
    session.flush()
    record_event(
        session=session,
        action="payment_created",
        now=now,
        actor_user_id=request.user_id,
        client_address=request.client_address,
        target_type="payment",
        target_id=payment.id,
        details={"amount": amount, "account": request.account_id, "purpose": request.purpose.value},
        provider_id=provider.id,
    )
    return payment


def _save_readings(session: Session, request: PaymentRequest, *, now: dt.datetime) -> None:
    try:
        submit_readings(
            session,
            user_id=request.user_id,
            account_id=request.account_id,
            entries=list(request.readings),
            now=now,
            source=ReadingSource.payment_form,
            confirmed_jumps=request.confirmed_jumps,
            client_address=request.client_address,
        )
    except ReadingsRejected:
        raise  # field by field: the readings form shows it
    except DomainError as error:
        # About the readings as a whole (the window closed, nothing typed): shown with them too.
        raise DomainError(error.code, field=READINGS_FIELD, **error.params) from None


# --- the gateway ------------------------------------------------------------------------------------


def _failure_of(error: GatewayError) -> PaymentFailure:
    try:
        return PaymentFailure(error.kind)
    except ValueError:
        return PaymentFailure.unavailable


def _gateway_request(session: Session, payment: Payment) -> dict:
    account = session.get(ProviderAccount, payment.account_id)
    provider = session.get(Provider, account.provider_id) if account else None
    assert account is not None and provider is not None
    line = texts.PAYMENTS["receipt_item"].format(provider=provider.name, number=account.number)
    return dict(
        amount_kopecks=payment.amount_kopecks,
        description=payment.description,
        return_url=f"{get_settings().public_url}/payments/{payment.id}",
        idempotency_key=payment.idempotency_key,
        metadata={"payment_id": str(payment.id), "account_id": str(account.id), "user_id": str(payment.user_id)},
        receipt_email=payment.receipt_email,
        receipt_items=[
            ReceiptItem(line, payment.amount_kopecks, supplier_name=provider.name, supplier_inn=provider.inn)
        ],
    )


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
    # Whichever answer comes, it is written only while no gateway payment is recorded: the first wins.
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
                failure_code=_failure_of(error),
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


def pay(request: PaymentRequest, *, gateway: PaymentGateway | None = None) -> Payment:
    """The whole «Оплатить» click: the row (and readings) committed, then the gateway."""
    with session_scope() as session:
        payment = prepare_payment(session, request, now=utc_now())
        payment_id = payment.id
    assert payment_id is not None
    return send_to_gateway(payment_id, gateway=gateway)


def retry_payment(*, user_id: int, payment_id: int, gateway: PaymentGateway | None = None) -> Payment:
    """«Повторить» after a gateway failure: the same payment and key, so at most one charge."""
    with session_scope() as session:
        payment = payment_of(session, user_id=user_id, payment_id=payment_id)
        if payment.status != PaymentStatus.failed:
            raise DomainError("payment_not_retryable")
    return send_to_gateway(payment_id, gateway=gateway)


# --- the pay form's entry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkout:
    """Where the browser goes after «Оплатить»: the gateway's checkout, or else the payment's own page."""

    payment_id: int
    checkout_url: str


def checkout_of(payment: Payment) -> Checkout:
    assert payment.id is not None
    waiting = payment.status == PaymentStatus.pending and payment.confirmation_url
    return Checkout(payment.id, payment.confirmation_url if waiting else "")


def start_payment(
    *,
    user_id: int,
    account_id: int,
    pay_debt: bool,
    amount_text: str = "",
    request_key: str = "",
    readings: tuple[ReadingEntry, ...] = (),
    confirmed_jumps: frozenset[int] = frozenset(),
    client_address: str = "",
    gateway: PaymentGateway | None = None,
) -> Checkout:
    """The pay form's «Оплатить»: refusals name their field (AMOUNT_FIELD, READINGS_FIELD or the form)."""
    request = PaymentRequest(
        user_id=user_id,
        account_id=account_id,
        purpose=PaymentPurpose.debt if pay_debt else PaymentPurpose.custom_amount,
        amount_text=amount_text,
        request_key=request_key,
        readings=readings,
        confirmed_jumps=confirmed_jumps,
        client_address=client_address,
    )
    return checkout_of(pay(request, gateway=gateway))
