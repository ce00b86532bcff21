"""Registry import on PostgreSQL: rows per second and peak memory, against `COPY` of the same file.

Each size runs in a fresh child process so its peak memory (ru_maxrss) is its own. The child writes
the CSV to a temporary file line by line, then times either our import of that file or
PostgreSQL's COPY of it into a plain table — the fastest the server can take rows.

    .venv/bin/python -m bench.registry_import [--rows 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

HEADER = (
    "account;address;owner;debt;penalty;as_of;last_bill;pin;meter_serial;meter_kind;meter_last;"
    "meter_last_date;meter_verified_until;meter_digits;meter_tariff"
)


def registry_lines(rows: int) -> Iterator[str]:
    """The header and `rows` rows, each with a PIN and a meter, one at a time."""
    yield HEADER + "\r\n"
    for i in range(rows):
        yield (
            f"{100_000_000 + i:09d};г. Заречный, ул. Длинная, д. {i // 100}, кв. {i % 100};Житель {i};"
            f"{i % 5000},50;;01.11.2026;{i % 3000},00;{1000 + i % 9000};S{i};cold_water;{i % 900},125;"
            f"25.10.2026;01.01.2030;5.3;45,62\r\n"
        )


def write_registry(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.writelines(registry_lines(rows))


def _child(kind: str, rows: int, database_url: str) -> None:
    """Runs one measurement and prints it as JSON."""
    import sqlalchemy as sa
    from sqlmodel import Session, SQLModel

    import cabinet.models  # noqa: F401
    from cabinet.clock import utc_now
    from cabinet.models import Provider

    engine = sa.create_engine(database_url)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "registry.csv"
        write_registry(path, rows)
        if kind == "ours":
            from cabinet.services.registry import import_registry

            SQLModel.metadata.create_all(engine)
            with Session(engine) as session:
                provider = Provider(
                    name="Бенчмарк",
                    account_pattern=r"\d{9}",
                    account_format_description="9 цифр",
                    account_example="100000000",
                )
                session.add(provider)
                session.commit()
                started = time.perf_counter()
                result = import_registry(session, provider_id=provider.id, source=path, now=utc_now())
                session.commit()
            assert (result.accounts_new, result.meters_new) == (rows, rows), result.counts()
        else:
            columns = ", ".join(f"{name} text" for name in HEADER.split(";"))
            raw = engine.raw_connection()
            with raw.cursor() as cursor:
                cursor.execute(f"CREATE TABLE copy_target ({columns})")
                started = time.perf_counter()
                with (
                    cursor.copy("COPY copy_target FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)") as copy,
                    path.open("rb") as file,
                ):
                    while chunk := file.read(1 << 20):
                        copy.write(chunk)
            raw.commit()
            raw.close()
        elapsed = time.perf_counter() - started
        size = path.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": elapsed, "peak": peak, "bytes": size}))


def _measure(kind: str, rows: int) -> dict:
    from tests.conftest import create_postgres_database, drop_postgres_database

    url = create_postgres_database()
    try:
        env = {**os.environ, "DATABASE_URL": url, "BCRYPT_ROUNDS": "4"}
        out = subprocess.run(
            [sys.executable, "-m", "bench.registry_import", "--child", kind, str(rows), url],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])
    finally:
        drop_postgres_database(url)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="10000,100000,1000000", help="comma-separated sizes")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]), args.child[2])
        return 0
    print("\nRegistry import on PostgreSQL against COPY of the same file\n")
    print("| rows | file, MiB | ours, s | ours, rows/s | ours, peak MiB | COPY, rows/s | COPY, peak MiB | ratio |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for rows in (int(size) for size in args.rows.split(",")):
        ours, copy = _measure("ours", rows), _measure("copy", rows)
        ours_rate, copy_rate = rows / ours["seconds"], rows / copy["seconds"]
        print(
            f"| {rows:,} | {ours['bytes'] / 2**20:.0f} | {ours['seconds']:.1f} | {ours_rate:,.0f} | "
            f"{ours['peak'] / 2**20:.0f} | {copy_rate:,.0f} | {copy['peak'] / 2**20:.0f} | "
            f"{ours_rate / copy_rate:.2f} |",
            flush=True,
        )
    print("\nTarget: ≥ 100 000 rows a minute (1 667 rows/s) at 1 000 000 rows, peak memory under 500 MB.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
