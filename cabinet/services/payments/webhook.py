"""YooKassa's notifications: every delivery logged with a coded outcome, the payment re-read from the API.

A delivery's body is never trusted for the status: the payment (or refund) is asked for by its id, and the
change and the log entry are written in one transaction, so a duplicate is a 200 that changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass, replace

from sqlmodel import Session, select

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.db import session_scope
from cabinet.gateways import GatewayError
from cabinet.gateways.payment_gateway import GatewayNotification, PaymentGateway
from cabinet.models import NotificationOutcome, Payment, PaymentNotification, Refund, RefundStatus
from cabinet.services.payments.applying import apply_in, default_gateway
from cabinet.services.payments.refunds import apply_refund_in

logger = logging.getLogger(__name__)

# YooKassa's payment ids are UUID-shaped and its events «payment.<status>»: anything else is not
# looked up, not sent to the API and not stored as an id.
_GATEWAY_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_EVENT = re.compile(r"(payment|refund)\.[a-z_]{1,40}")
STORED_BODY_CHARS = 20_000


@dataclass(frozen=True)
class NotificationResult:
    http_status: int
    outcome: NotificationOutcome
    # The status the outcome names, as the API spells it; "" when it names none.
    outcome_status: str = ""


@dataclass(frozen=True)
class _Delivery:
    """What came, as it will be logged."""

    source: str
    body: str
    received_at: dt.datetime
    event: str = ""
    gateway_id: str = ""


def handle_notification(
    raw_body: str | bytes, *, source_address: str, gateway: PaymentGateway | None = None
) -> NotificationResult:
    """A webhook delivery: never trusts the body's status — asks the API what the payment is.

    Any body gets a 4xx or 200 (503 only while the API is unreachable) and is logged as received.
    """
    gateway = gateway or default_gateway()
    body = raw_body.decode("utf-8", "backslashreplace") if isinstance(raw_body, bytes) else raw_body
    delivery = _Delivery(source=source_address, body=body, received_at=utc_now())
    notification = _parsed_notification(raw_body)
    if notification is None:
        return _logged(delivery, NotificationResult(400, NotificationOutcome.rejected))
    delivery = replace(delivery, event=notification.event, gateway_id=notification.payment_id)
    if notification.refund_id:
        return _refund_notification(delivery, notification, gateway)
    with session_scope() as session:
        payment_id = session.exec(
            select(Payment.id).where(Payment.gateway_payment_id == notification.payment_id)
        ).first()
    if payment_id is None:
        return _logged(delivery, NotificationResult(404, NotificationOutcome.unknown_payment))
    try:
        gateway_payment = gateway.get_payment(notification.payment_id)
    except GatewayError as error:
        # A 5xx makes YooKassa deliver again later; reconciliation covers it too.
        logger.warning("Notification for payment %s not checked at the gateway: %s", payment_id, error)
        return _logged(delivery, NotificationResult(503, NotificationOutcome.gateway_error))
    # The change and its log entry in one transaction: one commit per delivery.
    with session_scope() as session:
        applied = apply_in(session, payment_id=payment_id, gateway_payment=gateway_payment, now=delivery.received_at)
        result = NotificationResult(200, applied.outcome, applied.outcome_status)
        _add_notification(session, delivery, result)
    return result


def _refund_notification(
    delivery: _Delivery, notification: GatewayNotification, gateway: PaymentGateway
) -> NotificationResult:
    """A refund's notification, handled as a payment's: the refund is read back from the API by its id."""
    with session_scope() as session:
        refund_id = session.exec(select(Refund.id).where(Refund.gateway_refund_id == notification.refund_id)).first()
    if refund_id is None:
        return _logged(delivery, NotificationResult(404, NotificationOutcome.unknown_refund))
    try:
        gateway_refund = gateway.get_refund(notification.refund_id)
    except GatewayError as error:
        logger.warning("Notification for refund %s not checked at the gateway: %s", refund_id, error)
        return _logged(delivery, NotificationResult(503, NotificationOutcome.gateway_error))
    with session_scope() as session:
        moved = apply_refund_in(session, refund_id=refund_id, gateway_refund=gateway_refund, now=delivery.received_at)
        refund = session.get(Refund, refund_id)
        assert refund is not None
        result = NotificationResult(
            200,
            NotificationOutcome.moved if moved else NotificationOutcome.unchanged,
            _refund_outcome_status(refund.status),
        )
        _add_notification(session, delivery, result)
    return result


def _refund_outcome_status(status: RefundStatus) -> str:
    """The refund's status in the outcome's words: «refund_succeeded» reads «возврат выполнен»."""
    return f"refund_{status.value}"


def _parsed_notification(raw_body: str | bytes) -> GatewayNotification | None:
    """The event and payment id of a well-formed payment notification, or None."""
    from cabinet.gateways.yookassa import parse_notification

    try:
        text = raw_body.decode("utf-8") if isinstance(raw_body, bytes) else raw_body
        # Bad UTF-8 and bad JSON are ValueErrors; deep nesting is a RecursionError.
        notification = parse_notification(json.loads(text))
    except (ValueError, RecursionError):
        return None
    if not (_GATEWAY_ID.fullmatch(notification.payment_id) and _EVENT.fullmatch(notification.event)):
        return None
    if notification.event.startswith("refund.") and not _GATEWAY_ID.fullmatch(notification.refund_id):
        return None
    return notification


def _storable(text: str, limit: int) -> str:
    """Text any text column takes: NULs (PostgreSQL refuses them) and lone surrogates escaped, then cut."""
    escaped = text[:limit].encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\u0000")
    return escaped[:limit]


def _logged(delivery: _Delivery, result: NotificationResult) -> NotificationResult:
    with session_scope() as session:
        _add_notification(session, delivery, result)
    return result


def _add_notification(session: Session, delivery: _Delivery, result: NotificationResult) -> None:
    session.add(
        PaymentNotification(
            received_at=delivery.received_at,
            source_address=_storable(delivery.source, 64),
            event=_storable(delivery.event, 64),
            gateway_payment_id=_storable(delivery.gateway_id, 64),
            body=_storable(delivery.body, STORED_BODY_CHARS),
            outcome=result.outcome,
            outcome_status=_storable(result.outcome_status, 32),
        )
    )


def outcome_text(outcome: NotificationOutcome | str, status: str = "") -> str:
    """A logged delivery's outcome as an operator reads it: «статус стал «Оплачено»»."""
    try:
        code = NotificationOutcome(outcome)
    except ValueError:
        code = NotificationOutcome.unrecognized
    label = texts.PAYMENTS["statuses"].get(status) or texts.PAYMENTS["refund_outcome_statuses"].get(status, status)
    return texts.ADMIN["webhook_outcomes"][code.value].format(status=label)
