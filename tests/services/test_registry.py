"""Registry import: encodings detected slice by slice, decimal comma, every row error with its line and
column (however far apart the rows that disagree), preview counts, upsert, idempotence, all-or-nothing,
PINs, progress, the admin page's chunked upload, and a 100 000-row file in bounded memory."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from cabinet import texts
from cabinet.config import get_settings
from cabinet.models import AccountChecksum, AuditEvent, Meter, MeterKind, ProviderAccount
from cabinet.services import registry
from cabinet.errors import DomainError
from cabinet.services.passwords import hash_password
from cabinet.services.pins import pin_matches
from tests.factories import NOW, make_account, make_meter, make_provider, make_user

HEADER = "account;address;owner;debt;penalty;as_of;last_bill;pin;meter_serial;meter_kind;meter_last;meter_last_date;" \
         "meter_verified_until;meter_digits;meter_tariff"
GOOD = [
    "100200300;г. Заречный, ул. Мира, д. 1, кв. 1;Иванов И. И.;1234,56;12,5;01.11.2026;1500,00;4821;W1;cold_water;"
    "123,456;25.10.2026;01.01.2030;5.3;45,62",
    "100200300;г. Заречный, ул. Мира, д. 1, кв. 1;Иванов И. И.;1234.56;12.50;2026-11-01;1500;4821;W2;hot_water;"
    "23.5;2026-10-25;2027-01-01;5,3;248.9",
    "100200301;г. Заречный, ул. Мира, д. 1, кв. 2;;-300.00;;2026-11-01;;;;;;;;;",
]


def _csv(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


@pytest.fixture
def provider(session):
    return make_provider(session, account_pattern=r"\d{9}", account_format_description="9 цифр")


def _preview(session, provider, text: str, encoding: str = "utf-8"):
    return registry.preview_registry(session, provider_id=provider.id, source=io.BytesIO(text.encode(encoding)))


def _import(session, provider, text: str, encoding: str = "utf-8", now: dt.datetime = NOW, **options):
    return registry.import_registry(session, provider_id=provider.id, source=io.BytesIO(text.encode(encoding)), now=now,
                                    **options)


def _account(session, number: str) -> ProviderAccount:
    return session.exec(select(ProviderAccount).where(ProviderAccount.number == number)).one()


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


# --- reading the file ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_each_encoding_and_decimal_comma_or_point(session, provider, encoding):
    result = _import(session, provider, _csv(*GOOD), encoding)
    assert (result.accounts_new, result.meters_new, result.rows, result.errors) == (2, 2, 3, [])
    first = _account(session, "100200300")
    assert (first.address, first.owner_name, first.debt_kopecks, first.penalty_kopecks) == (
        "г. Заречный, ул. Мира, д. 1, кв. 1", "Иванов И. И.", 123_456, 1_250)
    assert (first.balance_as_of, first.last_bill_kopecks) == (dt.date(2026, 11, 1), 150_000)
    cold = session.exec(select(Meter).where(Meter.kind == MeterKind.cold_water)).one()
    assert (cold.serial, cold.last_value_thousandths, cold.verified_until, cold.tariff_kopecks) == (
        "W1", 123_456, dt.date(2030, 1, 1), 4_562)
    hot = session.exec(select(Meter).where(Meter.kind == MeterKind.hot_water)).one()
    assert (hot.last_value_thousandths, hot.last_value_date, hot.digits_whole, hot.digits_fraction,
            hot.tariff_kopecks) == (23_500, dt.date(2026, 10, 25), 5, 3, 24_890)
    overpaid = _account(session, "100200301")
    assert (overpaid.debt_kopecks, overpaid.penalty_kopecks, overpaid.last_bill_kopecks, overpaid.pin_hash) == (
        -30_000, 0, None, None)
    assert session.exec(select(Meter).where(Meter.account_id == overpaid.id)).all() == []


def test_header_in_any_order_and_case_with_optional_columns_left_out(session, provider):
    text = "  AS_OF ;Debt;Account;address;meter_kind;Meter_Serial\n" \
           "01.11.2026;10;100 200-300;ул. Мира, 1;ХВС;A\n" \
           "01.11.2026;10;100200300;ул. Мира, 1;  горячая   вода ;B\n" \
           "01.11.2026;10;100200300;ул. Мира, 1;Электроэнергия;C\n"
    result = _import(session, provider, text)
    assert (result.accounts_new, result.meters_new) == (1, 3)
    kinds = {meter.serial: (meter.kind, meter.digits_whole, meter.digits_fraction) for meter in session.exec(select(Meter))}
    assert kinds == {"A": (MeterKind.cold_water, 5, 3), "B": (MeterKind.hot_water, 5, 3),
                     "C": (MeterKind.electricity, 5, 3)}


def test_a_quoted_value_may_hold_semicolons(session, provider):
    _import(session, provider, _csv('100200300;"г. Заречный; ул. Мира, д. 1";"ООО ""Ромашка""";1;;01.11.2026;;;;;;;;;'))
    account = _account(session, "100200300")
    assert (account.address, account.owner_name) == ("г. Заречный; ул. Мира, д. 1", 'ООО "Ромашка"')


