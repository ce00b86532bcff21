"""Online payments: a row first, then YooKassa; statuses only move forward; success books money once.

Our row is written and committed before the gateway is called, with the idempotency key the
gateway receives, so a double click, a retried request or a lost answer never makes a second
charge. Status changes are compare-and-set updates (`UPDATE … WHERE status IN (…)`), and the
ledger has one entry per payment (unique), so concurrent notifications credit once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlmodel import Session, col, select

from cabinet import texts
from cabinet.config import get_settings
from cabinet.db import session_scope
from cabinet.gateways import GatewayError
from cabinet.models import LedgerEntry, Payment, PaymentNotification, PaymentPurpose, PaymentStatus, Provider, ProviderAccount, ReadingSource, User
from cabinet.clock import utc_now
from cabinet.services.accounts import require_linked_account
from cabinet.services.audit import record_event
from cabinet.services.dashboard import balance_of
from cabinet.errors import DomainError
from cabinet.services.ids import get_by_id, parse_id
from cabinet.services.letters import render_letter
from cabinet.services.mail import queue_email
from cabinet.money import format_rubles, parse_rubles
from cabinet.services.readings import ReadingEntry, submit_readings

if TYPE_CHECKING:
    from cabinet.gateways.yookassa import GatewayNotification

logger = logging.getLogger(__name__)

MIN_PAYMENT_KOPECKS = 100
# Which statuses each status may be reached from: the order YooKassa moves a payment in.
FORWARD_FROM = {
    PaymentStatus.waiting_for_capture: (PaymentStatus.pending,),
    PaymentStatus.succeeded: (PaymentStatus.pending, PaymentStatus.waiting_for_capture),
    PaymentStatus.canceled: (PaymentStatus.pending, PaymentStatus.waiting_for_capture),
}
FINAL = (PaymentStatus.succeeded, PaymentStatus.canceled)


# --- the gateway, injectable for the stand-in tests ------------------------------------------------


@dataclass(frozen=True)
class Gateway:
    create: Callable
    get: Callable


def default_gateway() -> Gateway:
    from cabinet.gateways import yookassa

    return Gateway(create=yookassa.create_payment, get=yookassa.get_payment)


# --- amounts ------------------------------------------------------------------------------------


def amount_for(*, session: Session, account: ProviderAccount, purpose: PaymentPurpose, amount_text: str) -> int:
    """The amount to charge: the debt as it stands now, or the resident's own sum within limits."""
    if purpose == PaymentPurpose.debt:
        owed = balance_of(session, account).to_pay_kopecks
        if owed < MIN_PAYMENT_KOPECKS:
            raise DomainError("payment_nothing_owed")
        return min(owed, get_settings().max_payment_kopecks)
    if not amount_text.strip():
        raise DomainError("payment_amount_required")
    amount = parse_rubles(amount_text)
    maximum = get_settings().max_payment_kopecks
    if amount < MIN_PAYMENT_KOPECKS or amount > maximum:
        raise DomainError("payment_amount_range", min=format_rubles(MIN_PAYMENT_KOPECKS), max=format_rubles(maximum))
    return amount


# --- creating ------------------------------------------------------------------------------------


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
        submit_readings(session, user_id=request.user_id, account_id=request.account_id,
                        entries=list(request.readings), now=now, source=ReadingSource.payment_form,
                        confirmed_jumps=request.confirmed_jumps, client_address=request.client_address)
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
    record_event(session=session, action="payment_created", now=now, actor_user_id=request.user_id,
                 client_address=request.client_address, target_type="payment", target_id=payment.id,
                 details={"amount": amount, "account": request.account_id, "purpose": request.purpose.value})
    return payment


def _gateway_failure_message(error: GatewayError) -> str:
    return texts.PAYMENTS["gateway_errors"].get(error.kind, texts.PAYMENTS["gateway_errors"]["unavailable"])


