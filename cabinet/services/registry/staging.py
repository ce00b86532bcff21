"""The temporary tables one preview or import stages the file in: made empty, filled as it is read, dropped."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator

import sqlalchemy as sa
from sqlmodel import Session

STAGE_BATCH = 5_000  # rows per executemany into SQLite's staging table

_STAGING = sa.MetaData()


def _account_columns() -> list[sa.Column]:
    # Money and readings as BIGINT: a value the real INTEGER column cannot take fails at the write, as
    # it always did, not already in the preview.
    return [
        sa.Column("address", sa.Text),
        sa.Column("owner_name", sa.Text),
        sa.Column("debt_kopecks", sa.BigInteger),
        sa.Column("penalty_kopecks", sa.BigInteger),
        sa.Column("balance_as_of", sa.Date),
        sa.Column("last_bill_kopecks", sa.BigInteger),
        sa.Column("pin_hash", sa.Text),
        # The PIN as written, only for accounts whose stored hash is bcrypt: that needs it to compare.
        sa.Column("pin", sa.Text),
    ]


def _meter_columns() -> list[sa.Column]:
    return [
        sa.Column("kind", sa.Text),
        sa.Column("serial", sa.Text),
        sa.Column("digits_whole", sa.Integer),
        sa.Column("digits_fraction", sa.Integer),
        sa.Column("last_value_thousandths", sa.BigInteger),
        sa.Column("last_value_date", sa.Date),
        sa.Column("verified_until", sa.Date),
        sa.Column("tariff_kopecks", sa.BigInteger),
    ]


# Every valid row of the file (the meter columns are NULL on a row without a meter).
ROWS = sa.Table(
    "registry_import_rows",
    _STAGING,
    sa.Column("line", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("number", sa.Text, nullable=False),
    *_account_columns(),
    *_meter_columns(),
    prefixes=["TEMPORARY"],
)
# One row per account, from the first row it appears on, with the stored account it matches.
ACCOUNTS = sa.Table(
    "registry_import_accounts",
    _STAGING,
    sa.Column("line", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("number", sa.Text, nullable=False, unique=True),
    *_account_columns(),
    sa.Column("account_id", sa.Integer),
    sa.Column("values_same", sa.Integer),
    sa.Column("pin_same", sa.Integer),
    prefixes=["TEMPORARY"],
)
# One row per meter, with the stored meter it matches; filled only for a file without errors.
METERS = sa.Table(
    "registry_import_meters",
    _STAGING,
    sa.Column("line", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("number", sa.Text, nullable=False),
    *_meter_columns(),
    sa.Column("meter_id", sa.Integer),
    sa.Column("values_same", sa.Integer),
    prefixes=["TEMPORARY"],
)
NO_METER = (None,) * len(_meter_columns())


@contextlib.contextmanager
def staging_tables(session: Session) -> Iterator[None]:
    """Empty staging tables for the body, dropped after it, whatever happens."""
    connection = session.connection()
    schema = "pg_temp" if connection.dialect.name == "postgresql" else "temp"

    def drop() -> None:
        for table in reversed(_STAGING.sorted_tables):
            session.execute(sa.text(f"DROP TABLE IF EXISTS {schema}.{table.name}"))

    # SQLite runs DDL outside the transaction: an earlier call on this pooled connection that was
    # rolled back may have left them behind.
    drop()
    _STAGING.create_all(connection, checkfirst=False)
    try:
        yield
    except BaseException:
        # After a failed statement PostgreSQL refuses even the DROP; the rollback that follows drops them.
        with contextlib.suppress(sa.exc.DBAPIError):
            drop()
        raise
    drop()


def analyze(session: Session, table: sa.Table) -> None:
    """Statistics for a freshly filled staging table (PostgreSQL)."""
    if session.connection().dialect.name == "postgresql":
        # Temporary tables get none otherwise, and the planner would guess at the joins over them.
        session.execute(sa.text(f"ANALYZE {table.name}"))


def stage(session: Session, rows: Iterator[tuple]) -> None:
    """Puts the rows into the staging table as they are read: nothing accumulates here."""
    connection = session.connection()
    driver = connection.connection.driver_connection
    names = ", ".join(column.name for column in ROWS.columns)
    if connection.dialect.name == "postgresql":
        # COPY takes rows several times faster than INSERT, and streams them without batches.
        with driver.cursor() as cursor, cursor.copy(f"COPY {ROWS.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        insert = f"INSERT INTO {ROWS.name} ({names}) VALUES ({', '.join('?' * len(ROWS.columns))})"
        while batch := list(itertools.islice(rows, STAGE_BATCH)):
            driver.executemany(insert, batch)
    analyze(session, ROWS)
