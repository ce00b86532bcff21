"""POST /api/yookassa/webhook: YooKassa's notifications, from its own networks only."""

from __future__ import annotations

import ipaddress
import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cabinet.config import Settings
from cabinet.services.payments import handle_notification

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 64 * 1024
_LOOPBACK = ("127.0.0.0/8", "::1/128")


def allowed_networks(settings: Settings) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """YooKassa's published ranges (or the configured ones); loopback too while the stand-in pays."""
    networks = list(settings.yookassa_allowed_networks)
    if settings.payments_sandbox:
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
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return JSONResponse({"error": "too_large"}, status_code=413)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return JSONResponse({"error": "bad_request"}, status_code=400)
        result = await run_in_threadpool(handle_notification, text, source_address=source)
        return JSONResponse({"result": result.outcome}, status_code=result.http_status)

    return [Route("/api/yookassa/webhook", webhook, methods=["POST"])]
