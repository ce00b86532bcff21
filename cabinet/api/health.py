"""GET /api/health: the app version and whether the database answers."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cabinet import __version__
from cabinet.services.health import database_is_reachable

logger = logging.getLogger(__name__)


async def health(_request: Request) -> JSONResponse:
    database_ok = await run_in_threadpool(database_is_reachable)
    body = {
        "status": "ok" if database_ok else "unavailable",
        "version": __version__,
        "database": "ok" if database_ok else "unreachable",
    }
    return JSONResponse(body, status_code=200 if database_ok else 503)


def health_routes() -> list[Route]:
    return [Route("/api/health", health, methods=["GET"])]
