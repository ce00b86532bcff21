"""The YooKassa stand-in's refunds API (create, get) and a test-only control that settles a pending refund.

A new refund becomes what the fault switch's `refund_status` says (succeeded at once by default);
a settled one is notified as refund.succeeded or refund.canceled, as YooKassa does.
"""

from __future__ import annotations

import asyncio

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cabinet.sandbox import faults
from cabinet.sandbox.yookassa_http import API_PREFIX, error, keyed_body, refused, send_notification
from cabinet.sandbox.yookassa_refund_store import RefundRefused, create_refund, load_refund, settle_refund
from cabinet.sandbox.yookassa_requests import refund_problem

# Outside the API's prefix: not YooKassa's, only the tests' (and demo mode's) way to settle a refund.
CONTROL_PREFIX = "/sandbox/yookassa/_refunds"
_SETTLE_TO = {"succeed": "succeeded", "cancel": "canceled"}
NOTIFY_AFTER_SECONDS = 0.5


def refund_routes(*, notification_url: str) -> list[Route]:
    def notify(refund: dict) -> None:
        send_notification(notification_url, f"refund.{refund['status']}", refund)

    async def notify_later(refund: dict) -> None:
        await asyncio.sleep(NOTIFY_AFTER_SECONDS)
        await run_in_threadpool(notify, refund)

    async def create(request: Request) -> Response:
        checked = await keyed_body(request, refund_problem)
        if isinstance(checked, Response):
            return checked
        key, body = checked
        try:
            refund, new = await run_in_threadpool(create_refund, body, key, faults.refund_status())
        except RefundRefused as refusal:
            return error(refusal.status, refusal.code, refusal.description, refusal.parameter)
        # YooKassa notifies on its own time, after answering: a refund's notification never comes
        # before the shop has the refund's id from this answer.
        later = BackgroundTask(notify_later, refund) if new and refund["status"] != "pending" else None
        return JSONResponse(refund, background=later)

    async def get(request: Request) -> Response:
        if (refusal := await refused(request)) is not None:
            return refusal
        refund = await run_in_threadpool(load_refund, request.path_params["refund_id"])
        if refund is None:
            return error(404, "not_found", "Refund not found or forbidden")
        return JSONResponse(refund)

    async def settle(request: Request) -> Response:
        to = _SETTLE_TO.get(request.path_params["action"])
        if to is None:
            return JSONResponse({"error": "expected succeed or cancel"}, status_code=404)
        refund, status = await run_in_threadpool(settle_refund, request.path_params["refund_id"], to)
        if refund is None:
            if not status:
                return JSONResponse({"error": "refund not found"}, status_code=404)
            return JSONResponse({"error": "refund is not pending", "status": status}, status_code=409)
        await run_in_threadpool(notify, refund)
        return JSONResponse(refund)

    return [
        Route(f"{API_PREFIX}/refunds", create, methods=["POST"]),
        Route(f"{API_PREFIX}/refunds/{{refund_id}}", get, methods=["GET"]),
        Route(f"{CONTROL_PREFIX}/{{refund_id}}/{{action:str}}", settle, methods=["POST"]),
    ]
