"""What the YooKassa stand-in's calls share: the URL prefix, error body, credentials, faults, notifications."""

from __future__ import annotations

import base64
import json
import logging
import uuid
from collections.abc import Callable

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from cabinet.sandbox import faults

logger = logging.getLogger(__name__)

API_PREFIX = "/sandbox/yookassa/v3"


def error(status: int, code: str, description: str, parameter: str | None = None) -> JSONResponse:
    """An error in YooKassa's shape: {"type": "error", "id", "code", "description", "parameter"?}."""
    body = {"type": "error", "id": str(uuid.uuid4()), "code": code, "description": description}
    if parameter:
        body["parameter"] = parameter
    return JSONResponse(body, status_code=status)


def shop_id(request: Request) -> str | None:
    """The shop of the call's Basic credentials; None without (any secret is taken)."""
    header = request.headers.get("authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        shop, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return shop if shop and secret else None


def unauthorized() -> JSONResponse:
    return error(401, "invalid_credentials", "Authentication by given credentials failed")


async def refused(request: Request) -> Response | None:
    """An injected fault's answer, or a 401 without credentials; None when the call may go on."""
    fault = faults.take_fault("yookassa")
    await faults.delay(fault)
    if fault is not None and fault.status:
        return error(fault.status, "internal_server_error", "Injected failure (sandbox)")
    if shop_id(request) is None:
        return unauthorized()
    return None


async def keyed_body(
    request: Request, problem_of: Callable[[object], tuple[str, str] | None]
) -> tuple[str, dict] | Response:
    """A create call's Idempotence-Key and JSON body, checked by `problem_of`; else YooKassa's error answer.

    Faults and credentials first, as for every call."""
    if (refusal := await refused(request)) is not None:
        return refusal
    key = request.headers.get("idempotence-key", "")
    if not key or len(key) > 64:
        return error(400, "invalid_request", "Idempotence-Key header is required", "Idempotence-Key")
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return error(400, "invalid_request", "Request body is not valid JSON")
    if (problem := problem_of(body)) is not None:
        return error(400, "invalid_request", problem[1], problem[0] or None)
    return key, body


def send_notification(notification_url: str, event: str, public_object: dict) -> None:
    """POSTs {"type": "notification", "event", "object"} as YooKassa would; not when a test drops them."""
    if faults.notifications_dropped():
        logger.info("Sandbox: notification %s for %s dropped on purpose", event, public_object["id"])
        return
    body = {"type": "notification", "event": event, "object": public_object}
    try:
        httpx.post(notification_url, json=body, timeout=5)
    except httpx.HTTPError as failure:
        logger.warning(
            "Sandbox: notification for %s not delivered: %s", public_object["id"], failure.__class__.__name__
        )
