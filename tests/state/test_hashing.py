"""bcrypt at production cost runs off the event loop, so one resident's sign-in never stalls the others."""

from __future__ import annotations

import asyncio
import functools
import threading
import time

from cabinet.services.passwords import hash_password, verify_password
from cabinet.state.hashing import run_hashing

PRODUCTION_COST = 12
HASHES = 3
TICK_SECONDS = 0.005


async def _longest_stall(work) -> tuple[float, object]:
    """Runs `work()` while a ticker sleeps TICK_SECONDS at a time; returns the longest gap between ticks."""
    longest = 0.0
    running = True

    async def ticker() -> None:
        nonlocal longest
        last = time.perf_counter()
        while running:
            await asyncio.sleep(TICK_SECONDS)
            current = time.perf_counter()
            longest = max(longest, current - last)
            last = current

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(TICK_SECONDS * 4)  # the ticker is running before the work starts
    try:
        result = await work()
    finally:
        running = False
        await ticking
    return longest, result


def test_hashing_at_production_cost_leaves_the_event_loop_responsive():
    """Regression guard: bcrypt on the loop would freeze every open page for the hash's duration."""

    async def scenario():
        # The yardstick, measured here and now on this machine: one hash done on the loop itself,
        # which must stall the ticker for about as long as it takes (proves the probe sees stalls).
        async def on_the_loop():
            started = time.perf_counter()
            stored = hash_password("abc12", rounds=PRODUCTION_COST)
            return time.perf_counter() - started, stored

        blocked_gap, (one_hash, stored) = await _longest_stall(on_the_loop)

        production_hash = functools.partial(hash_password, rounds=PRODUCTION_COST)

        async def through_the_helper():
            started = time.perf_counter()
            results = await asyncio.gather(
                *[run_hashing(production_hash, f"pass{index}") for index in range(HASHES)],
                run_hashing(verify_password, "abc12", stored),
            )
            return time.perf_counter() - started, results

        helper_gap, (helper_total, results) = await _longest_stall(through_the_helper)
        return one_hash, blocked_gap, helper_gap, helper_total, results, stored

    one_hash, blocked_gap, helper_gap, helper_total, results, stored = asyncio.run(scenario())
    measured = (f"one hash {one_hash:.3f}s, longest tick gap with a hash on the loop {blocked_gap:.3f}s, "
                f"with {HASHES + 1} through the helper {helper_gap:.3f}s (they took {helper_total:.3f}s)")
    assert stored.startswith("$2b$12$")
    *hashes, verified = results
    assert verified is True and all(value.startswith("$2b$12$") for value in hashes)
    assert blocked_gap >= one_hash * 0.9, measured
    # The helper did real work for at least a hash's time while the loop kept ticking.
    assert helper_total >= one_hash, measured
    assert helper_gap < one_hash / 4, measured


def test_hashing_runs_on_its_own_threads_not_asyncios_shared_pool():
    """A burst of sign-ins queues on the hashing threads and leaves the shared pool, which page loads use, free."""

    async def scenario():
        shared_pool_thread = await asyncio.to_thread(lambda: threading.current_thread().name)
        hashing_thread = await run_hashing(lambda: threading.current_thread().name)
        return threading.current_thread().name, shared_pool_thread, hashing_thread

    loop_thread, shared_pool_thread, hashing_thread = asyncio.run(scenario())
    assert hashing_thread.startswith("password-hashing")
    assert hashing_thread not in (loop_thread, shared_pool_thread)
