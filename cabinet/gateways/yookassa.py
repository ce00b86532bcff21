"""YooKassa through its official SDK: create and read payments (split ones too) and refunds, parse notifications.

Amounts cross this edge as integer kopecks; the SDK's strings stay here.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import threading
from collections.abc import Sequence

from yookassa import Configuration, Payment, Refund
from yookassa.client import ApiClient
from yookassa.domain.exceptions import ApiError, NotFoundError
from yookassa.domain.notification import RefundWebhookNotification, WebhookNotificationFactory
from yookassa.domain.request import RefundRequest

from cabinet.config import get_settings
from cabinet.gateways import GatewayError
from cabinet.gateways.payment_gateway import (
    GatewayNotification,
    GatewayPayment,
    GatewayRefund,
    GatewayTransfer,
    ReceiptItem,
)
from cabinet.money import decimal_string_to_kopecks, kopecks_to_decimal_string
from cabinet.patches import keep_yookassa_connections_alive

# The SDK sets no socket timeout of its own, so each call runs in a worker thread that we
# stop waiting for; a create retried later with the same idempotency key is still safe.
CALL_TIMEOUT_SECONDS = 20
_executor = concurrent.futures.ThreadPoolExecutor(max_workers=32, thread_name_prefix="yookassa")
_configure_lock = threading.Lock()
keep_yookassa_connections_alive(ApiClient)


def _configure() -> None:
    settings = get_settings()
    with _configure_lock:
        if settings.payments_sandbox:
            shop_id, secret = "sandbox", "sandbox"
        else:
            shop_id, secret = settings.yookassa_shop_id, settings.yookassa_secret_key
        Configuration.configure(shop_id, secret, api_url=settings.yookassa_base_url, timeout=1000, max_attempts=2)


def _call(function, *args, **kwargs):
    _configure()
    future = _executor.submit(function, *args, **kwargs)
    try:
        return future.result(timeout=CALL_TIMEOUT_SECONDS)
    except concurrent.futures.TimeoutError:
        raise GatewayError("timeout", f"no answer in {CALL_TIMEOUT_SECONDS} s") from None
    except NotFoundError as error:
        raise GatewayError("not_found", str(error.content)) from None
    except ApiError as error:
        status = getattr(error, "HTTP_CODE", 0) or 0
        kind = "unavailable" if status in (0, 429) or status >= 500 else "rejected"
        raise GatewayError(kind, str(getattr(error, "content", error))) from None
    except Exception as error:  # connection refused, bad JSON, the SDK tripping on None
        raise GatewayError("unavailable", error.__class__.__name__) from None


def _moment(value) -> dt.datetime | None:
    """An ISO 8601 time of the API («…Z»), parsed; None when absent."""
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _kopecks(amount) -> int:
    return decimal_string_to_kopecks(str(amount.value)) if amount is not None else 0


def _amount(kopecks: int) -> dict:
    return {"value": kopecks_to_decimal_string(kopecks), "currency": "RUB"}


def _to_gateway_payment(response) -> GatewayPayment:
    cancellation = getattr(response, "cancellation_details", None)
    confirmation = getattr(response, "confirmation", None)
    return GatewayPayment(
        id=response.id,
        status=response.status,
        amount_kopecks=_kopecks(response.amount),
        paid=bool(response.paid),
        confirmation_url=getattr(confirmation, "confirmation_url", "") or "",
        cancellation_party=getattr(cancellation, "party", "") or "",
        cancellation_reason=getattr(cancellation, "reason", "") or "",
        metadata=dict(response.metadata or {}),
        captured_at=_moment(getattr(response, "captured_at", None)),
        refunded_kopecks=_kopecks(getattr(response, "refunded_amount", None)),
    )


def _to_gateway_refund(response) -> GatewayRefund:
    cancellation = getattr(response, "cancellation_details", None)
    return GatewayRefund(
        id=response.id,
        payment_id=response.payment_id,
        status=response.status,
        amount_kopecks=_kopecks(response.amount),
        cancellation_party=getattr(cancellation, "party", "") or "",
        cancellation_reason=getattr(cancellation, "reason", "") or "",
        created_at=_moment(getattr(response, "created_at", None)),
    )


def _receipt(email: str, items: list[ReceiptItem]) -> dict:
    """A 54-ФЗ receipt: one line per provider's account, each paid (or refunded) in full."""
    lines = []
    for item in items:
        line = {
            "description": item.description[:128],
            "quantity": "1.00",
            "amount": _amount(item.amount_kopecks),
            "vat_code": 1,
            "payment_mode": "full_payment",
            "payment_subject": "service",
        }
        if item.supplier_inn:
            # We collect for the providers as their payment agent: the receipt names each line's supplier.
            # A provider without an INN cannot be named as one: its line goes without, as before agents.
            line["supplier"] = {"name": item.supplier_name, "inn": item.supplier_inn}
            line["agent_type"] = "payment_agent"
        lines.append(line)
    return {"customer": {"email": email}, "items": lines}