def test_a_line_break_inside_a_value_is_reported_where_its_row_starts(session, provider):
    text = _csv('100200300;"г. Заречный,\r\nул. Мира";;1;;01.11.2026;;;;;;;;;',
                "100200301;адрес;;1;;01.11.2026;;;;;;;;;",
                "100200302;адрес;;много;;01.11.2026;;;;;;;;;")
    # The quoted line break takes lines 2 and 3: the next rows are the file's lines 4 and 5.
    assert [(error.line, error.column) for error in _preview(session, provider, text).errors] == [
        (2, "address"), (5, "debt")]


def test_an_unpaired_quote_is_reported_at_its_row(session, provider):
    preview = _preview(session, provider, _csv(GOOD[2], '100200302;адрес;"Иванов;1;;01.11.2026;;;;;;;;;', GOOD[2]))
    assert [(error.line, error.column) for error in preview.errors] == [(3, "owner")]
    assert "кавычка" in preview.errors[0].message


@pytest.mark.parametrize("data", [_csv(GOOD[2]).encode() + b"\x98\xff", _csv(GOOD[2]).encode("utf-16")])
def test_a_file_neither_utf8_nor_windows_1251_is_refused(session, provider, data):
    with pytest.raises(DomainError, match="registry_encoding"):
        registry.preview_registry(session, provider_id=provider.id, source=io.BytesIO(data))


@pytest.mark.parametrize("late", [b"\x00", b"\x98"])
def test_a_non_text_byte_far_into_the_file_is_found(session, provider, monkeypatch, late):
    # Tiny slices: the byte is many slices past the start, as in a file of hundreds of megabytes.
    monkeypatch.setattr(registry, "SCAN_SLICE", 16)
    data = _csv(*[GOOD[2]] * 20).encode("cp1251") + late + b"\r\n"
    with pytest.raises(DomainError, match="registry_encoding"):
        registry.preview_registry(session, provider_id=provider.id, source=io.BytesIO(data))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_the_encoding_is_detected_from_every_slice(session, provider, monkeypatch, encoding):
    """Windows-1251 shows itself only where Cyrillic first appears, here far past the first slice;
    UTF-8 cut in the middle of a character at a slice boundary is still UTF-8."""
    monkeypatch.setattr(registry, "SCAN_SLICE", 7)  # odd: two-byte Cyrillic straddles boundaries
    latin = [f"{100_200_310 + i};Zarechny, Mira 1-{i};;1;;01.11.2026;;;;;;;;;" for i in range(30)]
    result = _import(session, provider, _csv(*latin, GOOD[2]), encoding)
    assert (result.accounts_new, result.errors) == (31, [])
    assert _account(session, "100200301").address == "г. Заречный, ул. Мира, д. 1, кв. 2"


def test_a_path_is_read_like_a_file(session, provider, tmp_path):
    path = tmp_path / "registry.csv"
    path.write_bytes(_csv(*GOOD).encode("cp1251"))
    assert registry.preview_registry(session, provider_id=provider.id, source=str(path)).accounts_new == 2
    assert registry.import_registry(session, provider_id=provider.id, source=path, now=NOW).meters_new == 2
    assert _count(session, ProviderAccount) == 2


