"""A local stand-in for the YooKassa API v3 and its hosted checkout, for demo mode and tests.

It answers the calls our gateway makes (create, get, cancel a payment) in YooKassa's own JSON,
and its checkout page pays or cancels and then sends the notification YooKassa would send.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import uuid

import httpx
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from cabinet.money import decimal_string_to_kopecks
from cabinet.sandbox import faults
from cabinet.sandbox.yookassa_checkout import CANCEL_REASONS, CHECKOUT_PREFIX, checkout_html, page
from cabinet.sandbox.yookassa_store import create_payment, load_payment, move_payment, public_view

logger = logging.getLogger(__name__)

API_PREFIX = "/sandbox/yookassa/v3"
_AMOUNT = re.compile(r"^\d{1,10}(\.\d{1,2})?$")
_NOT_FOUND_PAGE = ("Платёж не найден", "<p>Такого платежа нет.</p>")


def _error(status: int, code: str, description: str, parameter: str | None = None) -> JSONResponse:
    body = {"type": "error", "id": str(uuid.uuid4()), "code": code, "description": description}
    if parameter:
        body["parameter"] = parameter
    return JSONResponse(body, status_code=status)


def _fault_response(fault: faults.Fault | None) -> JSONResponse | None:
    if fault is None or not fault.status:
        return None
    return _error(fault.status, "internal_server_error", "Injected failure (sandbox)")


def _shop_id(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        shop_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return shop_id if shop_id and secret else None


def _validate(body: object) -> tuple[str, str] | None:
    """(parameter, description) of the first problem in a create request, or None."""
    if not isinstance(body, dict):
        return "", "Request body must be a JSON object"
    amount = body.get("amount")
    if not isinstance(amount, dict) or not isinstance(amount.get("value"), str) or not _AMOUNT.match(amount["value"]):
        return "amount.value", "Amount value must be a string with up to two decimals"
    if decimal_string_to_kopecks(amount["value"]) <= 0:
        return "amount.value", "Amount must be positive"
    if amount.get("currency") != "RUB":
        return "amount.currency", "Only RUB is accepted by this shop"
    confirmation = body.get("confirmation")
    if not isinstance(confirmation, dict) or confirmation.get("type") != "redirect":
        return "confirmation.type", "Only redirect confirmation is supported"
    if not isinstance(confirmation.get("return_url"), str) or not confirmation["return_url"].startswith("http"):
        return "confirmation.return_url", "return_url is required"
    if "description" in body and (not isinstance(body["description"], str) or len(body["description"]) > 128):
        return "description", "Description must be a string of at most 128 characters"
    if "metadata" in body and not isinstance(body["metadata"], dict):
        return "metadata", "Metadata must be an object"
    receipt = body.get("receipt")
    if receipt is not None:
        return _validate_receipt(receipt, amount["value"])
    return None


def _validate_receipt(receipt: object, total: str) -> tuple[str, str] | None:
    if not isinstance(receipt, dict):
        return "receipt", "Receipt must be an object"
    customer = receipt.get("customer")
    if not isinstance(customer, dict) or not (customer.get("email") or customer.get("phone")):
        return "receipt.customer", "Receipt needs the customer's email or phone"
    items = receipt.get("items")
    if not isinstance(items, list) or not items:
        return "receipt.items", "Receipt needs at least one item"
    items_total = 0
    for item in items:
        item_amount = item.get("amount") if isinstance(item, dict) else None
        if not isinstance(item_amount, dict) or not _AMOUNT.match(str(item_amount.get("value", ""))):
            return "receipt.items.amount", "Every item needs an amount"
        if not item.get("description") or "vat_code" not in item:
            return "receipt.items", "Every item needs a description and vat_code"
        items_total += round(decimal_string_to_kopecks(str(item_amount["value"])) * float(item.get("quantity", "1")))
    if items_total != decimal_string_to_kopecks(total):
        return "receipt.items", "Sum of receipt items must equal the payment amount"
    return None


def _notify(notification_url: str, payment: dict) -> None:
    if faults.notifications_dropped():
        logger.info("Sandbox: notification for %s dropped on purpose", payment["id"])
        return
    body = {"type": "notification", "event": f"payment.{payment['status']}", "object": public_view(payment)}
    try:
        httpx.post(notification_url, json=body, timeout=5)
    except httpx.HTTPError as error:
        logger.warning("Sandbox: notification for %s not delivered: %s", payment["id"], error.__class__.__name__)


# --- routes ---------------------------------------------------------------------------------


async def _refused(request: Request) -> Response | None:
    """An injected fault's answer, or a 401 without credentials; None when the call may go on."""
    fault = faults.take_fault("yookassa")
    await faults.delay(fault)
    if (failed := _fault_response(fault)) is not None:
        return failed
    if _shop_id(request) is None:
        return _error(401, "invalid_credentials", "Authentication by given credentials failed")
    return None