def send_to_gateway(payment_id: int, *, gateway: Gateway | None = None) -> Payment:
    """Asks YooKassa for the payment (again, after a failure: same key, so never twice).

    Returns the payment with its confirmation URL, or marked failed with a Russian message.
    """
    gateway = gateway or default_gateway()
    settings = get_settings()
    with session_scope() as session:
        payment = get_by_id(session, Payment, payment_id)
        if payment is None:
            raise DomainError("not_found")
        if payment.gateway_payment_id or payment.status not in (PaymentStatus.pending, PaymentStatus.failed):
            return payment
        account = session.get(ProviderAccount, payment.account_id)
        provider = session.get(Provider, account.provider_id) if account else None
        assert account is not None and provider is not None
        call = dict(
            amount_kopecks=payment.amount_kopecks,
            description=payment.description,
            return_url=f"{settings.public_url}/payments/{payment.id}",
            idempotency_key=payment.idempotency_key,
            metadata={"payment_id": str(payment.id), "account_id": str(account.id), "user_id": str(payment.user_id)},
            receipt_email=payment.receipt_email,
            receipt_item_description=texts.PAYMENTS["receipt_item"].format(provider=provider.name, number=account.number),
        )
    try:
        created = gateway.create(**call)
    except GatewayError as error:
        logger.warning("Payment %s not created at the gateway: %s", payment_id, error)
        with session_scope() as session:
            session.execute(
                sa.update(Payment)
                .where(col(Payment.id) == payment_id, col(Payment.gateway_payment_id).is_(None))
                .values(status=PaymentStatus.failed, failure_message=_gateway_failure_message(error),
                        updated_at=utc_now())
            )
            return _reload(session, payment_id)
    with session_scope() as session:
        session.execute(
            sa.update(Payment)
            .where(col(Payment.id) == payment_id, col(Payment.gateway_payment_id).is_(None))
            .values(gateway_payment_id=created.id, confirmation_url=created.confirmation_url,
                    status=PaymentStatus.pending, failure_message="", updated_at=utc_now())
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


def pay(request: PaymentRequest, *, gateway: Gateway | None = None) -> Payment:
    """The whole «Оплатить» click: the row (and readings) committed, then the gateway."""
    with session_scope() as session:
        payment = prepare_payment(session, request, now=utc_now())
        payment_id = payment.id
    assert payment_id is not None
    return send_to_gateway(payment_id, gateway=gateway)


def retry_payment(*, user_id: int, payment_id: int, gateway: Gateway | None = None) -> Payment:
    """«Повторить» after a gateway failure: the same payment and key, so at most one charge."""
    with session_scope() as session:
        payment = payment_of(session, user_id=user_id, payment_id=payment_id)
        if payment.status != PaymentStatus.failed:
            raise DomainError("payment_not_retryable")
    return send_to_gateway(payment_id, gateway=gateway)


# --- applying what the gateway says ----------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    changed: bool
    status: PaymentStatus
    credited: bool = False
    outcome: str = ""


def apply_gateway_state(*, payment_id: int, gateway_payment, now: dt.datetime | None = None) -> Applied:
    """Moves our payment to the gateway's status if that is a step forward; books a success once."""
    with session_scope() as session:
        return _apply(session, payment_id=payment_id, gateway_payment=gateway_payment, now=now or utc_now())


def _apply(session: Session, *, payment_id: int, gateway_payment, now: dt.datetime) -> Applied:
    try:
        target = PaymentStatus(gateway_payment.status)
    except ValueError:
        return Applied(False, PaymentStatus.pending, outcome=f"unknown status {gateway_payment.status!r}")
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise DomainError("not_found")
    if gateway_payment.id != payment.gateway_payment_id:
        return Applied(False, payment.status, outcome="gateway id does not match")
    if target == PaymentStatus.succeeded and gateway_payment.amount_kopecks != payment.amount_kopecks:
        logger.error("Payment %s: gateway amount %s, ours %s", payment_id, gateway_payment.amount_kopecks,
                     payment.amount_kopecks)
        return Applied(False, payment.status, outcome="amount mismatch, not credited")
    allowed = FORWARD_FROM.get(target, ())
    values: dict = {"status": target, "updated_at": now}
    if target == PaymentStatus.succeeded:
        values["paid_at"] = gateway_payment.captured_at or now
    if target == PaymentStatus.canceled:
        values["cancellation_party"] = gateway_payment.cancellation_party[:40]
        values["cancellation_reason"] = gateway_payment.cancellation_reason[:80]
    moved = session.execute(
        sa.update(Payment).where(col(Payment.id) == payment_id, col(Payment.status).in_(allowed)).values(**values)
    ).rowcount
    if not moved:
        session.refresh(payment)
        return Applied(False, payment.status, outcome=f"stays {payment.status.value}")
    credited = False
    if target == PaymentStatus.succeeded:
        credited = _book(session, payment_id=payment_id, now=now)
    record_event(session=session, action=f"payment_{target.value}", now=now, actor_user_id=payment.user_id,
                 target_type="payment", target_id=payment_id)
    return Applied(True, target, credited=credited, outcome=f"now {target.value}")


def _book(session: Session, *, payment_id: int, now: dt.datetime) -> bool:
    """The ledger entry and the receipt letter; the unique payment_id makes a second one impossible."""
    payment = session.get(Payment, payment_id)
    session.refresh(payment)
    assert payment is not None
    exists = session.exec(select(LedgerEntry.id).where(LedgerEntry.payment_id == payment_id)).first()
    if exists is not None:
        return False
    session.add(LedgerEntry(account_id=payment.account_id, payment_id=payment_id,
                            amount_kopecks=payment.amount_kopecks, booked_at=payment.paid_at or now))
    user = session.get(User, payment.user_id)
    account = session.get(ProviderAccount, payment.account_id)
    if user is not None and account is not None and user.notify_payment_receipts:
        provider = session.get(Provider, account.provider_id)
        settings = get_settings()
        letter = render_letter(
            "payment_receipt", link=f"{settings.public_url}/payments/{payment_id}/receipt",
            support=settings.support_email, amount=format_rubles(payment.amount_kopecks),
            provider=provider.name if provider else "", number=account.number,
        )
        queue_email(session=session, to_address=payment.receipt_email or user.email, subject=letter.subject,
                    text_body=letter.text_body, html_body=letter.html_body, now=now)
    session.flush()
    return True


def refresh_from_gateway(payment_id: int, *, gateway: Gateway | None = None) -> Applied:
    """Reads the payment from YooKassa and applies it: the return page, reconciliation, the admin."""
    gateway = gateway or default_gateway()
    with session_scope() as session:
        payment = get_by_id(session, Payment, payment_id)
        if payment is None:
            raise DomainError("not_found")
        gateway_id, status = payment.gateway_payment_id, payment.status
    if not gateway_id or status in FINAL:
        return Applied(False, status)
    return apply_gateway_state(payment_id=payment_id, gateway_payment=gateway.get(gateway_id))


# --- notifications ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationResult:
    http_status: int
    outcome: str


# YooKassa's payment ids are UUID-shaped and its events «payment.<status>»: anything else is not
# looked up, not sent to the API and not stored as an id.
_GATEWAY_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_PAYMENT_EVENT = re.compile(r"payment\.[a-z_]{1,40}")
STORED_BODY_CHARS = 20_000
_REJECTED = "rejected: not a notification"


def handle_notification(raw_body: str | bytes, *, source_address: str, gateway: Gateway | None = None
                        ) -> NotificationResult:
    """A webhook delivery: never trusts the body's status — asks the API what the payment is.

    Any body gets a 4xx or 200 (503 only while the API is unreachable) and is logged as received.
    """
    gateway = gateway or default_gateway()
    now = utc_now()
    body = raw_body.decode("utf-8", "backslashreplace") if isinstance(raw_body, bytes) else raw_body
    notification = _parsed_notification(raw_body)
    if notification is None:
        _log_notification(source_address, "", "", body, _REJECTED, now)
        return NotificationResult(400, "not a notification")
    with session_scope() as session:
        payment_id = session.exec(
            select(Payment.id).where(Payment.gateway_payment_id == notification.payment_id)
        ).first()
    if payment_id is None:
        _log_notification(source_address, notification.event, notification.payment_id, body, "unknown payment", now)
        return NotificationResult(404, "unknown payment")
    try:
        gateway_payment = gateway.get(notification.payment_id)
    except GatewayError as error:
        # A 5xx makes YooKassa deliver again later; reconciliation covers it too.
        _log_notification(source_address, notification.event, notification.payment_id, body,
                          f"gateway {error.kind}", now)
        return NotificationResult(503, "gateway unavailable")
    # The change and its log entry in one transaction: one commit per delivery.
    with session_scope() as session:
        applied = _apply(session, payment_id=payment_id, gateway_payment=gateway_payment, now=now)
        _add_notification(session, source_address, notification.event, notification.payment_id, body,
                          applied.outcome, now)
    return NotificationResult(200, applied.outcome)


def _parsed_notification(raw_body: str | bytes) -> GatewayNotification | None:
    """The event and payment id of a well-formed payment notification, or None."""
    from cabinet.gateways.yookassa import parse_notification

    try:
        text = raw_body.decode("utf-8") if isinstance(raw_body, bytes) else raw_body
        # Bad UTF-8 and bad JSON are ValueErrors; deep nesting is a RecursionError.
        notification = parse_notification(json.loads(text))
    except (ValueError, RecursionError):
        return None
    if not (_GATEWAY_ID.fullmatch(notification.payment_id) and _PAYMENT_EVENT.fullmatch(notification.event)):
        return None
    return notification


def _storable(text: str, limit: int) -> str:
    """Text any text column takes: NULs (PostgreSQL refuses them) and lone surrogates escaped, then cut."""
    escaped = text[:limit].encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\u0000")
    return escaped[:limit]


def _log_notification(source: str, event: str, gateway_id: str, body: str, outcome: str, now: dt.datetime) -> None:
    with session_scope() as session:
        _add_notification(session, source, event, gateway_id, body, outcome, now)


def _add_notification(session: Session, source: str, event: str, gateway_id: str, body: str, outcome: str,
                      now: dt.datetime) -> None:
    session.add(PaymentNotification(
        received_at=now, source_address=_storable(source, 64), event=_storable(event, 64),
        gateway_payment_id=_storable(gateway_id, 64), body=_storable(body, STORED_BODY_CHARS),
        outcome=_storable(outcome, 200)))


# --- reconciliation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReconcileReport:
    checked: int = 0
    changed: int = 0
    errors: int = 0


def reconcile(*, older_than: dt.timedelta = dt.timedelta(minutes=10), now: dt.datetime | None = None,
              gateway: Gateway | None = None, limit: int = 200) -> ReconcileReport:
    """Re-reads payments still open after `older_than`: a lost notification never loses money."""
    now = now or utc_now()
    with session_scope() as session:
        ids = list(session.exec(
            select(Payment.id)
            .where(col(Payment.status).in_((PaymentStatus.pending, PaymentStatus.waiting_for_capture)),
                   col(Payment.gateway_payment_id).is_not(None), Payment.created_at < now - older_than)
            .order_by(col(Payment.created_at))
            .limit(limit)
        ))
    checked = changed = errors = 0
    for payment_id in ids:
        checked += 1
        try:
            changed += refresh_from_gateway(payment_id, gateway=gateway).changed
        except GatewayError as error:
            errors += 1
            logger.warning("Reconciliation of payment %s failed: %s", payment_id, error)
    return ReconcileReport(checked, changed, errors)


# --- reading ---------------------------------------------------------------------------------------


def payment_of(session: Session, *, user_id: int, payment_id: int) -> Payment:
    """The resident's own payment; anyone else's is «not found»."""
    payment = get_by_id(session, Payment, payment_id)
    if payment is None or payment.user_id != user_id:
        raise DomainError("not_found")
    return payment


def payments_of(session: Session, *, user_id: int, account_id: int | None = None,
                since: dt.datetime | None = None, until: dt.datetime | None = None,
                status: PaymentStatus | None = None) -> list[tuple[Payment, ProviderAccount, Provider]]:
    query = (
        select(Payment, ProviderAccount, Provider)
        .join(ProviderAccount, col(ProviderAccount.id) == Payment.account_id)
        .join(Provider, col(Provider.id) == ProviderAccount.provider_id)
        .where(Payment.user_id == user_id)
        .order_by(col(Payment.created_at).desc(), col(Payment.id).desc())
    )
    if account_id is not None:
        # An id past the column's range matches nothing, as a missing one does, instead of overflowing.
        query = query.where(Payment.account_id == (parse_id(account_id) or 0))
    if since:
        query = query.where(Payment.created_at >= since)
    if until:
        query = query.where(Payment.created_at < until)
    if status:
        query = query.where(Payment.status == status)
    return list(session.exec(query))
