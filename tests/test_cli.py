"""`python -m cabinet …`: the operators' command line (import-registry, create-admin, export-readings,
reconcile), run as they run it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from cabinet.models import (
    AccountLink,
    LedgerEntry,
    MeterKind,
    MeterReading,
    OutgoingEmail,
    Payment,
    PaymentPurpose,
    PaymentStatus,
    Provider,
    ReadingSource,
    ReadingStatus,
    StaffMembership,
    StaffRole,
    User,
    UserRole,
)
from cabinet.services.passwords import verify_password
from tests.factories import make_account, make_meter, make_user
from tests.paying import one_account
from tests.stand_ins import serve_stand_ins

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "docs" / "registry-sample.csv"
INN = "7700000017"


@pytest.fixture
def database(tmp_path):
    """A migrated SQLite database with one provider of 9-digit accounts; yields its URL."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "cabinet", "migrate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CABINET_DATA_DIR": str(tmp_path), "DATABASE_URL": url},
    )
    assert result.returncode == 0, result.stderr
    engine = sa.create_engine(url)
    with Session(engine) as session:
        session.add(
            Provider(
                name="Теплосеть",
                inn=INN,
                account_pattern=r"\d{9}",
                account_format_description="9 цифр",
                account_example="100200301",
            )
        )
        session.commit()
    yield url
    engine.dispose()


@pytest.fixture
def cli(tmp_path, database):
    """Runs `python -m cabinet …` on that database; keyword arguments are extra environment variables."""

    def run(*args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "cabinet", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "CABINET_DATA_DIR": str(tmp_path), "DATABASE_URL": database, **env},
        )

    return run


@pytest.fixture
def db(database):
    """A session on the command line's database, to arrange rows and look at what a command did."""
    engine = sa.create_engine(database)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


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
    broken.write_text(
        "\n".join([lines[0], lines[1], "12345;" + lines[2].split(";", 1)[1], *lines[3:]]) + "\n", encoding="utf-8"
    )
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


def test_import_refuses_a_file_over_registry_max_mb(cli, tmp_path):
    big = tmp_path / "big.csv"
    sample = SAMPLE.read_bytes()
    big.write_bytes(sample + b"\r\n" * (1024 * 1024))  # the sample, padded past one megabyte
    result = cli("import-registry", INN, str(big), REGISTRY_MAX_MB="1")
    assert result.returncode == 1
    assert result.stderr.strip() == "Файл больше 1 МБ. Разделите реестр на части."
    assert "Accounts: 12 new" in cli("import-registry", INN, str(SAMPLE), "--dry-run", REGISTRY_MAX_MB="1").stdout


# --- create-admin ---------------------------------------------------------------------------------------------


def test_create_admin_reads_the_password_from_the_environment(cli, db):
    result = cli("create-admin", "Chief@Example.com", CABINET_ADMIN_PASSWORD="boss2026")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Chief@example.com is an admin now: sign in at ")
    user = db.exec(select(User)).one()
    assert (user.role, user.email_canonical) == (UserRole.admin, "chief@example.com") and user.confirmed_at
    assert verify_password("boss2026", user.password_hash)


@pytest.mark.parametrize(
    ("password", "line"),
    [
        ("abc", "Длина пароля — от 5 до 10 символов."),
        ("much2long2026", "Длина пароля — от 5 до 10 символов."),
        ("пароль2026", "Пароль может состоять только из латинских букв и цифр, без пробелов и знаков."),
    ],
)
def test_create_admin_refuses_a_bad_password_with_one_line(cli, db, password, line):
    result = cli("create-admin", "chief@example.com", CABINET_ADMIN_PASSWORD=password)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [line]
    assert db.exec(select(User)).all() == []


def test_a_second_admin_with_the_same_email_is_refused(cli, db):
    assert cli("create-admin", "chief@example.com", CABINET_ADMIN_PASSWORD="boss2026").returncode == 0
    again = cli("create-admin", "CHIEF@example.com", CABINET_ADMIN_PASSWORD="other2026")
    assert again.returncode == 1
    assert again.stderr.strip() == "Администратор с адресом chief@example.com уже есть."
    user = db.exec(select(User)).one()
    assert verify_password("boss2026", user.password_hash)  # the first admin's password still opens it


# --- export-readings ------------------------------------------------------------------------------------------


