"""Security headers on every answer: frame denial, nosniff, referrer, permissions, HSTS, CSP."""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp

from cabinet.config import Settings


def security_headers(settings: Settings) -> Callable[[ASGIApp], ASGIApp]:
    # Scaffold: replaced by the real middleware in this change.
    return lambda app: app
