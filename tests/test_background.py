"""Periodic work runs in one worker at a time, on SQLite and PostgreSQL, and goes on when that worker dies.

(The reconciliation itself, run by its loop, is tested in tests/services/test_background.py.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cabinet import background
from cabinet.locks import database_lock
from cabinet.services.mail import DeliveryReport

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 5


def test_two_workers_trying_a_pass_at_the_same_moment_run_it_once(engine, monkeypatch):
    url = engine.url.render_as_string(hide_password=False)
    passes: list[str] = []
    monkeypatch.setattr(
        background, "deliver_pending_mail", lambda: passes.append(threading.current_thread().name) or DeliveryReport()
    )
    together = threading.Barrier(2)
    ran: dict[str, list[bool]] = {}

    def worker() -> None:
        lock = database_lock("outbox", url)  # each worker process has a lock object of its own
        name = threading.current_thread().name
        ran[name] = []
        try:
            for _ in range(ROUNDS):
                together.wait(timeout=30)
                ran[name].append(background.run_pass(lock, background.outbox_pass))
            together.wait(timeout=30)  # both tried every round before either stops
        finally:
            lock.release()

    threads = [threading.Thread(target=worker, name=f"worker-{index}") for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(passes) == ROUNDS  # one pass a round, not two
    [holder] = set(passes)  # and always the same worker: it keeps the lock between passes
    assert ran[holder] == [True] * ROUNDS
    assert [runs for name, runs in ran.items() if name != holder] == [[False] * ROUNDS]


# A worker as the backend runs it: the real outbox loop, with a pass that writes down who ran it.
WORKER = """
import asyncio, os, sys
from cabinet import background
from cabinet.services.mail import DeliveryReport

def deliver_pending_mail():
    with open(sys.argv[1], "a") as record:
        record.write(f"{os.getpid()}\\n")
    return DeliveryReport()

background.deliver_pending_mail = deliver_pending_mail
background.OUTBOX_INTERVAL_SECONDS = 0.05
print("started", flush=True)
asyncio.run(background.outbox_loop())
"""


def _passes(record: Path) -> list[int]:
    return [int(line) for line in record.read_text().split()] if record.exists() else []


def _wait_for(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true"
        time.sleep(0.05)


@pytest.mark.timeout(180)
def test_two_worker_processes_run_the_outbox_in_one_and_the_other_takes_over_when_it_dies(engine, tmp_path):
    record = tmp_path / "passes"
    env = {**os.environ, "DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(record)], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        for worker in workers:
            assert worker.stdout.readline().strip() == "started"
        # Both loops are running; let both try many times (the interval is 0.05 s).
        _wait_for(lambda: len(_passes(record)) >= 40)
        assert set(_passes(record)) in ({workers[0].pid}, {workers[1].pid})
        [holder] = [worker for worker in workers if worker.pid in _passes(record)]
        [other] = [worker for worker in workers if worker is not holder]

        holder.send_signal(signal.SIGKILL)  # a crash: no `finally`, no release
        holder.wait(timeout=30)
        _wait_for(lambda: other.pid in _passes(record))
        assert other.poll() is None
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait(timeout=30)
