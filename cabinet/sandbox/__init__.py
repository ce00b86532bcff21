"""Local stand-ins for YooKassa and Resend: mounted in demo mode only, and served by tests on their own port."""

from __future__ import annotations

import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from cabinet.config import Settings
from cabinet.sandbox import faults


async def _set_fault(request: Request) -> JSONResponse:
    try:
        body = json.loads(await request.body())
        service = body["service"]
        if service not in ("yookassa", "resend"):
            raise ValueError(service)
        fault = faults.Fault(
            status=int(body.get("status", 0)),
            count=int(body.get("count", 1)),
            delay_seconds=float(body.get("delay_seconds", 0.0)),
            drop_notifications=bool(body.get("drop_notifications", False)),
            store_then_fail=bool(body.get("store_then_fail", False)),
            refund_status=str(body.get("refund_status", "")),
        )
        if fault.refund_status not in faults.REFUND_STATUSES:
            raise ValueError(fault.refund_status)
    except (ValueError, KeyError, TypeError):
        return JSONResponse(
            {"error": "expected service, status, count, delay_seconds, refund_status (pending or canceled)"},
            status_code=400,
        )
    faults.set_fault(service, fault)
    return JSONResponse({"ok": True})


async def _clear_faults(_request: Request) -> JSONResponse:
    faults.clear_faults()
    return JSONResponse({"ok": True})


def sandbox_routes(settings: Settings, *, notification_url: str | None = None) -> list[BaseRoute]:
    """Both stand-ins (demo mode is all or nothing), the demo mailbox and the fault switch.

    Whoever mounts them decides when: the app only in demo mode (`cabinet.api.api_routes`).
    """
    from cabinet.sandbox.resend import resend_routes
    from cabinet.sandbox.yookassa import yookassa_routes

    return [
        Route("/sandbox/_faults", _set_fault, methods=["POST"]),
        Route("/sandbox/_faults", _clear_faults, methods=["DELETE"]),
        *yookassa_routes(
            public_url=settings.public_url,
            notification_url=notification_url or f"{settings.public_url}/api/yookassa/webhook",
        ),
        *resend_routes(),
    ]


def build_sandbox_app(settings: Settings, *, notification_url: str | None = None) -> Starlette:
    """Only the stand-ins, for tests that serve them on their own port."""
    return Starlette(routes=sandbox_routes(settings, notification_url=notification_url))