def _api_routes(*, public_url: str, notification_url: str) -> list[Route]:
    async def create(request: Request) -> Response:
        if (refused := await _refused(request)) is not None:
            return refused
        key = request.headers.get("idempotence-key", "")
        if not key or len(key) > 64:
            return _error(400, "invalid_request", "Idempotence-Key header is required", "Idempotence-Key")
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return _error(400, "invalid_request", "Request body is not valid JSON")
        if (problem := _validate(body)) is not None:
            return _error(400, "invalid_request", problem[1], problem[0] or None)
        payment = await run_in_threadpool(create_payment, body, key, _shop_id(request), public_url)
        return JSONResponse(public_view(payment))

    async def get(request: Request) -> Response:
        if (refused := await _refused(request)) is not None:
            return refused
        payment = await run_in_threadpool(load_payment, request.path_params["payment_id"])
        if payment is None:
            return _error(404, "not_found", "Payment not found or forbidden")
        return JSONResponse(public_view(payment))

    async def cancel(request: Request) -> Response:
        if _shop_id(request) is None:
            return _error(401, "invalid_credentials", "Authentication by given credentials failed")
        payment_id = request.path_params["payment_id"]
        changed = await run_in_threadpool(move_payment, payment_id, to="canceled", reason="canceled_by_merchant")
        if changed is None:
            current = await run_in_threadpool(load_payment, payment_id)
            if current is None:
                return _error(404, "not_found", "Payment not found or forbidden")
            return _error(400, "invalid_request", "Payment cannot be canceled in its current status")
        await run_in_threadpool(_notify, notification_url, changed)
        return JSONResponse(public_view(changed))

    return [
        Route(f"{API_PREFIX}/payments", create, methods=["POST"]),
        Route(f"{API_PREFIX}/payments/{{payment_id}}", get, methods=["GET"]),
        Route(f"{API_PREFIX}/payments/{{payment_id}}/cancel", cancel, methods=["POST"]),
    ]


def _checkout_routes(*, notification_url: str) -> list[Route]:
    async def checkout_page(request: Request) -> Response:
        payment = await run_in_threadpool(load_payment, request.path_params["payment_id"])
        if payment is None:
            return HTMLResponse(page(*_NOT_FOUND_PAGE), status_code=404)
        return HTMLResponse(checkout_html(payment))

    async def checkout_action(request: Request) -> Response:
        payment_id = request.path_params["payment_id"]
        action = request.path_params["action"]
        form = await request.form()
        reason = str(form.get("reason", "expired_on_confirmation"))
        if reason not in CANCEL_REASONS:
            reason = "expired_on_confirmation"
        changed = await run_in_threadpool(
            move_payment, payment_id, to="paid" if action == "pay" else "canceled", reason=reason
        )
        if changed is not None:
            await run_in_threadpool(_notify, notification_url, changed)
        payment = changed or await run_in_threadpool(load_payment, payment_id)
        if payment is None:
            return HTMLResponse(page(*_NOT_FOUND_PAGE), status_code=404)
        return RedirectResponse(payment["confirmation"]["return_url"], status_code=303)

    return [
        Route(f"{CHECKOUT_PREFIX}/{{payment_id}}", checkout_page, methods=["GET"]),
        Route(f"{CHECKOUT_PREFIX}/{{payment_id}}/{{action:str}}", checkout_action, methods=["POST"]),
    ]


def yookassa_routes(*, public_url: str, notification_url: str) -> list[Route]:
    return [
        *_api_routes(public_url=public_url, notification_url=notification_url),
        *_checkout_routes(notification_url=notification_url),
    ]
