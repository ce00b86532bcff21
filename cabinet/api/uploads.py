"""Refuses /_upload requests that are too large or not from a signed-in operator, before the body is read."""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp

from cabinet.config import Settings


def guard_uploads(settings: Settings) -> Callable[[ASGIApp], ASGIApp]:
    # Scaffold: replaced by the real middleware in this change.
    return lambda app: app
