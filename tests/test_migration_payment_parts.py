"""Revision 7c2be3698f8e makes each payment one part of itself, books ledger entries by part, and goes back."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from alembic import command
from cabinet.db import engine_for
from cabinet.migrations import alembic_config
from tests.conftest import create_postgres_database, drop_postgres_database

BEFORE, AFTER = "da9d2de850e3", "7c2be3698f8e"
NOW = dt.datetime(2026, 12, 1, 9, 0)
# id → (account, purpose, kopecks, status, booked): payments as one account each, before parts.
PAYMENTS = {
    1: (1, "debt", 150_000, "succeeded", True),
    2: (2, "custom_amount", 70_000, "succeeded", True),
    3: (1, "custom_amount", 12_345, "pending", False),
}
ACCOUNTS = {1: 1, 2: 2}  # account → provider


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


def _row(table: sa.Table, **given) -> dict:
    """`given`, and a plain value for every other required column."""
    row = dict(given)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        kind = column.type.python_type
        row[column.name] = {str: "x", int: 1, bool: False, dt.datetime: NOW, dt.date: NOW.date()}[kind]
    return row


def _insert(url: str, name: str, **given) -> None:
    engine = engine_for(url)
    tables = sa.MetaData()
    tables.reflect(engine)
    with engine.begin() as connection:
        connection.execute(tables.tables[name].insert().values(_row(tables.tables[name], **given)))


def _rows(url: str, query: str) -> list[tuple]:
    with engine_for(url).connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(query))]


def _old_rows(url: str) -> None:
    """A resident, two providers with an account each, and three payments, two of them booked."""
    _insert(url, "users", id=1, email_canonical="anna@example.com")
    for account, provider in ACCOUNTS.items():
        _insert(url, "providers", id=provider)
        _insert(url, "provider_accounts", id=account, provider_id=provider, number=f"370000000{account}")
    for payment, (account, purpose, kopecks, status, booked) in PAYMENTS.items():
        _insert(
            url,
            "payments",
            id=payment,
            user_id=1,
            account_id=account,
            purpose=purpose,
            amount_kopecks=kopecks,
            status=status,
            idempotency_key=f"key-{payment}",
        )
        if booked:
            _insert(url, "ledger_entries", id=payment, account_id=account, payment_id=payment, amount_kopecks=kopecks)


def test_each_payment_becomes_one_part_and_its_entry_books_that_part(database_url):
    config = alembic_config(database_url)
    command.upgrade(config, BEFORE)
    _old_rows(database_url)

    command.upgrade(config, AFTER)

    parts = _rows(
        database_url,
        "SELECT payment_id, account_id, provider_id, amount_kopecks, purpose, transfer_account_id, position, id"
        " FROM payment_parts ORDER BY payment_id",
    )
    assert [part[:7] for part in parts] == [
        (payment, account, ACCOUNTS[account], kopecks, purpose, "", 0)
        for payment, (account, purpose, kopecks, _status, _booked) in PAYMENTS.items()
    ]
    part_of = {part[0]: part[7] for part in parts}
    assert _rows(
        database_url, "SELECT payment_id, part_id, refund_id, amount_kopecks FROM ledger_entries ORDER BY id"
    ) == [
        (payment, part_of[payment], None, kopecks)
        for payment, (_account, _purpose, kopecks, _status, booked) in PAYMENTS.items()
        if booked
    ]
    assert _rows(database_url, "SELECT DISTINCT yookassa_account_id FROM providers") == [("",)]
    with engine_for(database_url).connect() as connection:
        if connection.dialect.name == "sqlite":
            # Off while the tables were rebuilt; on again for the app that shares the engine.
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    columns = {column["name"] for column in sa.inspect(engine_for(database_url)).get_columns("payments")}
    assert {"account_id", "purpose"} & columns == set() and "amount_kopecks" in columns


def test_a_payment_may_have_several_entries_after_and_keeps_its_first_part_going_back(database_url):
    config = alembic_config(database_url)
    command.upgrade(config, BEFORE)
    _old_rows(database_url)
    command.upgrade(config, AFTER)
    # What only the new schema can hold: payment 1 pays account 2 as well, and part of it came back.
    _insert(
        database_url,
        "payment_parts",
        id=10,
        payment_id=1,
        account_id=2,
        provider_id=2,
        amount_kopecks=5_000,
        purpose="debt",
        transfer_account_id="",
        position=1,
    )
    _insert(database_url, "ledger_entries", id=10, account_id=2, payment_id=1, part_id=10, amount_kopecks=5_000)
    _insert(
        database_url,
        "refunds",
        id=1,
        payment_id=1,
        part_id=10,
        amount_kopecks=1_000,
        status="succeeded",
        idempotency_key="refund-1",
    )
    _insert(database_url, "ledger_entries", id=11, account_id=2, payment_id=1, refund_id=1, amount_kopecks=-1_000)
    assert _rows(database_url, "SELECT COUNT(*) FROM ledger_entries WHERE payment_id = 1") == [(3,)]

    command.downgrade(config, BEFORE)

    assert _rows(database_url, "SELECT id, account_id, purpose, amount_kopecks FROM payments ORDER BY id") == [
        (payment, account, purpose, kopecks) for payment, (account, purpose, kopecks, _s, _b) in PAYMENTS.items()
    ]
    # One entry per payment again: the first part's; the second part's and the refund's have no place there.
    assert _rows(database_url, "SELECT id, account_id, payment_id, amount_kopecks FROM ledger_entries ORDER BY id") == [
        (1, 1, 1, 150_000),
        (2, 2, 2, 70_000),
    ]
    tables = set(sa.inspect(engine_for(database_url)).get_table_names())
    assert {"payment_parts", "refunds", "sandbox_yookassa_refunds"} & tables == set()
    with pytest.raises(sa.exc.IntegrityError):  # and the old rule is back: one entry per payment
        _insert(database_url, "ledger_entries", id=12, account_id=1, payment_id=1, amount_kopecks=1)
