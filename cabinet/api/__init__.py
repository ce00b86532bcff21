"""HTTP routes served beside the pages: health, the payment webhook; the stand-ins in demo mode."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute

from cabinet.api.health import health_routes
from cabinet.api.images import image_routes
from cabinet.api.payments import payment_routes
from cabinet.config import Settings

logger = logging.getLogger(__name__)


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    # Log the details for us; the caller only ever sees a short JSON answer.
    logger.exception("Unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse({"error": "internal_error"}, status_code=500)


def api_routes(settings: Settings) -> list[BaseRoute]:
    routes: list[BaseRoute] = [*health_routes(), *payment_routes(settings), *image_routes()]
    if settings.demo_mode:
        from cabinet.sandbox import sandbox_routes

        routes.extend(sandbox_routes(settings))
    return routes


def build_api(settings: Settings) -> Starlette:
    """A fresh Starlette for rx.App(api_transformer=...); Reflex mounts itself under it."""
    return Starlette(
        routes=api_routes(settings),
        exception_handlers={Exception: _unexpected_error},
    )
