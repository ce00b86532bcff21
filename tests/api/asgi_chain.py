"""The backend's ASGI chain as `reflex run` builds it, around a stand-in or a real Reflex app, for API tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from cabinet.api import api_transformers
from cabinet.config import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]


async def reflex_stand_in(scope: Scope, receive: Receive, send: Send) -> None:
    """What Reflex answers for a path none of our routes takes: its own not-found page."""
    await PlainTextResponse("reflex", status_code=404)(scope, receive, send)


def chain(settings: Settings, inner: ASGIApp = reflex_stand_in, *, with_cors: bool = False) -> ASGIApp:
    """Our transformers applied the way `App.__call__` applies them: a Starlette mounts the app, the rest wrap it."""
    app = inner
    for transformer in api_transformers(settings):
        if isinstance(transformer, Starlette):
            if with_cors:
                from reflex.app import App

                App._add_cors(transformer)
            transformer.mount("", app)
            app = transformer
        else:
            app = transformer(app)
    return app


@contextlib.contextmanager
def reflex_config(**env: str) -> Iterator[object]:
    """rxconfig.py loaded afresh under these variables, in a registration context of its own.

    The fork keeps Reflex's process-wide registrations (and any app built inside) away from other tests.
    """
    from reflex_base.config import reload_config
    from reflex_base.registry import RegistrationContext

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        for name in ("REFLEX_CORS_ALLOWED_ORIGINS", "REFLEX_TRUSTED_PROXY_HOPS"):
            patch.delenv(name, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        get_settings.cache_clear()
        try:
            with RegistrationContext.ensure_context().fork():
                yield reload_config()
        finally:
            get_settings.cache_clear()
