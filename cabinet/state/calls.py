"""The one way a State calls a service: off the event loop, with a refusal turned into text for a field."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from cabinet import texts
from cabinet.errors import FORM, DomainError
from cabinet.state.hashing import run_hashing

Result = TypeVar("Result")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome(Generic[Result]):
    """What a service call came to: its value, or the refusal to show next to a field."""

    value: Result | None = None
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def field(self) -> str:
        return self.error.field if self.error is not None else ""

    @property
    def message(self) -> str:
        """The refusal in Russian; "" when the call succeeded."""
        if self.error is None:
            return ""
        return texts.error_text(self.error.code, **self.error.params)

    @property
    def errors(self) -> dict[str, str]:
        """{field: message} for a form's error dict; empty when the call succeeded."""
        return {self.field: self.message} if self.error is not None else {}


async def call(function: Callable[..., Result], /, **kwargs: object) -> Outcome[Result]:
    """Runs one service entry (which owns its transaction) on a worker thread and reports the outcome.

    The event loop serves every other tab meanwhile. Password hashing goes to its own pool (see
    state/hashing.py). A DomainError becomes the outcome's error; anything else is logged and shown
    as the generic «Что-то пошло не так», never as a stack trace or an English toast.
    """
    try:
        if getattr(function, "hashes_passwords", False):
            value = await run_hashing(functools.partial(function, **kwargs))
        else:
            context = contextvars.copy_context()
            value = await asyncio.to_thread(context.run, functools.partial(function, **kwargs))
    except DomainError as error:
        return Outcome(error=error)
    except Exception:
        logger.exception("%s failed", getattr(function, "__qualname__", function))
        return Outcome(error=DomainError("unexpected", field=FORM))
    return Outcome(value=value)