def test_the_documented_sample_imports(session, provider):
    """docs/registry-sample.csv is what operators copy: it must stay a valid registry for pattern \\d{9}."""
    sample = Path(__file__).resolve().parents[2] / "docs" / "registry-sample.csv"
    assert sample.read_bytes().startswith(codecs.BOM_UTF8)
    result = registry.import_registry(session, provider_id=provider.id, source=sample, now=NOW)
    assert (result.accounts_new, result.meters_new, result.errors) == (12, 11, [])
    debts = [account.debt_kopecks for account in session.exec(select(ProviderAccount))]
    assert min(debts) < 0 and 0 in debts and max(debts) > 0


# --- row errors -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("row", "column", "words"), [
    (";адрес;;1;;01.11.2026;;;;;;;;;", "account", "обязательное"),
    ("100200300;;;1;;01.11.2026;;;;;;;;;", "address", "обязательное"),
    ("100200300;адрес;;;;01.11.2026;;;;;;;;;", "debt", "обязательное"),
    ("100200300;адрес;;1;;;;;;;;;;;", "as_of", "обязательное"),
    ("100200300;адрес;;много;;01.11.2026;;;;;;;;;", "debt", "Не сумма"),
    ("100200300;адрес;;1,234;;01.11.2026;;;;;;;;;", "debt", "Не сумма"),
    ("100200300;адрес;;1;-5;01.11.2026;;;;;;;;;", "penalty", "неотрицательное"),
    ("100200300;адрес;;1;;01.11.2026;сто;;;;;;;;", "last_bill", "Не сумма"),
    ("100200300;адрес;;1;;31.02.2026;;;;;;;;;", "as_of", "Не дата"),
    ("100200300;адрес;;1;;2026/11/01;;;;;;;;;", "as_of", "Не дата"),
    ("12345;адрес;;1;;01.11.2026;;;;;;;;;", "account", "9 цифр"),
    ("10020030A;адрес;;1;;01.11.2026;;;;;;;;;", "account", "9 цифр"),
    ("100200300;" + "д" * 301 + ";;1;;01.11.2026;;;;;;;;;", "address", "300"),
    ("100200300;адрес;;1;;01.11.2026;;;W;water;;;;;", "meter_kind", "вид счётчика"),
    ("100200300;адрес;;1;;01.11.2026;;;W;;5;;;;", "meter_kind", "обязательное"),
    ("100200300;адрес;;1;;01.11.2026;;;W;gas;;;;12.4;", "meter_digits", "Разрядность"),
    ("100200300;адрес;;1;;01.11.2026;;;W;gas;;;;5.4;", "meter_digits", "Разрядность"),
    ("100200300;адрес;;1;;01.11.2026;;;W;gas;;;;0;", "meter_digits", "Разрядность"),
    ("100200300;адрес;;1;;01.11.2026;;;W;gas;12,3456;;;;", "meter_last", "Не число"),
    ("100200300;адрес;;1;;01.11.2026;;;W;gas;-1;;;;", "meter_last", "Не число"),
    ("100200300;адрес;;1;;01.11.2026;;;W;gas;123456;;;5.3;", "meter_last", "не больше 5 цифр"),
    ("100200300;адрес;;1;;01.11.2026;;;W;gas;;32.10.2026;;;", "meter_last_date", "Не дата"),
    ("100200300;адрес;;1;;01.11.2026;;;W;gas;;;2030;;", "meter_verified_until", "Не дата"),
    ("100200300;адрес;;1;;01.11.2026;;;W;gas;;;;;4,567", "meter_tariff", "Не сумма"),
    ("100200300;адрес;;1;;01.11.2026;;;;;;;;;;;лишнее", "", "больше, чем столбцов"),
])
def test_each_row_error_names_its_line_and_column(session, provider, row, column, words):
    preview = _preview(session, provider, _csv(GOOD[2], row))
    assert [(error.line, error.column) for error in preview.errors] == [(3, column)]
    assert words in preview.errors[0].message