def test_export_readings_writes_the_month_as_semicolon_csv_with_a_bom(cli, db, tmp_path):
    provider = db.exec(select(Provider)).one()
    account = make_account(db, provider, number="100200300", address="г. Заречный, ул. Мира, д. 1, кв. 1")
    cold = make_meter(db, account, kind=MeterKind.cold_water, serial="W1", digits_fraction=3)
    hot = make_meter(db, account, kind=MeterKind.hot_water, serial="W2", digits_fraction=3)
    submitted = dt.datetime(2026, 11, 20, 7, 30, tzinfo=dt.UTC)  # 10:30 in Moscow
    for meter, value, period, source in (
        (cold, 123_456, dt.date(2026, 11, 1), ReadingSource.resident),
        (hot, 23_500, dt.date(2026, 11, 1), ReadingSource.payment_form),
        (cold, 120_000, dt.date(2026, 10, 1), ReadingSource.resident),
    ):
        db.add(
            MeterReading(
                meter_id=meter.id,
                value_thousandths=value,
                period=period,
                source=source,
                submitted_at=submitted,
                updated_at=submitted,
            )
        )
    db.commit()
    output = tmp_path / "readings.csv"

    result = cli("export-readings", INN, "2026-11", "--output", str(output))

    assert result.returncode == 0, result.stderr
    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert [line.split(";") for line in data[3:].decode("utf-8").splitlines()] == [
        ["account", "address", "meter_serial", "meter_kind", "value", "submitted_at", "source"],
        [
            "100200300",
            "г. Заречный, ул. Мира, д. 1, кв. 1",
            "W1",
            "cold_water",
            "123,456",
            "20.11.2026 10:30",
            "resident",
        ],
        [
            "100200300",
            "г. Заречный, ул. Мира, д. 1, кв. 1",
            "W2",
            "hot_water",
            "23,500",
            "20.11.2026 10:30",
            "payment_form",
        ],
    ]
    db.expire_all()
    statuses = {(reading.period, reading.status) for reading in db.exec(select(MeterReading))}
    assert statuses == {
        (dt.date(2026, 11, 1), ReadingStatus.sent_to_provider),
        (dt.date(2026, 10, 1), ReadingStatus.accepted),
    }
    assert cli("export-readings", INN, "November").returncode == 2


# --- reconcile ------------------------------------------------------------------------------------------------


def test_reconcile_applies_the_status_of_a_payment_whose_notification_was_dropped(cli, db, database):
    from cabinet.services import payments

    provider = db.exec(select(Provider)).one()
    provider.reading_window_start_day, provider.reading_window_end_day = 1, 31
    account = make_account(db, provider, number="100200300", debt_kopecks=95_000)
    resident = make_user(db)
    db.add(AccountLink(user_id=resident.id, account_id=account.id))
    db.commit()
    with serve_stand_ins(db.get_bind(), database_url=database) as stand_in:
        httpx.post(
            f"{stand_in}/sandbox/_faults",
            json={"service": "yookassa", "drop_notifications": True, "count": 0},
            timeout=5,
        ).raise_for_status()
        payment = payments.pay(one_account(user_id=resident.id, account_id=account.id, purpose=PaymentPurpose.debt))
        httpx.post(f"{payment.confirmation_url}/pay", timeout=10)
        db.expire_all()
        assert db.get(Payment, payment.id).status == PaymentStatus.pending  # paid, but nobody told us

        result = cli("reconcile", "--older-than", "0", PUBLIC_URL=stand_in)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Payments and refunds checked: 1, changed: 1, gateway errors: 0."
    db.expire_all()
    assert db.get(Payment, payment.id).status == PaymentStatus.succeeded
    assert db.exec(select(LedgerEntry.amount_kopecks)).all() == [95_000]


# --- invite-staff ---------------------------------------------------------------------------------------------


def test_invite_staff_queues_the_letter_and_says_where_it_went(cli, db):
    provider = db.exec(select(Provider)).one()
    result = cli("invite-staff", "Ivan@Example.com", "--role", "operator", "--provider", "Теплосеть")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Ivan@example.com is operator now: an invitation link is queued in the outbox for Ivan@example.com."
    )
    user = db.exec(select(User).where(User.email_canonical == "ivan@example.com")).one()
    membership = db.exec(select(StaffMembership).where(StaffMembership.user_id == user.id)).one()
    assert (membership.provider_id, membership.role, user.confirmed_at) == (provider.id, StaffRole.operator, None)
    letter = db.exec(select(OutgoingEmail).where(OutgoingEmail.to_address == "Ivan@example.com")).one()
    assert "/staff/invitation/" in letter.text_body and "оператор — «Теплосеть»" in letter.text_body
    again = cli("invite-staff", "ivan@example.com", "--role", "viewer", "--provider", str(provider.id))
    assert again.returncode == 0, again.stderr
    db.expire_all()
    assert db.exec(select(StaffMembership).where(StaffMembership.user_id == user.id)).one().role == StaffRole.viewer


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (
            ("--role", "operator", "--provider", "Водоканал"),
            "Поставщик «Водоканал» не найден: укажите его номер или точное название.",
        ),
        (("--role", "boss", "--provider", "Теплосеть"), "Выберите роль: оператор или наблюдатель."),
    ],
)
def test_invite_staff_refuses_an_unknown_provider_or_role_with_one_line(cli, db, arguments, line):
    result = cli("invite-staff", "ivan@example.com", *arguments)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [line]
    assert db.exec(select(User)).all() == [] and db.exec(select(OutgoingEmail)).all() == []
