"""A local stand-in for the YooKassa API v3 and its hosted checkout, for demo mode and tests.

It answers the calls our gateway makes (create, get, cancel a payment) in YooKassa's own JSON,
and its checkout page pays or cancels and then sends the notification YooKassa would send.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import logging
import re
import uuid

import httpx
import sqlalchemy as sa
from sqlmodel import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from cabinet.db import session_scope
from cabinet.clock import utc_now
from cabinet.sandbox import faults
from cabinet.sandbox.models import SandboxYookassaPayment
from cabinet.money import decimal_string_to_kopecks, format_rubles

logger = logging.getLogger(__name__)

API_PREFIX = "/sandbox/yookassa/v3"
CHECKOUT_PREFIX = "/sandbox/yookassa/checkout"
CANCEL_REASONS = {
    "expired_on_confirmation": "Плательщик не подтвердил платёж вовремя",
    "insufficient_funds": "Недостаточно денег",
    "card_expired": "Истёк срок действия карты",
    "fraud_suspected": "Подозрение в мошенничестве",
    "payment_method_restricted": "Операции этим способом оплаты запрещены",
}
_AMOUNT = re.compile(r"^\d{1,10}(\.\d{1,2})?$")


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _payment_id() -> str:
    # Shaped like YooKassa's ids: 8-4-4-4-12 hex with the fixed «000f-5000» middle.
    raw = uuid.uuid4().hex
    return f"{raw[:8]}-000f-5000-{'89ab'[int(raw[8], 16) % 4]}{raw[9:12]}-{raw[12:24]}"


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


# --- storage (runs in a worker thread) -------------------------------------------------------


def _load(payment_id: str) -> dict | None:
    with session_scope() as session:
        row = session.get(SandboxYookassaPayment, payment_id)
        return json.loads(row.body) if row else None


def _create(body: dict, idempotence_key: str, shop_id: str, public_url: str) -> dict:
    with session_scope() as session:
        existing = session.exec(
            select(SandboxYookassaPayment).where(SandboxYookassaPayment.idempotence_key == idempotence_key)
        ).first()
        if existing is not None:
            return json.loads(existing.body)
        payment_id = _payment_id()
        payment = {
            "id": payment_id,
            "status": "pending",
            "paid": False,
            "amount": {"value": body["amount"]["value"], "currency": "RUB"},
            "description": body.get("description", ""),
            "recipient": {"account_id": shop_id, "gateway_id": "2394621"},
            "created_at": _iso(utc_now()),
            "confirmation": {
                "type": "redirect",
                "return_url": body["confirmation"]["return_url"],
                "confirmation_url": f"{public_url}{CHECKOUT_PREFIX}/{payment_id}",
            },
            "test": True,
            "refundable": False,
            "metadata": body.get("metadata", {}),
            "_capture": bool(body.get("capture", False)),
        }
        if body.get("receipt"):
            payment["receipt_registration"] = "pending"
        session.add(
            SandboxYookassaPayment(
                id=payment_id, idempotence_key=idempotence_key, status="pending",
                body=json.dumps(payment, ensure_ascii=False),
            )
        )
        return payment


def _transition(payment_id: str, *, to: str, reason: str = "") -> dict | None:
    """Moves a payment out of pending/waiting_for_capture; None when it had already moved on."""
    with session_scope() as session:
        row = session.get(SandboxYookassaPayment, payment_id)
        if row is None or row.status not in ("pending", "waiting_for_capture"):
            return None
        payment = json.loads(row.body)
        previous = row.status
        now = utc_now()
        if to == "paid":
            payment["paid"] = True
            payment["status"] = "succeeded" if payment.get("_capture") else "waiting_for_capture"
            payment["payment_method"] = {
                "type": "bank_card", "id": payment_id, "saved": False, "title": "Bank card *4444",
                "card": {"first6": "555555", "last4": "4444", "expiry_month": "12", "expiry_year": "2030",
                         "card_type": "MasterCard", "issuer_country": "RU"},
            }
            payment["authorization_details"] = {"rrn": "603668680243", "auth_code": "000000"}
            if payment["status"] == "succeeded":
                payment["captured_at"] = _iso(now)
                kopecks = decimal_string_to_kopecks(payment["amount"]["value"])
                income = kopecks - round(kopecks * 0.035)
                payment["income_amount"] = {"value": f"{income // 100}.{income % 100:02d}", "currency": "RUB"}
                payment["refundable"] = True
                if "receipt_registration" in payment:
                    payment["receipt_registration"] = "succeeded"
        else:
            payment["status"] = "canceled"
            payment["paid"] = False
            payment["cancellation_details"] = {
                "party": "yoo_money" if reason != "canceled_by_merchant" else "merchant",
                "reason": reason or "expired_on_confirmation",
            }
        # Compare-and-set on the status: of two clicks at once only one moves the payment.
        updated = session.execute(
            sa.update(SandboxYookassaPayment)
            .where(SandboxYookassaPayment.id == payment_id, SandboxYookassaPayment.status == previous)
            .values(status=payment["status"], body=json.dumps(payment, ensure_ascii=False))
        )
        return payment if updated.rowcount == 1 else None


def public_view(payment: dict) -> dict:
    """The payment as the API shows it (our private fields removed)."""
    return {key: value for key, value in payment.items() if not key.startswith("_")}


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


def yookassa_routes(*, public_url: str, notification_url: str) -> list[Route]:
    async def create_payment(request: Request) -> Response:
        fault = faults.take_fault("yookassa")
        await faults.delay(fault)
        if (failed := _fault_response(fault)) is not None:
            return failed
        shop_id = _shop_id(request)
        if shop_id is None:
            return _error(401, "invalid_credentials", "Authentication by given credentials failed")
        key = request.headers.get("idempotence-key", "")
        if not key or len(key) > 64:
            return _error(400, "invalid_request", "Idempotence-Key header is required", "Idempotence-Key")
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return _error(400, "invalid_request", "Request body is not valid JSON")
        if (problem := _validate(body)) is not None:
            return _error(400, "invalid_request", problem[1], problem[0] or None)
        payment = await run_in_threadpool(_create, body, key, shop_id, public_url)
        return JSONResponse(public_view(payment))

    async def get_payment(request: Request) -> Response:
        fault = faults.take_fault("yookassa")
        await faults.delay(fault)
        if (failed := _fault_response(fault)) is not None:
            return failed
        if _shop_id(request) is None:
            return _error(401, "invalid_credentials", "Authentication by given credentials failed")
        payment = await run_in_threadpool(_load, request.path_params["payment_id"])
        if payment is None:
            return _error(404, "not_found", "Payment not found or forbidden")
        return JSONResponse(public_view(payment))

    async def cancel_payment(request: Request) -> Response:
        if _shop_id(request) is None:
            return _error(401, "invalid_credentials", "Authentication by given credentials failed")
        payment_id = request.path_params["payment_id"]
        changed = await run_in_threadpool(_transition, payment_id, to="canceled", reason="canceled_by_merchant")
        if changed is None:
            current = await run_in_threadpool(_load, payment_id)
            if current is None:
                return _error(404, "not_found", "Payment not found or forbidden")
            return _error(400, "invalid_request", "Payment cannot be canceled in its current status")
        await run_in_threadpool(_notify, notification_url, changed)
        return JSONResponse(public_view(changed))

    async def checkout_page(request: Request) -> Response:
        payment = await run_in_threadpool(_load, request.path_params["payment_id"])
        if payment is None:
            return HTMLResponse(_page("Платёж не найден", "<p>Такого платежа нет.</p>"), status_code=404)
        return HTMLResponse(_checkout_html(payment))

    async def checkout_action(request: Request) -> Response:
        payment_id = request.path_params["payment_id"]
        action = request.path_params["action"]
        form = await request.form()
        reason = str(form.get("reason", "expired_on_confirmation"))
        if reason not in CANCEL_REASONS:
            reason = "expired_on_confirmation"
        changed = await run_in_threadpool(
            _transition, payment_id, to="paid" if action == "pay" else "canceled", reason=reason
        )
        if changed is not None:
            await run_in_threadpool(_notify, notification_url, changed)
        payment = changed or await run_in_threadpool(_load, payment_id)
        if payment is None:
            return HTMLResponse(_page("Платёж не найден", "<p>Такого платежа нет.</p>"), status_code=404)
        return RedirectResponse(payment["confirmation"]["return_url"], status_code=303)

    return [
        Route(f"{API_PREFIX}/payments", create_payment, methods=["POST"]),
        Route(f"{API_PREFIX}/payments/{{payment_id}}", get_payment, methods=["GET"]),
        Route(f"{API_PREFIX}/payments/{{payment_id}}/cancel", cancel_payment, methods=["POST"]),
        Route(f"{CHECKOUT_PREFIX}/{{payment_id}}", checkout_page, methods=["GET"]),
        Route(f"{CHECKOUT_PREFIX}/{{payment_id}}/{{action:str}}", checkout_action, methods=["POST"]),
    ]


# --- the checkout page --------------------------------------------------------------------------

_STYLE = """
*{box-sizing:border-box}body{margin:0;font-family:Arial,Helvetica,sans-serif;background:#eef1f6;color:#1b1f29}
.wrap{max-width:440px;margin:0 auto;padding:32px 16px}
.badge{display:inline-block;background:#fff3c4;color:#7a5b00;border-radius:999px;padding:4px 12px;font-size:13px;margin-bottom:16px}
.card{background:#fff;border-radius:16px;box-shadow:0 2px 12px rgba(20,30,60,.08);padding:24px}
h1{font-size:20px;margin:0 0 4px}.muted{color:#667085;font-size:14px;margin:0 0 16px}
.amount{font-size:32px;font-weight:700;margin:8px 0 20px}
.cardbox{border:1px solid #d0d5dd;border-radius:12px;padding:14px;margin-bottom:16px;font-size:15px}
.row{display:flex;gap:8px}button{font-size:16px;border:0;border-radius:10px;padding:14px 18px;cursor:pointer;width:100%}
.pay{background:#0a7cff;color:#fff}.cancel{background:#f2f4f7;color:#1b1f29}
select{width:100%;padding:10px;border-radius:8px;border:1px solid #d0d5dd;font-size:14px;margin:6px 0 10px}
label{font-size:13px;color:#667085}.note{font-size:13px;color:#667085;margin-top:16px;text-align:center}
.done{font-size:16px}
"""


def _page(title: str, inner: str) -> str:
    return (
        '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f'<body><div class="wrap"><span class="badge">Тестовая оплата · ЮKassa (демо)</span>{inner}</div></body></html>'
    )


def _checkout_html(payment: dict) -> str:
    escape = html.escape
    amount = format_rubles(decimal_string_to_kopecks(payment["amount"]["value"]))
    head = (
        f'<div class="card"><h1>Оплата заказа</h1><p class="muted">{escape(payment.get("description", ""))}</p>'
        f'<div class="amount" id="sandbox-amount">{escape(amount)}</div>'
    )
    if payment["status"] != "pending":
        states = {"succeeded": "Платёж уже оплачен.", "waiting_for_capture": "Платёж оплачен и ждёт подтверждения.",
                  "canceled": "Платёж отменён."}
        back = escape(payment["confirmation"]["return_url"])
        return _page("Оплата", head + f'<p class="done" id="sandbox-status">{states.get(payment["status"], "")}</p>'
                     f'<p><a href="{back}">Вернуться в магазин</a></p></div>')
    options = "".join(f'<option value="{key}">{escape(text)}</option>' for key, text in CANCEL_REASONS.items())
    base = f"{CHECKOUT_PREFIX}/{escape(payment['id'])}"
    body = head + (
        '<div class="cardbox">Карта •••• 4444 · MasterCard<br><span class="muted">Тестовая карта: деньги не списываются</span></div>'
        f'<form method="post" action="{base}/pay">'
        '<button class="pay" id="sandbox-pay" type="submit">Оплатить</button></form>'
        f'<form method="post" action="{base}/cancel" style="margin-top:18px">'
        '<label for="sandbox-reason">Причина отмены (для проверки)</label>'
        f'<select id="sandbox-reason" name="reason">{options}</select>'
        '<button class="cancel" id="sandbox-cancel" type="submit">Отменить</button></form>'
        '<p class="note">Это тренажёр ЮKassa для демо-режима: настоящие деньги не списываются.</p></div>'
    )
    return _page("Оплата", body)
