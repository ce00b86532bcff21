"""Password hashing off the event loop, on threads of its own."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Result = TypeVar("Result")

# Half the cores: a burst of sign-ins (bcrypt, cost 12, ~0.2 s each) queues here and leaves the
# other cores, and asyncio's shared pool that every page load goes through, to everyone else.
_POOL = ThreadPoolExecutor(max_workers=max(1, (os.cpu_count() or 2) // 2), thread_name_prefix="password-hashing")


async def run_hashing(function: Callable[..., Result], *args: object) -> Result:
    """`await asyncio.to_thread(function, *args)` for work that hashes or checks a password."""
    context = contextvars.copy_context()
    call = functools.partial(context.run, function, *args)
    return await asyncio.get_running_loop().run_in_executor(_POOL, call)
