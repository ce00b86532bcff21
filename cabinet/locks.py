"""Named locks held across worker processes (and machines, on PostgreSQL), so periodic work runs in one at a time."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
from pathlib import Path
from typing import IO, Protocol

import sqlalchemy as sa

from cabinet.config import get_settings
from cabinet.db import engine_for

logger = logging.getLogger(__name__)


class HeldLock(Protocol):
    """A lock one process holds until it releases it or dies; the others' tries fail meanwhile."""

    def try_hold(self) -> bool:
        """True if this process holds the lock now: taken if free, kept if already held here."""
        ...

    def release(self) -> None: ...


def database_lock(name: str, database_url: str | None = None) -> HeldLock:
    """A lock shared by every process that uses the database at `database_url` (the app's by default)."""
    database_url = database_url or get_settings().database_url
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return AdvisoryLock(engine_for(database_url), advisory_key(name))
    # SQLite is one machine (`make run`): a lock file beside the database file is shared by exactly the
    # processes that share that database. flock, not a lock row: the kernel releases it when its holder
    # dies, where a row would need a timeout to tell a dead holder from a slow pass.
    database = url.database if url.database not in (None, "", ":memory:") else None
    folder = Path(database).parent if database else get_settings().cabinet_data_dir
    stem = Path(database).name if database else "cabinet"
    return FileLock(folder / f"{stem}.{name}.lock")


def folder_lock(name: str, folder: Path) -> HeldLock:
    """A lock for work on one folder: shared by the processes that see that folder (one machine's workers)."""
    return FileLock(folder / f".{name}.lock")


def advisory_key(name: str) -> int:
    """PostgreSQL's advisory locks are named by a 64-bit number: a stable one from the lock's name."""
    digest = hashlib.blake2b(f"cabinet.{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class AdvisoryLock:
    """A session-level PostgreSQL advisory lock, kept on a connection of its own for as long as it is held.

    Session-level, not transaction-level: a pass runs many transactions of its own, and no transaction
    stays open meanwhile. The connection is detached from the pool, so the lock can never be handed to
    another user of the pool; closing it ends the session, which releases the lock, and so does the
    holder's death (PostgreSQL drops the session with the connection). Needs a direct connection or a
    session-mode pooler: a transaction-mode pgbouncer would move the session under the lock.
    """

    def __init__(self, engine: sa.Engine, key: int) -> None:
        self._engine = engine
        self._key = key
        self._connection: sa.Connection | None = None

    def try_hold(self) -> bool:
        if self._connection is not None:
            try:
                # A live session still holds its session-level lock: only an unlock or its end lets go.
                self._connection.execute(sa.text("SELECT 1"))
                self._connection.commit()
                return True
            except sa.exc.DBAPIError:
                logger.warning("Lost the database connection holding advisory lock %s", self._key)
                self.release()
        connection = self._engine.connect()
        try:
            held = connection.execute(sa.select(sa.func.pg_try_advisory_lock(self._key))).scalar_one()
            connection.commit()
        except BaseException:
            connection.close()
            raise
        if not held:
            connection.close()
            return False
        connection.detach()
        self._connection = connection
        return True

    def release(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            with contextlib.suppress(sa.exc.DBAPIError):
                # Unlock before closing: the server ends a closed session only after the client has
                # gone, so another process trying at once could still find the lock taken.
                connection.execute(sa.select(sa.func.pg_advisory_unlock(self._key)))
                connection.commit()
            with contextlib.suppress(sa.exc.DBAPIError):
                connection.close()  # detached: this ends the session, and a lock still held with it


class FileLock:
    """An exclusive flock on a file; the kernel lets go when the file is closed or its process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    def try_hold(self) -> bool:
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+b")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            handle, self._file = self._file, None
            handle.close()
