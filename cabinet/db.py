"""The database engine and sessions, built from settings; services receive a Session."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

import sqlalchemy as sa
from sqlmodel import Session, create_engine

from cabinet.config import ensure_data_dir, get_settings


@functools.cache
def engine_for(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        ensure_data_dir()
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            # WAL lets page reads go on while a webhook writes; foreign keys are off by default.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
            # SQLite's own lower() knows only ASCII; searches by Cyrillic names need Unicode.
            dbapi_connection.create_function(
                "lower", 1, lambda value: value.lower() if isinstance(value, str) else value, deterministic=True
            )

        return engine
    settings = get_settings()
    # A short connect timeout lets the health check answer 503 instead of hanging.
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        connect_args={"connect_timeout": 5},
    )


def get_engine() -> sa.Engine:
    return engine_for(get_settings().database_url)


@contextlib.contextmanager
def session_scope(*, commit_on: tuple[type[BaseException], ...] = ()) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back on any error.

    `commit_on` names refusals that must still keep what was written before them, such as
    a failed sign-in or a wrong ownership answer, which count towards a limit.
    """
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except commit_on:
            session.commit()
            raise
        except BaseException:
            session.rollback()
            raise
