"""Serves the YooKassa and Resend stand-ins (and our webhook) on a free loopback port for tests.

The app's settings are pointed at that port and at the test's database, so our gateways talk
to the stand-ins through the real SDKs, and the stand-ins' notifications reach our webhook.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator

import sqlalchemy as sa
import uvicorn
from starlette.applications import Starlette

from cabinet.config import get_settings
from cabinet.sandbox import faults, sandbox_routes

_SETTINGS_ENV = (
    "DATABASE_URL",
    "PUBLIC_URL",
    "YOOKASSA_SHOP_ID",
    "YOOKASSA_SECRET_KEY",
    "YOOKASSA_API_URL",
    "RESEND_API_KEY",
    "RESEND_API_URL",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_stand_ins(engine: sa.Engine, *, with_webhook: bool = False, database_url: str | None = None) -> Iterator[str]:
    """Yields the base URL; settings point at it and at `engine` (or `database_url`) until the block ends.

    With the webhook, the app is the backend's own API (health, webhook, images, stand-ins, and
    its JSON error handler), as `reflex run` mounts it.
    """
    saved = {name: os.environ.get(name) for name in _SETTINGS_ENV}
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    for name in _SETTINGS_ENV:
        os.environ.pop(name, None)
    os.environ["DATABASE_URL"] = database_url or engine.url.render_as_string(hide_password=False)
    os.environ["PUBLIC_URL"] = base_url
    get_settings.cache_clear()
    settings = get_settings()
    if with_webhook:
        from cabinet.api import build_api

        app = build_api(settings)
    else:
        app = Starlette(routes=sandbox_routes(settings))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the stand-ins did not start")
        time.sleep(0.02)
    try:
        yield base_url
    finally:
        server.should_exit = True
        thread.join(10)
        faults.clear_faults()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()
