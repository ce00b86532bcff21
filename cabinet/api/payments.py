"""POST /api/yookassa/webhook: YooKassa's notifications, from its own networks only."""

from __future__ import annotations

import ipaddress
import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cabinet.config import Settings
from cabinet.services import payments

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 64 * 1024
_LOOPBACK = ("127.0.0.0/8", "::1/128")


def allowed_networks(settings: Settings) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """YooKassa's published ranges (or the configured ones); loopback too while the stand-in pays."""
    networks = list(settings.yookassa_allowed_networks)
    # The stand-in notifies from this machine; with a real shop nothing local may claim to be YooKassa.
    if settings.demo_mode:
        networks += _LOOPBACK
    return [ipaddress.ip_network(network, strict=False) for network in networks]


def source_allowed(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip.version == network.version and ip in network for network in networks)


def payment_routes(settings: Settings) -> list[Route]:
    networks = allowed_networks(settings)

    async def webhook(request: Request) -> JSONResponse:
        source = request.client.host if request.client else ""
        if not source_allowed(source, networks):
            logger.warning("Webhook call from %s refused: not a YooKassa address", source)
            return JSONResponse({"error": "forbidden"}, status_code=403)
        body = await _body_up_to(request, MAX_BODY_BYTES)
        if body is None:
            return JSONResponse({"error": "too_large"}, status_code=413)
        # Bad UTF-8, bad JSON, odd ids: the service answers 400 and logs what came.
        result = await run_in_threadpool(payments.handle_notification, body, source_address=source)
        return JSONResponse({"result": result.outcome.value}, status_code=result.http_status)

    return [Route("/api/yookassa/webhook", webhook, methods=["POST"])]


async def _body_up_to(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it passes `limit`: a huge one is never held whole."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
