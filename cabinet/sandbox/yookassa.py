"""A local stand-in for the YooKassa API v3 and its hosted checkout, for demo mode and tests.

It answers the calls our gateway makes (create, get, cancel a payment, split ones too; create and
get a refund, in yookassa_refunds.py) in YooKassa's own JSON, and its checkout page pays or cancels
and then sends the notification YooKassa would send.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from cabinet.sandbox.yookassa_checkout import CANCEL_REASONS, CHECKOUT_PREFIX, checkout_html, page
from cabinet.sandbox.yookassa_http import (
    API_PREFIX,
    error,
    keyed_body,
    refused,
    send_notification,
    shop_id,
    unauthorized,
)
from cabinet.sandbox.yookassa_refunds import refund_routes
from cabinet.sandbox.yookassa_requests import payment_problem
from cabinet.sandbox.yookassa_store import create_payment, load_payment, move_payment, public_view

__all__ = ["API_PREFIX", "yookassa_routes"]

_NOT_FOUND_PAGE = ("Платёж не найден", "<p>Такого платежа нет.</p>")


def _notify(notification_url: str, payment: dict) -> None:
    send_notification(notification_url, f"payment.{payment['status']}", public_view(payment))


# --- routes ---------------------------------------------------------------------------------


def _api_routes(*, public_url: str, notification_url: str) -> list[Route]:
    async def create(request: Request) -> Response:
        checked = await keyed_body(request, payment_problem)
        if isinstance(checked, Response):
            return checked
        key, body = checked
        payment = await run_in_threadpool(create_payment, body, key, shop_id(request), public_url)
        return JSONResponse(public_view(payment))

    async def get(request: Request) -> Response:
        if (refusal := await refused(request)) is not None:
            return refusal
        payment = await run_in_threadpool(load_payment, request.path_params["payment_id"])
        if payment is None:
            return error(404, "not_found", "Payment not found or forbidden")
        return JSONResponse(public_view(payment))

    async def cancel(request: Request) -> Response:
        if shop_id(request) is None:
            return unauthorized()
        payment_id = request.path_params["payment_id"]
        changed = await run_in_threadpool(move_payment, payment_id, to="canceled", reason="canceled_by_merchant")
        if changed is None:
            current = await run_in_threadpool(load_payment, payment_id)
            if current is None:
                return error(404, "not_found", "Payment not found or forbidden")
            return error(400, "invalid_request", "Payment cannot be canceled in its current status")
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
        *refund_routes(notification_url=notification_url),
    ]