def _split(transfers: Sequence[GatewayTransfer]) -> list[dict]:
    return [{"account_id": transfer.account_id, "amount": _amount(transfer.amount_kopecks)} for transfer in transfers]


def create_payment(
    *,
    amount_kopecks: int,
    description: str,
    return_url: str,
    idempotency_key: str,
    metadata: dict[str, str],
    receipt_email: str,
    receipt_items: list[ReceiptItem],
    transfers: Sequence[GatewayTransfer] = (),
) -> GatewayPayment:
    params = {
        "amount": _amount(amount_kopecks),
        "capture": True,
        "confirmation": {"type": "redirect", "return_url": return_url},
        "description": description[:128],
        "metadata": metadata,
        "receipt": _receipt(receipt_email, receipt_items),
    }
    if transfers:
        params["transfers"] = _split(transfers)
    return _to_gateway_payment(_call(Payment.create, params, idempotency_key))


def get_payment(gateway_payment_id: str) -> GatewayPayment:
    return _to_gateway_payment(_call(Payment.find_one, gateway_payment_id))


def create_refund(
    *,
    gateway_payment_id: str,
    amount_kopecks: int,
    idempotency_key: str,
    description: str,
    receipt_email: str,
    receipt_items: list[ReceiptItem],
    sources: Sequence[GatewayTransfer] = (),
) -> GatewayRefund:
    params: dict = {"payment_id": gateway_payment_id, "amount": _amount(amount_kopecks)}
    if description:
        # The SDK refuses an empty comment and one of 256 characters or more.
        params["description"] = description[:250]
    if receipt_items:
        params["receipt"] = _receipt(receipt_email, receipt_items)
    if sources:
        params["sources"] = _split(sources)
    try:
        request = RefundRequest(params)
    except (ValueError, TypeError) as error:
        # The SDK checks the request before sending it (a payment id not 36 characters long): ours to fix.
        raise GatewayError("rejected", str(error)) from None
    return _to_gateway_refund(_call(Refund.create, request, idempotency_key))


def get_refund(gateway_refund_id: str) -> GatewayRefund:
    return _to_gateway_refund(_call(Refund.find_one, gateway_refund_id))


def _sdk_notification(body: dict):
    if isinstance(body, dict) and body.get("type") == "notification" and str(body.get("event")).startswith("refund."):
        # The SDK's factory reads only refund.succeeded's object as a refund (refund.canceled's as a payment).
        return RefundWebhookNotification(body)
    return WebhookNotificationFactory().create(body)


def parse_notification(body: dict) -> GatewayNotification:
    """The event and ids of a payment.* or refund.* webhook body; ValueError for any other body.

    A refund's notification names the refunded payment in `payment_id` and the refund in `refund_id`.
    """
    try:
        notification = _sdk_notification(body)
        event = str(notification.event)
        refunded = event.startswith("refund.")
        if not (refunded or event.startswith("payment.")):
            # Deals and payouts are not ours to apply; their ids are not payment ids.
            raise LookupError(f"not a payment or refund event: {event}")
        payment_id = notification.object.payment_id if refunded else notification.object.id
        refund_id = notification.object.id if refunded else ""
    except Exception as error:  # the SDK raises assorted errors for malformed bodies
        raise ValueError(f"not a payment or refund notification: {str(error)[:200]}") from None
    if not isinstance(payment_id, str) or not payment_id:
        raise ValueError("notification without a payment id")
    if refunded and (not isinstance(refund_id, str) or not refund_id):
        raise ValueError("refund notification without a refund id")
    return GatewayNotification(event=event, payment_id=payment_id, refund_id=refund_id)


class YooKassaGateway:
    """YooKassa as the payment services' PaymentGateway (cabinet/gateways/payment_gateway.py)."""

    create_payment = staticmethod(create_payment)
    get_payment = staticmethod(get_payment)
    create_refund = staticmethod(create_refund)
    get_refund = staticmethod(get_refund)
