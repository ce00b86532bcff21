"""YooKassa through its official SDK: create and read payments, parse notifications.

Amounts cross this edge as integer kopecks; the SDK's strings stay here.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import threading

from yookassa import Configuration, Payment
from yookassa.client import ApiClient
from yookassa.domain.exceptions import ApiError, NotFoundError
from yookassa.domain.notification import WebhookNotificationFactory

from cabinet.config import get_settings
from cabinet.gateways import GatewayError
from cabinet.gateways.payment_gateway import GatewayNotification, GatewayPayment
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


def _to_gateway_payment(response) -> GatewayPayment:
    cancellation = getattr(response, "cancellation_details", None)
    confirmation = getattr(response, "confirmation", None)
    captured = getattr(response, "captured_at", None)
    return GatewayPayment(
        id=response.id,
        status=response.status,
        amount_kopecks=decimal_string_to_kopecks(str(response.amount.value)),
        paid=bool(response.paid),
        confirmation_url=getattr(confirmation, "confirmation_url", "") or "",
        cancellation_party=getattr(cancellation, "party", "") or "",
        cancellation_reason=getattr(cancellation, "reason", "") or "",
        metadata=dict(response.metadata or {}),
        captured_at=dt.datetime.fromisoformat(captured.replace("Z", "+00:00")) if captured else None,
    )


def create_payment(
    *,
    amount_kopecks: int,
    description: str,
    return_url: str,
    idempotency_key: str,
    metadata: dict[str, str],
    receipt_email: str,
    receipt_item_description: str,
) -> GatewayPayment:
    amount = {"value": kopecks_to_decimal_string(amount_kopecks), "currency": "RUB"}
    params = {
        "amount": amount,
        "capture": True,
        "confirmation": {"type": "redirect", "return_url": return_url},
        "description": description[:128],
        "metadata": metadata,
        # 54-ФЗ: one line for the provider's services, paid in full.
        "receipt": {
            "customer": {"email": receipt_email},
            "items": [
                {
                    "description": receipt_item_description[:128],
                    "quantity": "1.00",
                    "amount": amount,
                    "vat_code": 1,
                    "payment_mode": "full_payment",
                    "payment_subject": "service",
                }
            ],
        },
    }
    return _to_gateway_payment(_call(Payment.create, params, idempotency_key))


def get_payment(gateway_payment_id: str) -> GatewayPayment:
    return _to_gateway_payment(_call(Payment.find_one, gateway_payment_id))


def parse_notification(body: dict) -> GatewayNotification:
    """The event and payment id of a webhook body; ValueError when it is not a payment notification."""
    try:
        notification = WebhookNotificationFactory().create(body)
        payment_id = notification.object.id
    except Exception as error:  # the SDK raises assorted errors for malformed bodies
        raise ValueError(f"not a YooKassa notification: {error.__class__.__name__}") from None
    if not isinstance(payment_id, str) or not payment_id:
        raise ValueError("notification without a payment id")
    if not str(notification.event).startswith("payment."):
        # Refunds and deals are not ours to apply; their ids are not payment ids.
        raise ValueError(f"not a payment event: {notification.event}")
    return GatewayNotification(event=str(notification.event), payment_id=payment_id)


class YooKassaGateway:
    """YooKassa as the payment services' PaymentGateway (cabinet/gateways/payment_gateway.py)."""

    create_payment = staticmethod(create_payment)
    get_payment = staticmethod(get_payment)
