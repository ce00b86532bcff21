"""How a service entry owns its transaction: one decorator, so every action commits the same way."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from cabinet.db import session_scope

Result = TypeVar("Result")


def transactional(
    *, keep_on: tuple[type[BaseException], ...] = ()
) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Makes a service function an action's entry.

    Called without `session` (as a State or a route calls it), it runs in a transaction of its own:
    committed on return, rolled back on any error, except the errors named in `keep_on`, after
    which what was written is still committed — a wrong password or a wrong ownership answer is a
    refusal that must still count towards its limit. Called with `session=` (another service, a
    test), it joins that transaction and leaves committing to its owner.
    """

    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        @functools.wraps(function)
        def entry(*args: Any, session: Any = None, **kwargs: Any) -> Result:
            if session is not None:
                return function(*args, session=session, **kwargs)
            with session_scope(commit_on=keep_on) as own_session:
                return function(*args, session=own_session, **kwargs)

        entry.keeps_on = keep_on  # type: ignore[attr-defined]
        return entry

    return decorate
