"""A loopback hop in front of the YooKassa stand-in that keeps every request as the SDK sent it over the wire."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cabinet.config import get_settings
from tests.stand_ins import free_port


@contextlib.contextmanager
def recording_hop(target: str) -> Iterator[list[dict]]:
    """A loopback hop in front of the stand-in that keeps every request as it went over the wire.

    The stand-in keeps only part of a create request (not the receipt), so the SDK's request
    itself is read here; the hop forwards everything unchanged.
    """
    seen: list[dict] = []

    async def forward(request: Request) -> Response:
        body = await request.body()
        seen.append(
            {
                "method": request.method,
                "path": request.url.path,
                "idempotence_key": request.headers.get("idempotence-key"),
                "json": json.loads(body) if body else None,
            }
        )
        headers = {name: value for name, value in request.headers.items() if name not in ("host", "content-length")}
        async with httpx.AsyncClient() as client:
            answer = await client.request(
                request.method, target + request.url.path, content=body, headers=headers, timeout=10
            )
        return Response(answer.content, status_code=answer.status_code, media_type=answer.headers.get("content-type"))

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            Starlette(routes=[Route("/{path:path}", forward, methods=["GET", "POST"])]),
            host="127.0.0.1",
            port=port,
            log_level="critical",
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the recording hop did not start"
        time.sleep(0.02)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("YOOKASSA_API_URL", f"http://127.0.0.1:{port}/sandbox/yookassa/v3")
        get_settings.cache_clear()
        try:
            yield seen
        finally:
            get_settings.cache_clear()
            server.should_exit = True
            thread.join(10)
    get_settings.cache_clear()
