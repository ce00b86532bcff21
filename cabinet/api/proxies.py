"""The resident's own address behind trusted proxies (TRUSTED_PROXIES); the peer's otherwise."""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp

from cabinet.config import Settings


def trust_proxies(settings: Settings) -> Callable[[ASGIApp], ASGIApp]:
    # Scaffold: replaced by the real middleware in this change.
    return lambda app: app
