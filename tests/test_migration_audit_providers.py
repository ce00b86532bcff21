"""Revision 5e1f0c2a9b7d gives existing audit events their provider, from what they target or name."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from alembic import command
from cabinet.db import engine_for
from cabinet.migrations import alembic_config
from tests.conftest import create_postgres_database, drop_postgres_database

BEFORE, AFTER = "deb92b5113f3", "5e1f0c2a9b7d"
NOW = dt.datetime(2026, 12, 1, 9, 0)
# (event id, target_type, target_id, details) → the provider it gets.
EVENTS = {
    (1, "provider", "2", "{}"): 2,
    (2, "account", "1", "{}"): 1,
    (3, "payment", "1", "{}"): 1,
    (4, "meter", "1", "{}"): 1,
    (5, "", "", '{"provider": 2, "status": null}'): 2,  # payments_exported
    (6, "sender", "anna@example.com", '{"account": 1, "topic": "payment"}'): 1,  # support_question
    (7, "", "", '{"provider": null, "status": null}'): None,
    (8, "provider", "99", "{}"): None,  # a provider that is gone
    (9, "payment", "77", "{}"): None,
    (10, "user", "1", "{}"): None,
    (11, "", "", "not json"): None,
    (12, "account", "abc", "{}"): None,
}
ACTIONS = {5: "payments_exported", 6: "support_question", 7: "payments_exported", 11: "payments_exported"}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


def _row(table: sa.Table, **given) -> dict:
    row = dict(given)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        kind = column.type.python_type
        row[column.name] = {str: "x", int: 1, bool: False, dt.datetime: NOW, dt.date: NOW.date()}[kind]
    return row


def _old_rows(url: str) -> None:
    engine = engine_for(url)
    tables = sa.MetaData()
    tables.reflect(engine)
    with engine.begin() as connection:

        def insert(name: str, **given) -> None:
            connection.execute(tables.tables[name].insert().values(_row(tables.tables[name], **given)))

        insert("users", id=1, email_canonical="anna@example.com")
        insert("providers", id=1)
        insert("providers", id=2)
        insert("provider_accounts", id=1, provider_id=1)
        insert("meters", id=1, account_id=1, kind="cold_water", serial="SN1")
        insert("payments", id=1, user_id=1, account_id=1, idempotency_key="k1", status="pending", purpose="debt")
        for (event_id, target_type, target_id, details), _provider in EVENTS.items():
            insert(
                "audit_events",
                id=event_id,
                action=ACTIONS.get(event_id, "x"),
                target_type=target_type,
                target_id=target_id,
                details=details,
                client_address="",
            )


def test_existing_events_get_their_provider_and_the_column_goes_on_downgrade(database_url):
    config = alembic_config(database_url)
    command.upgrade(config, BEFORE)
    _old_rows(database_url)

    command.upgrade(config, AFTER)

    with engine_for(database_url).connect() as connection:
        got = dict(connection.execute(sa.text("SELECT id, provider_id FROM audit_events")).all())
    assert got == {key[0]: provider for key, provider in EVENTS.items()}

    command.downgrade(config, BEFORE)
    with engine_for(database_url).connect() as connection:
        columns = {column["name"] for column in sa.inspect(connection).get_columns("audit_events")}
        assert "provider_id" not in columns
        assert connection.execute(sa.text("SELECT count(*) FROM audit_events")).scalar() == len(EVENTS)
