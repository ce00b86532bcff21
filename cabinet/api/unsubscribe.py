"""POST /api/unsubscribe/<token>: RFC 8058 one-click unsubscribe, as a mail client sends it from List-Unsubscribe.

The token alone authorises it (services/unsubscribe.py): it turns one reminder kind off for one user and
nothing else. A GET (a client that opens the header's address instead) is sent to the page that does it.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from cabinet.config import Settings
from cabinet.errors import DomainError
from cabinet.services.unsubscribe import unsubscribe


def unsubscribe_routes(settings: Settings) -> list[Route]:
    async def one_click(request: Request) -> JSONResponse:
        try:
            switch = await run_in_threadpool(unsubscribe, request.path_params["token"])
        except DomainError as error:
            return JSONResponse({"error": error.code}, status_code=400)
        return JSONResponse({"result": "unsubscribed", "switch": switch})

    async def page(request: Request) -> Response:
        return RedirectResponse(f"{settings.public_url}/unsubscribe/{request.path_params['token']}", status_code=303)

    return [
        Route("/api/unsubscribe/{token}", one_click, methods=["POST"]),
        Route("/api/unsubscribe/{token}", page, methods=["GET"]),
    ]