def test_every_error_of_every_row_is_listed(session, provider):
    preview = _preview(session, provider, _csv("1;;;x;;y;;;;;;;;;", GOOD[2], ";" * 14 + "z"))
    assert [(error.line, error.column) for error in preview.errors] == [
        (2, "address"), (2, "account"), (2, "debt"), (2, "as_of"),
        (4, "account"), (4, "address"), (4, "debt"), (4, "as_of"), (4, "meter_kind"), (4, "meter_tariff")]


def test_account_checksum_is_checked_too(session):
    provider = make_provider(session, account_pattern=r"\d{9}", account_checksum=AccountChecksum.luhn,
                             account_format_description="9 цифр с контрольной")
    preview = _preview(session, provider, _csv("100200302;адрес;;1;;01.11.2026;;;;;;;;;",
                                               "100200303;адрес;;1;;01.11.2026;;;;;;;;;"))
    assert [(error.line, error.column) for error in preview.errors] == [(3, "account")]


def test_header_problems_are_reported_on_line_one(session, provider):
    preview = _preview(session, provider, _csv(header="account;adress;debt;Debt"))
    assert {(error.line, error.column) for error in preview.errors} == {
        (1, "adress"), (1, "debt"), (1, "address"), (1, "as_of")}
    assert _preview(session, provider, "").errors[0].line == 1


def test_repeated_account_fields_must_agree(session, provider):
    conflicting = GOOD[1].replace("1234.56", "1234.57")
    preview = _preview(session, provider, _csv(GOOD[0], GOOD[2], conflicting))
    assert [(error.line, error.column) for error in preview.errors] == [(4, "debt")]
    assert "строкой 2" in preview.errors[0].message


def test_the_same_figures_written_differently_are_no_conflict(session, provider):
    # GOOD[1] repeats GOOD[0]'s account as 1234.56 / 12.50 / 2026-11-01 / 1500 instead of 1234,56 / 12,5 / ...
    assert _preview(session, provider, _csv(GOOD[0], GOOD[1])).errors == []


def test_a_meter_twice_in_the_file_is_an_error(session, provider):
    preview = _preview(session, provider, _csv(GOOD[0], GOOD[0].replace("123,456", "124")))
    assert [(error.line, error.column) for error in preview.errors] == [(3, "meter_serial")]
    assert "строке 2" in preview.errors[0].message


def test_rows_that_disagree_far_apart_are_still_reported(session, provider, tmp_path):
    """The first row of an account or meter and its repeat 30 000 lines later: nothing is forgotten
    between them. A row that disagrees is not looked at for its meter; a row with errors of its own
    is not an account's first row."""
    path = tmp_path / "registry.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\r\n")
        out.write("100200300;адрес;;много;;01.11.2026;;;;;;;;;\r\n")  # line 2: its own error
        out.write(GOOD[0] + "\r\n")  # line 3: the account's first row
        for i in range(30_000):  # lines 4 … 30 003
            out.write(f"{200_000_000 + i};адрес {i};;{i},10;;01.11.2026;;;M{i};gas;;;;;\r\n")
        out.write(GOOD[0].replace("Иванов И. И.", "Петров П. П.").replace(";W1;", ";W7;") + "\r\n")  # 30 004
        out.write(GOOD[1].replace(";4821;", ";4822;") + "\r\n")  # 30 005: another PIN
        out.write(GOOD[0].replace("123,456", "1") + "\r\n")  # 30 006: meter W1 again
        out.write(GOOD[0].replace(";W1;", ";W7;") + "\r\n")  # 30 007: W7 is new, its earlier row disagreed
        out.write("200000005;адрес 5;;5,1;;01.11.2026;;;M5;gas;;;;;\r\n")  # 30 008: repeats line 9 exactly
    preview = registry.preview_registry(session, provider_id=provider.id, source=path)
    assert [(error.line, error.column, error.message) for error in preview.errors] == [
        (2, "debt", registry._message("money_signed")),
        (30_004, "owner", registry._message("conflict", first=3)),
        (30_005, "pin", registry._message("conflict", first=3)),
        (30_006, "meter_serial", registry._message("meter_repeated", first=3)),
        (30_008, "meter_serial", registry._message("meter_repeated", first=9)),
    ]
    assert preview.rows == 30_007 and _count(session, ProviderAccount) == 0


