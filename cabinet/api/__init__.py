"""HTTP routes served beside the pages: health, the payment webhook, one-click unsubscribe, the «Мои данные»
archive; the stand-ins in demo mode."""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute
from starlette.types import ASGIApp

from cabinet.api.headers import security_headers
from cabinet.api.health import health_routes
from cabinet.api.images import image_routes
from cabinet.api.my_data import my_data_routes
from cabinet.api.payments import payment_routes
from cabinet.api.proxies import trust_proxies
from cabinet.api.unsubscribe import unsubscribe_routes
from cabinet.api.uploads import guard_uploads
from cabinet.config import Settings

logger = logging.getLogger(__name__)


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    # Log the details for us; the caller only ever sees a short JSON answer.
    logger.error("Unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return JSONResponse({"error": "internal_error"}, status_code=500)


def api_routes(settings: Settings) -> list[BaseRoute]:
    routes: list[BaseRoute] = [
        *health_routes(),
        *payment_routes(settings),
        *image_routes(),
        *my_data_routes(),
        *unsubscribe_routes(settings),
    ]
    # The demo mailbox shows every letter (reset links too) and the fault switch breaks payments:
    # with real credentials none of /dev or /sandbox exists.
    if settings.demo_mode:
        from cabinet.sandbox import sandbox_routes

        routes.extend(sandbox_routes(settings))
    return routes


def build_api(settings: Settings) -> Starlette:
    """A fresh Starlette with our routes; Reflex mounts itself under it."""
    return Starlette(
        routes=api_routes(settings),
        exception_handlers={Exception: _unexpected_error},
    )


def api_transformers(settings: Settings) -> list[Starlette | Callable[[ASGIApp], ASGIApp]]:
    """rx.App(api_transformer=...): our routes, then the ASGI middleware, innermost first.

    Every answer of the backend passes through these — pages and assets (served by the same port in
    production), `/_event`, `/_upload` and our routes — so the proxy rule, the upload guard and the
    security headers hold for all of them.
    """
    return [
        build_api(settings),
        guard_uploads(settings),
        security_headers(settings),
        # Outermost: everything inside sees the resident's own address, not the proxy's.
        trust_proxies(settings),
    ]
