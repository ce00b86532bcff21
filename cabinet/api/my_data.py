"""GET /api/my-data/<token>: the «Мои данные» archive, once, by the link «Настройки» showed (services/data_archive.py).

The link's token alone authorises it — a download leaves the page, which cannot pass the browser's sign-in —
so it is long, random, single-use and lives a day. A used, expired or made-up link gets a short Russian page.
"""

from __future__ import annotations

import html
import urllib.parse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.errors import DomainError
from cabinet.services.data_archive import take_archive

_PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


async def download(request: Request) -> Response:
    client_address = request.client.host if request.client else ""
    try:
        archive = await run_in_threadpool(
            take_archive, raw_token=request.path_params["token"], now=utc_now(), client_address=client_address
        )
    except DomainError as error:
        return _refusal(texts.error_text(error.code, **error.params))
    filename = urllib.parse.quote(archive.filename)
    return Response(
        archive.content,
        media_type="application/zip",
        headers={**_PRIVATE, "Content-Disposition": f"attachment; filename*=UTF-8''{filename}"},
    )


def _refusal(message: str) -> HTMLResponse:
    escape = html.escape
    page = (
        f'<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{escape(texts.SETTINGS["data_title"])}'
        f'</title><meta name="viewport" content="width=device-width,initial-scale=1"></head><body>'
        f'<h1>{escape(texts.SETTINGS["data_title"])}</h1><p id="archive-link-invalid">{escape(message)}</p>'
        f'<p><a href="/settings#settings-data">{escape(texts.SETTINGS["data_back"])}</a></p></body></html>'
    )
    return HTMLResponse(page, status_code=410, headers=_PRIVATE)


def my_data_routes() -> list[Route]:
    return [Route("/api/my-data/{token}", download, methods=["GET"])]