# --- comparing and writing ---------------------------------------------------------------------------------


def test_preview_counts_new_changed_unchanged_and_writes_nothing(session, provider):
    assert (_preview(session, provider, _csv(*GOOD)).accounts_new, _count(session, ProviderAccount)) == (2, 0)
    _import(session, provider, _csv(*GOOD))
    changed = [GOOD[0].replace("123,456", "130"), GOOD[1], GOOD[2].replace("-300.00", "0"),
               "100200302;адрес;;1;;01.11.2026;;;M;gas;;;;;"]
    preview = _preview(session, provider, _csv(*changed))
    assert preview.counts() == {"accounts_new": 1, "accounts_changed": 1, "accounts_unchanged": 1,
                                "meters_new": 1, "meters_changed": 1, "meters_unchanged": 1, "rows": 4}
    assert (_count(session, ProviderAccount), _count(session, Meter)) == (2, 2)


def test_reimporting_the_same_file_writes_nothing(session, provider):
    text = _csv(*GOOD)
    _import(session, provider, text)
    session.expire_all()
    before = ([(a.id, a.updated_at, a.pin_hash) for a in session.exec(select(ProviderAccount).order_by(ProviderAccount.id))],
              [m.model_dump() for m in session.exec(select(Meter).order_by(Meter.id))])
    again = _import(session, provider, text, now=NOW + dt.timedelta(days=1))
    assert again.counts() == {"accounts_new": 0, "accounts_changed": 0, "accounts_unchanged": 2,
                              "meters_new": 0, "meters_changed": 0, "meters_unchanged": 2, "rows": 3}
    session.expire_all()
    after = ([(a.id, a.updated_at, a.pin_hash) for a in session.exec(select(ProviderAccount).order_by(ProviderAccount.id))],
             [m.model_dump() for m in session.exec(select(Meter).order_by(Meter.id))])
    assert after == before
    # The same file in Windows-1251 is the same registry.
    assert _import(session, provider, text, "cp1251").accounts_unchanged == 2


def test_changes_are_upserted_and_what_the_file_lacks_stays(session, provider):
    kept = make_account(session, provider, number="999999999", debt_kopecks=777)
    kept_meter = make_meter(session, kept, serial="K1")
    _import(session, provider, _csv(*GOOD))
    changed = [row.replace("1234,56", "99,00").replace("1234.56", "99") for row in GOOD[:2]]
    result = _import(session, provider, _csv(*changed), now=NOW + dt.timedelta(days=1))
    assert (result.accounts_changed, result.accounts_unchanged, result.meters_unchanged) == (1, 0, 2)
    session.expire_all()
    accounts = {a.number: (a.debt_kopecks, a.updated_at) for a in session.exec(select(ProviderAccount))}
    assert accounts == {"100200300": (9_900, NOW + dt.timedelta(days=1)), "100200301": (-30_000, NOW),
                        "999999999": (777, NOW)}
    assert session.get(Meter, kept_meter.id).serial == "K1" and _count(session, Meter) == 3


def test_a_meter_is_known_by_account_kind_and_serial(session, provider):
    _import(session, provider, _csv(*GOOD))
    # Same serial, other kind: a second meter; same kind, new serial: a replaced meter is a new one.
    more = [GOOD[0], GOOD[1], GOOD[0].replace(";W1;cold_water;", ";W1;gas;"), GOOD[0].replace(";W1;", ";W9;")]
    result = _import(session, provider, _csv(*more))
    assert (result.meters_new, result.meters_unchanged, _count(session, Meter)) == (2, 2, 4)


