"""Shared fixtures: a throw-away data folder, and databases on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import tempfile
import uuid

# Before cabinet.config is imported: keep tests away from the developer's data/ and .env.
os.environ.setdefault("CABINET_DATA_DIR", tempfile.mkdtemp(prefix="cabinet-test-"))
os.environ.setdefault("BCRYPT_ROUNDS", "4")

import pytest
import sqlalchemy as sa
from hypothesis.configuration import set_hypothesis_home_dir
from sqlmodel import Session, SQLModel

import cabinet.models  # noqa: F401  (registers the tables)
from cabinet.db import engine_for

# Hypothesis's caches go beside the tests' other throw-away files, not into the project's folder.
set_hypothesis_home_dir(os.path.join(os.environ["CABINET_DATA_DIR"], "hypothesis"))

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def create_postgres_database() -> str:
    """A new empty database on the local server; returns its URL."""
    name = f"cabinet_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine_for.cache_clear()
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_url():
    url = create_postgres_database()
    engine = sa.create_engine(url)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    yield url
    drop_postgres_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """An engine with the full schema and no rows, once on each database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        engine = engine_for(url)
        SQLModel.metadata.create_all(engine)
        yield engine
        engine.dispose()
        return
    url = request.getfixturevalue("postgres_url")
    engine = engine_for(url)
    tables = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield engine


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def app_database(engine, monkeypatch):
    """Points the app's own engine (what service entries open without `session=`) at the test's database."""
    from cabinet.config import get_settings

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()
