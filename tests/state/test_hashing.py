"""bcrypt at production cost runs off the event loop, so one resident's sign-in never stalls the others."""

from __future__ import annotations

import asyncio
import functools
import threading

from cabinet.services.passwords import hash_password, verify_password
from cabinet.state.hashing import run_hashing

PRODUCTION_COST = 12
HASHES = 3
TICKS = 50
# How long work waits for the loop. Generous, since a free loop answers at once; in the blocked case the
# answer is «no» whatever the wait, as a loop held by the work cannot run until the work returns.
SAFETY_SECONDS = 60.0
BLOCKED_WAIT_SECONDS = 1.0


class LoopProbe:
    """Tells, without a clock, whether the event loop kept serving other coroutines while some work ran.

    The work marks that it started, does its hash, then waits until a ticker coroutine on the loop has been
    resumed TICKS times since that mark. A free loop gets there; a loop the work is blocking never can.
    """

    def __init__(self) -> None:
        self.started = threading.Event()
        self.served = threading.Event()
        self.ticks = 0

    async def ticker(self) -> None:
        await asyncio.to_thread(self.started.wait, SAFETY_SECONDS)
        for _ in range(TICKS):
            await asyncio.sleep(0)  # hands the loop to every other ready coroutine once
            self.ticks += 1
        self.served.set()

    def work(self, hashing: functools.partial, wait_seconds: float = SAFETY_SECONDS) -> tuple[str, bool, object]:
        self.started.set()
        value = hashing()
        served = self.served.wait(wait_seconds)
        return threading.current_thread().name, served, value


def test_hashing_at_production_cost_leaves_the_event_loop_responsive():
    """Regression guard: bcrypt on the loop would freeze every open page for the hash's duration."""

    async def scenario():
        # The probe sees a stall: one hash done on the loop itself, and the ticker never moves meanwhile.
        blocked = LoopProbe()
        ticking = asyncio.create_task(blocked.ticker())
        await asyncio.sleep(0)  # the ticker is waiting for the work to start
        on_the_loop = blocked.work(
            functools.partial(hash_password, "abc12", rounds=PRODUCTION_COST), BLOCKED_WAIT_SECONDS
        )
        ticks_while_blocked = blocked.ticks
        await ticking

        # Through the helper: three hashes and a check at production cost; each waits for the loop to serve.
        free = LoopProbe()
        ticking = asyncio.create_task(free.ticker())
        stored = on_the_loop[2]
        results = await asyncio.gather(
            *[
                run_hashing(free.work, functools.partial(hash_password, f"pass{index}", rounds=PRODUCTION_COST))
                for index in range(HASHES)
            ],
            run_hashing(free.work, functools.partial(verify_password, "abc12", stored)),
        )
        await ticking
        return on_the_loop, ticks_while_blocked, results, free.ticks

    (loop_thread, served_while_blocked, stored), ticks_while_blocked, results, ticks = asyncio.run(scenario())
    assert stored.startswith("$2b$12$")
    assert (served_while_blocked, ticks_while_blocked) == (False, 0)
    assert loop_thread == threading.current_thread().name

    *hashes, verified = results
    assert [served for _, served, _ in results] == [True] * (HASHES + 1)
    assert all(thread.startswith("password-hashing") for thread, _, _ in results)
    assert ticks == TICKS
    assert verified[2] is True
    assert all(value.startswith("$2b$12$") for _, _, value in hashes)


def test_hashing_runs_on_its_own_threads_not_asyncios_shared_pool():
    """A burst of sign-ins queues on the hashing threads and leaves the shared pool, which page loads use, free."""

    async def scenario():
        shared_pool_thread = await asyncio.to_thread(lambda: threading.current_thread().name)
        hashing_thread = await run_hashing(lambda: threading.current_thread().name)
        return threading.current_thread().name, shared_pool_thread, hashing_thread

    loop_thread, shared_pool_thread, hashing_thread = asyncio.run(scenario())
    assert hashing_thread.startswith("password-hashing")
    assert hashing_thread not in (loop_thread, shared_pool_thread)
