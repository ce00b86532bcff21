"""`python -m cabinet import-registry`: the operators' command line, run as they run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from cabinet.models import Provider

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "docs" / "registry-sample.csv"
INN = "7700000017"


@pytest.fixture
def cli(tmp_path):
    """Runs `python -m cabinet …` on a migrated SQLite database with one provider of 9-digit accounts."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "CABINET_DATA_DIR": str(tmp_path), "DATABASE_URL": url}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "cabinet", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)

    assert run("migrate").returncode == 0
    engine = sa.create_engine(url)
    with Session(engine) as session:
        session.add(Provider(name="Теплосеть", inn=INN, account_pattern=r"\d{9}",
                             account_format_description="9 цифр", account_example="100200301"))
        session.commit()
    engine.dispose()
    return run


def test_dry_run_counts_and_writes_nothing_then_import_and_reimport(cli):
    dry = cli("import-registry", INN, str(SAMPLE), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Accounts: 12 new" in dry.stdout and "Dry run: nothing written." in dry.stdout

    first = cli("import-registry", INN, str(SAMPLE))
    assert first.returncode == 0, first.stderr
    assert "Accounts: 12 new" in first.stdout and "Imported." in first.stdout

    again = cli("import-registry", INN, str(SAMPLE))
    assert again.returncode == 0, again.stderr
    assert "Accounts: 0 new, 0 changed, 12 unchanged" in again.stdout


def test_a_wrong_row_is_listed_and_nothing_is_imported(cli, tmp_path):
    lines = SAMPLE.read_text(encoding="utf-8-sig").splitlines()
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join([lines[0], lines[1], "12345;" + lines[2].split(";", 1)[1], *lines[3:]]) + "\n",
                      encoding="utf-8")
    result = cli("import-registry", INN, str(broken))
    assert result.returncode == 1
    assert "строка 3, столбец account" in result.stderr
    assert "nothing imported" in result.stderr
    # All or nothing: the eleven good rows were not written either.
    assert "Accounts: 12 new" in cli("import-registry", INN, str(SAMPLE), "--dry-run").stdout


def test_a_missing_file_is_one_clear_line(cli, tmp_path):
    result = cli("import-registry", INN, str(tmp_path / "absent.csv"))
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"Cannot read {tmp_path / 'absent.csv'}")
    assert "Traceback" not in result.stderr