def test_another_providers_accounts_are_not_touched(session, provider):
    other = make_provider(session, account_pattern=r"\d{9}")
    theirs = make_account(session, other, number="100200300", debt_kopecks=5)
    assert _import(session, provider, _csv(*GOOD)).accounts_new == 2
    session.expire_all()
    assert session.get(ProviderAccount, theirs.id).debt_kopecks == 5


def test_one_bad_row_writes_nothing(session, provider):
    with pytest.raises(DomainError, match="registry_has_errors") as raised:
        _import(session, provider, _csv(*GOOD, "oops;;;;;;;;;;;;;;"))
    assert raised.value.params == {"count": 4}
    assert (_count(session, ProviderAccount), _count(session, Meter), _count(session, AuditEvent)) == (0, 0, 0)


def test_a_refused_import_then_a_preview_in_the_same_transaction(session, provider):
    """What `python -m cabinet import-registry` does with a bad file; each call cleans up after itself."""
    bad = _csv(*GOOD, "oops;;;;;;;;;;;;;;")
    with pytest.raises(DomainError, match="registry_has_errors"):
        _import(session, provider, bad)
    assert len(_preview(session, provider, bad).errors) == 4
    assert _import(session, provider, _csv(*GOOD)).accounts_new == 2
    assert _preview(session, provider, _csv(*GOOD)).accounts_unchanged == 2


def test_an_import_is_audited_with_its_counts_and_actor(session, provider):
    admin = make_user(session)
    _import(session, provider, _csv(*GOOD), actor_user_id=admin.id)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "registry_imported")).one()
    assert (event.actor_user_id, event.target_type, event.target_id) == (admin.id, "provider", str(provider.id))
    assert json.loads(event.details) == {"accounts_new": 2, "accounts_changed": 0, "accounts_unchanged": 0,
                                         "meters_new": 2, "meters_changed": 0, "meters_unchanged": 0, "rows": 3}


def test_unknown_provider_and_too_large_file_are_refused(session, provider):
    with pytest.raises(DomainError, match="not_found"):
        registry.preview_registry(session, provider_id=provider.id + 1000, source=io.BytesIO(_csv(*GOOD).encode()))
    with pytest.raises(DomainError, match="registry_too_large") as raised:
        registry.preview_registry(session, provider_id=provider.id, source=io.BytesIO(b"x" * (2 * 1024 * 1024 + 1)),
                                  max_bytes=2 * 1024 * 1024)
    assert raised.value.params == {"max_mb": 2}


@pytest.fixture
def registry_limit(monkeypatch):
    """Sets REGISTRY_MAX_MB for one test, as an operator would in the environment."""

    def set_limit(megabytes: int) -> None:
        monkeypatch.setenv("REGISTRY_MAX_MB", str(megabytes))
        get_settings.cache_clear()

    yield set_limit
    monkeypatch.undo()
    get_settings.cache_clear()


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as out:  # sparse: the size without the bytes
        out.truncate(size)
    return path


def test_the_size_limit_is_256_mb_by_default_and_checked_before_reading(session, provider, tmp_path):
    assert registry.size_limit() == 256 * 1024 * 1024
    path = _sparse(tmp_path / "huge.csv", 256 * 1024 * 1024 + 1)
    with pytest.raises(DomainError, match="registry_too_large") as raised:
        registry.import_registry(session, provider_id=provider.id, source=path, now=NOW)
    assert raised.value.params == {"max_mb": 256}


def test_the_size_limit_follows_registry_max_mb_and_names_it_in_russian(session, provider, tmp_path,
                                                                        registry_limit):
    registry_limit(1)
    over = _sparse(tmp_path / "over.csv", 1024 * 1024 + 1)
    for attempt in (lambda: registry.preview_registry(session, provider_id=provider.id, source=over),
                    lambda: registry.import_registry(session, provider_id=provider.id, source=over, now=NOW)):
        with pytest.raises(DomainError, match="registry_too_large") as raised:
            attempt()
        assert raised.value.params == {"max_mb": 1}
        assert texts.error_text(raised.value.code, **raised.value.params) == \
            "Файл больше 1 МБ. Разделите реестр на части."
    # A file of exactly the limit is taken.
    exact = tmp_path / "exact.csv"
    exact.write_bytes((_csv(*GOOD).encode() + b"\r\n" * (1024 * 1024))[:1024 * 1024])
    assert _preview_path(session, provider, exact).accounts_new == 2
    registry_limit(300)
    huge = _sparse(tmp_path / "huge.csv", 256 * 1024 * 1024 + 1)
    # Over the default, under the operator's limit: read, and refused only for what it holds (NUL bytes).
    with pytest.raises(DomainError, match="registry_encoding"):
        registry.preview_registry(session, provider_id=provider.id, source=huge)


