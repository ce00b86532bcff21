"""Locks across worker processes: one holder at a time on SQLite and PostgreSQL, taken over when the holder dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cabinet.locks import FileLock, advisory_key, database_lock, folder_lock

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_one_process_holds_a_lock_at_a_time(engine):
    first, second = database_lock("tested", _url(engine)), database_lock("tested", _url(engine))
    try:
        assert first.try_hold() is True
        assert second.try_hold() is False
        assert first.try_hold() is True  # kept by its holder, pass after pass
        another = database_lock("another", _url(engine))
        assert another.try_hold() is True  # each name is a lock of its own
        another.release()
        first.release()
        assert second.try_hold() is True
        assert first.try_hold() is False
    finally:
        first.release()
        second.release()


def test_on_sqlite_the_lock_file_sits_beside_the_database_file(tmp_path):
    lock = database_lock("outbox", f"sqlite:///{tmp_path / 'cabinet.db'}")
    assert isinstance(lock, FileLock)
    assert lock.path == tmp_path / "cabinet.db.outbox.lock"
    assert folder_lock("sweep", tmp_path).path == tmp_path / ".sweep.lock"


def test_advisory_keys_are_stable_and_differ_by_name():
    assert advisory_key("outbox") == advisory_key("outbox")
    assert advisory_key("outbox") != advisory_key("reconcile")
    assert -(2**63) <= advisory_key("outbox") < 2**63


HOLD_UNTIL_KILLED = """
import sys, time
from cabinet.locks import database_lock
lock = database_lock("tested", sys.argv[1])
print(lock.try_hold(), flush=True)
time.sleep(600)
"""


@pytest.mark.timeout(120)
def test_when_the_holder_dies_another_process_takes_the_lock(engine):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_UNTIL_KILLED, _url(engine)],
        cwd=PROJECT_ROOT,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        text=True,
    )
    lock = database_lock("tested", _url(engine))
    try:
        assert holder.stdout.readline().strip() == "True"
        assert lock.try_hold() is False
        holder.send_signal(signal.SIGKILL)  # no chance to release: the kernel or PostgreSQL must let go
        holder.wait(timeout=30)
        # PostgreSQL ends the dead client's session as soon as it sees the socket closed.
        for _ in range(100):
            if lock.try_hold():
                break
            time.sleep(0.1)
        assert lock.try_hold() is True
    finally:
        lock.release()
        if holder.poll() is None:
            holder.kill()
            holder.wait()
