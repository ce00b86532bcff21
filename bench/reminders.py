"""Reminders on PostgreSQL: one pass for 100 000 residents, against a plain `INSERT … SELECT` of the same rows.

A throw-away database is made and migrated (the alembic chain), then filled set-based
(`INSERT … SELECT generate_series`): N confirmed residents with 1.5 N linked accounts of three
providers — one whose readings window is open today, one whose window closes in two days, one whose
window is shut — three accounts in four with a meter (one in ten due for verification within 30 days,
one in ten expired days ago, one in seven already read this month), one account in five with a debt
an import raised yesterday. Then, in one process:

- one pass of `send_due_reminders` as the runner calls it (its own transaction, the letters queued in
  the outbox in it), at 12:00 Moscow so quiet hours do not apply: rows made, seconds, rows/s;
- a plain `INSERT … SELECT` of as many rows into a table with reminders_sent's columns: rows/s, and
  the ratio of the two;
- a second pass right after: it must make no row (exactly once);
- peak memory of the process (ru_maxrss).

The database is dropped at the end.

    .venv/bin/python -m bench.reminders [--residents 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import sqlalchemy as sa

# 12:00 in Moscow on a Friday: daytime, so the pass is not skipped as quiet hours.
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
PERIOD = dt.date(2026, 11, 1)
# (name, window start day, window end day): open with days to go, closing in 2 days, shut today.
PROVIDERS = (("Окно открыто", 15, 28), ("Окно закрывается", 10, 21), ("Окно закрыто", 23, 26))


def _seed(connection: sa.Connection, residents: int) -> None:
    """Residents, accounts, links, meters and readings, each table in one statement."""
    accounts = residents + residents // 2
    params = {
        "residents": residents,
        "accounts": accounts,
        "now": NOW,
        "today": NOW.date(),
        "period": PERIOD,
        "raised": NOW - dt.timedelta(days=1),
        "providers": len(PROVIDERS),
    }
    statements = [
        """INSERT INTO users (id, email, email_canonical, password_hash, role, full_name, phone,
               notify_payment_receipts, notify_reading_reminders, notify_window_closing, notify_verification,
               notify_new_bill, is_blocked, confirmed_at, created_at, updated_at)
           SELECT g, 'resident' || g || '@example.com', 'resident' || g || '@example.com', 'x', 'resident',
               'Житель ' || g, '', true, true, true, true, true, false, :now, :now, :now
           FROM generate_series(1, :residents) g""",
        """INSERT INTO provider_accounts (id, provider_id, number, address, owner_name, debt_kopecks,
               penalty_kopecks, balance_as_of, last_bill_kopecks, pin_hash, debt_raises, debt_raised_at,
               created_at, updated_at)
           SELECT g, 1 + g % :providers, lpad(g::text, 9, '0'),
               'г. Заречный, ул. Длинная, д. ' || g / 100 || ', кв. ' || g % 100, 'Житель ' || g,
               CASE WHEN g % 5 = 0 THEN 150000 ELSE 0 END, 0, :today, NULL, NULL,
               CASE WHEN g % 5 = 0 THEN 1 ELSE 0 END, CASE WHEN g % 5 = 0 THEN CAST(:raised AS timestamptz) END,
               :now, :now
           FROM generate_series(1, :accounts) g""",
        # Resident u holds account u; the first half also holds account N + u.
        """INSERT INTO account_links (id, user_id, account_id, nickname, created_at)
           SELECT g, CASE WHEN g <= :residents THEN g ELSE g - :residents END, g,
               CASE WHEN g % 2 = 0 THEN 'Дача' ELSE '' END, :now
           FROM generate_series(1, :accounts) g""",
        """INSERT INTO meters (id, account_id, kind, serial, digits_whole, digits_fraction, tariff_kopecks,
               last_value_thousandths, last_value_date, verified_until)
           SELECT g, g, 'cold_water', 'S' || g, 5, 3, 4562, 100000, :today,
               CASE g % 10 WHEN 1 THEN CAST(:today AS date) + 10 WHEN 2 THEN CAST(:today AS date) - 5
                   ELSE DATE '2030-01-01' END
           FROM generate_series(1, :accounts) g WHERE g % 4 <> 0""",
        """INSERT INTO meter_readings (meter_id, user_id, payment_id, value_thousandths, period, source, status,
               is_rollover, outside_window, submitted_at, updated_at)
           SELECT id, NULL, NULL, 101000, :period, 'resident', 'accepted', false, false, :now, :now
           FROM meters WHERE id % 7 = 0""",
    ]
    for statement in statements:
        connection.execute(sa.text(statement), params)
    for table in ("providers", "users", "provider_accounts", "account_links", "meters"):
        connection.execute(
            sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        )
    connection.execute(sa.text("ANALYZE"))


def _providers(url: str) -> None:
    from sqlmodel import Session

    from cabinet.db import engine_for
    from cabinet.models import Provider

    with Session(engine_for(url)) as session:
        for index, (name, start, end) in enumerate(PROVIDERS, start=1):
            session.add(
                Provider(
                    id=index,
                    name=name,
                    account_pattern=r"\d{9}",
                    account_format_description="9 цифр",
                    account_example="100000000",
                    reading_window_start_day=start,
                    reading_window_end_day=end,
                )
            )
        session.commit()


def _plain_insert(connection: sa.Connection, rows: int) -> float:
    """Seconds to INSERT … SELECT `rows` rows into a scratch table with reminders_sent's columns."""
    connection.execute(
        sa.text(
            """CREATE TABLE scratch_reminders (id serial PRIMARY KEY, user_id integer NOT NULL,
                   account_id integer NOT NULL, kind varchar(32) NOT NULL, subject_id integer NOT NULL,
                   period varchar(32) NOT NULL, email_id integer, created_at timestamptz NOT NULL)"""
        )
    )
    connection.commit()
    started = time.perf_counter()
    connection.execute(
        sa.text(
            """INSERT INTO scratch_reminders (user_id, account_id, kind, subject_id, period, created_at)
               SELECT g, g, 'window_opens', g, '2026-11-01', :now FROM generate_series(1, :rows) g"""
        ),
        {"rows": rows, "now": NOW},
    )
    connection.commit()
    return time.perf_counter() - started