def _preview_path(session, provider, path: Path):
    return registry.preview_registry(session, provider_id=provider.id, source=path)


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_two_imports_for_one_provider_at_once_run_one_after_the_other(engine):
    """Regression guard: both would insert the same new accounts and the second would fail on the
    unique number; it waits for the first instead and finds everything unchanged."""
    with Session(engine) as first, Session(engine) as second:
        provider = make_provider(first, account_pattern=r"\d{9}")
        first.commit()
        _import(first, provider, _csv(*GOOD))  # holds the provider until it commits
        result = {}
        worker = threading.Thread(target=lambda: result.update(preview=_import(second, provider, _csv(*GOOD))))
        worker.start()
        worker.join(timeout=1)
        assert worker.is_alive()  # waiting for the first import
        first.commit()
        worker.join(timeout=30)
        assert (result["preview"].accounts_unchanged, result["preview"].meters_unchanged) == (2, 2)
        second.commit()
        assert _count(first, ProviderAccount) == 2


# --- PINs -------------------------------------------------------------------------------------------------------


def test_pin_is_kept_only_as_a_keyed_hash(session, provider):
    _import(session, provider, _csv(*GOOD))
    account = _account(session, "100200300")
    assert "4821" not in account.pin_hash and account.pin_hash.startswith("hmac$")
    assert pin_matches(account.pin_hash, number="100200300", pin="4821")
    assert not pin_matches(account.pin_hash, number="100200300", pin="4822")


def test_a_new_pin_replaces_the_old_and_an_empty_one_removes_it(session, provider):
    _import(session, provider, _csv(*GOOD))
    renewed = [row.replace(";4821;", ";5930;") for row in GOOD[:2]]
    assert _import(session, provider, _csv(*renewed)).accounts_changed == 1
    session.expire_all()
    account = _account(session, "100200300")
    assert pin_matches(account.pin_hash, number="100200300", pin="5930")
    assert not pin_matches(account.pin_hash, number="100200300", pin="4821")
    removed = [row.replace(";5930;", ";;") for row in renewed]
    assert _import(session, provider, _csv(*removed)).accounts_changed == 1
    session.expire_all()
    assert _account(session, "100200300").pin_hash is None


def test_an_unchanged_bcrypt_pin_is_kept_and_a_changed_one_replaced(session, provider):
    """The first demo data kept PINs as bcrypt hashes: the same PIN in the file is no change."""
    _import(session, provider, _csv(*GOOD))
    account = _account(session, "100200300")
    account.pin_hash = hash_password("4821", rounds=4)
    session.add(account)
    session.commit()
    legacy = account.pin_hash
    assert _import(session, provider, _csv(*GOOD)).accounts_unchanged == 2
    session.expire_all()
    assert _account(session, "100200300").pin_hash == legacy
    changed = _import(session, provider, _csv(*[row.replace(";4821;", ";5930;") for row in GOOD]))
    assert (changed.accounts_changed, changed.accounts_unchanged) == (1, 1)
    session.expire_all()
    renewed = _account(session, "100200300").pin_hash
    assert renewed.startswith("hmac$") and pin_matches(renewed, number="100200300", pin="5930")


# --- progress and size ----------------------------------------------------------------------------------------


def test_progress_goes_up_to_the_total(session, provider):
    rows = [f"{100_000_000 + i};адрес;;1;;01.11.2026;;;;;;;;;" for i in range(12_000)]
    seen = []
    _import(session, provider, _csv(*rows), progress=lambda done, total: seen.append((done, total)))
    assert len(seen) >= 4  # reading reports every few thousand rows, writing every batch
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)
    assert len({total for _done, total in seen}) == 1 and seen[-1][0] == seen[-1][1]


