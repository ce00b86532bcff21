"""The alembic chain brings an empty SQLite and an empty PostgreSQL database to the models' schema."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import cabinet.sandbox.models  # noqa: F401  (its tables are part of the schema)
from alembic import command
from cabinet.db import engine_for
from cabinet.migrations import alembic_config, upgrade_to_head
from tests.conftest import create_postgres_database, drop_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


def _schema_differences(url: str) -> list:
    with engine_for(url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def _current_revision(url: str) -> str | None:
    with engine_for(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_chain_reaches_the_models_schema_and_a_second_run_changes_nothing(empty_database_url):
    upgrade_to_head(empty_database_url)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert _current_revision(empty_database_url) == head
    assert _schema_differences(empty_database_url) == []

    tables_before = set(sa.inspect(engine_for(empty_database_url)).get_table_names())
    upgrade_to_head(empty_database_url)
    assert _current_revision(empty_database_url) == head
    assert set(sa.inspect(engine_for(empty_database_url)).get_table_names()) == tables_before


def test_chain_downgrades_to_empty_and_up_again(empty_database_url):
    upgrade_to_head(empty_database_url)
    command.downgrade(alembic_config(empty_database_url), "base")
    remaining = set(sa.inspect(engine_for(empty_database_url)).get_table_names()) - {"alembic_version"}
    assert remaining == set()
    upgrade_to_head(empty_database_url)
    assert _schema_differences(empty_database_url) == []


def test_every_revision_has_a_message():
    for revision in ScriptDirectory.from_config(alembic_config()).walk_revisions():
        assert revision.doc and revision.doc.strip(), revision.revision