def run(residents: int) -> dict:
    """Makes the database, measures, drops it; the report as a dict."""
    from cabinet.config import get_settings
    from cabinet.db import engine_for
    from cabinet.migrations import upgrade_to_head
    from tests.conftest import create_postgres_database, drop_postgres_database

    url = create_postgres_database()
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    try:
        upgrade_to_head(url)
        _providers(url)
        engine = engine_for(url)
        started = time.perf_counter()
        with engine.begin() as connection:
            _seed(connection, residents)
        seed_seconds = time.perf_counter() - started

        from cabinet.services.reminders import send_due_reminders

        started = time.perf_counter()
        first = send_due_reminders(now=NOW, quiet_hours=True)
        seconds = time.perf_counter() - started
        second = send_due_reminders(now=NOW + dt.timedelta(minutes=1), quiet_hours=True)
        with engine.connect() as connection:
            letters = connection.execute(sa.text("SELECT count(*) FROM outgoing_emails")).scalar_one()
            unlettered = connection.execute(
                sa.text("SELECT count(*) FROM reminders_sent WHERE email_id IS NULL")
            ).scalar_one()
            plain_seconds = _plain_insert(connection, max(first.total, 1))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    finally:
        engine_for.cache_clear()
        drop_postgres_database(url)
        if previous is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = previous
        get_settings.cache_clear()
    rate = first.total / seconds
    plain_rate = max(first.total, 1) / plain_seconds
    return {
        "residents": residents,
        "accounts": residents + residents // 2,
        "seed_seconds": seed_seconds,
        "rows": first.total,
        "counts": first.counts,
        "letters": letters,
        "rows_without_letter": unlettered,
        "seconds": seconds,
        "rows_per_second": rate,
        "plain_rows_per_second": plain_rate,
        "ratio": rate / plain_rate,
        "peak_mb": peak / 2**20,
        "second_run_rows": second.total,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=100_000)
    args = parser.parse_args(argv)
    report = run(args.residents)
    print(f"\nReminders on PostgreSQL: {report['residents']:,} residents, {report['accounts']:,} linked accounts")
    print(f"(seeded set-based in {report['seed_seconds']:.1f} s)\n")
    print(
        "| rows | by kind | letters queued | s | rows/s | plain INSERT … SELECT, rows/s | ratio | peak MiB | 2nd run |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(report["counts"].items()))
    print(
        f"| {report['rows']:,} | {kinds} | {report['letters']:,} | {report['seconds']:.1f} | "
        f"{report['rows_per_second']:,.0f} | {report['plain_rows_per_second']:,.0f} | {report['ratio']:.3f} | "
        f"{report['peak_mb']:.0f} | {report['second_run_rows']} |",
        flush=True,
    )
    print("\nTarget at 100 000 residents: under 60 s and under 300 MB peak; the second run makes 0 rows.\n")
    return report


if __name__ == "__main__":
    main()
    sys.exit(0)