def test_progress_moves_while_writing(session, provider, monkeypatch):
    monkeypatch.setattr(registry, "WRITE_LINES", 1_000)
    rows = [f"{100_000_000 + i};адрес;;1;;01.11.2026;;;M;gas;;;;;" for i in range(5_000)]
    seen = []
    _import(session, provider, _csv(*rows), progress=lambda done, total: seen.append((done, total)))
    total = seen[-1][1]
    writing = [done for done, _total in seen if total // 2 < done < total]
    # 5 000 accounts and 5 000 meters, a statement for every 1 000 lines of each.
    assert len(writing) >= 9 and writing == sorted(writing)


# The admin page's upload (saved in chunks, removed when refused): tests/services/test_registry_uploads.py.


def _big_registry(path: Path, rows: int) -> Path:
    """A provider-sized registry written line by line: every row with a PIN and a meter."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\r\n")
        for i in range(rows):
            out.write(f"{100_000_000 + i:09d};г. Заречный, ул. Длинная, д. {i // 100}, кв. {i % 100};Житель {i};"
                      f"{i % 5000},50;;01.11.2026;{i % 3000},00;{1000 + i % 9000};S{i};cold_water;{i % 900},125;"
                      f"25.10.2026;01.01.2030;5.3;45,62\r\n")
    return path


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)  # once: it is the slowest test here
def test_a_hundred_thousand_rows_import_and_reimport_unchanged(session, provider, tmp_path, capsys):
    """A provider-sized registry imports from its file; importing it again writes nothing. Memory does
    not grow with the file: the re-import (every row compared with the database) is traced by
    tracemalloc in a second pass, so tracing does not slow the timed one. With -s it prints both."""
    path = _big_registry(tmp_path / "registry.csv", 100_000)
    started = time.perf_counter()
    first = registry.import_registry(session, provider_id=provider.id, source=path, now=NOW)
    seconds = time.perf_counter() - started
    assert (first.accounts_new, first.meters_new) == (100_000, 100_000)
    assert (_count(session, ProviderAccount), _count(session, Meter)) == (100_000, 100_000)
    assert _account(session, "100000007").debt_kopecks == 750

    tracemalloc.start()
    again = registry.import_registry(session, provider_id=provider.id, source=path, now=NOW + dt.timedelta(days=1))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (again.accounts_unchanged, again.meters_unchanged, again.accounts_changed, again.meters_changed) == (
        100_000, 100_000, 0, 0)
    assert session.exec(select(func.max(ProviderAccount.updated_at))).one() == NOW
    # The 17 MiB file and 100 000 compared rows would take well over 100 MiB if any of them were held.
    assert peak < 16 * 2**20
    with capsys.disabled():
        print(f"\n  registry of 100 000 rows ({path.stat().st_size / 2**20:.0f} MiB) on "
              f"{session.get_bind().dialect.name}: import {seconds:.1f} s ({100_000 / seconds:,.0f} rows/s); "
              f"re-import peak {peak / 2**20:.1f} MiB (tracemalloc)")


def test_a_file_wrong_on_every_line_keeps_the_first_errors_and_counts_all(session, provider, monkeypatch):
    monkeypatch.setattr(registry, "MAX_REPORTED_ERRORS", 50)
    conflict = [GOOD[2], GOOD[2].replace(";;-300.00", ";Петров П. П.;-300.00")]
    wrong = [f"12{i:04d};Адрес;Житель;10,00;;01.11.2026;;;;;;;;;" for i in range(400)]
    text = _csv(*conflict, *wrong)
    preview = _preview(session, provider, text)
    assert preview.error_count == 401
    # The conflict (line 3) is found after the rows are read, yet comes first: errors are by line.
    assert [error.line for error in preview.errors] == list(range(3, 53))
    assert preview.errors[0].column == "owner"
    with pytest.raises(DomainError) as raised:
        _import(session, provider, text)
    assert raised.value.params["count"] == 401
