"""Reading a registry file: encodings detected slice by slice, decimal comma or point, the header in any order,
quoted values and line breaks, what is not text refused, a path read like a file, the documented sample."""

from __future__ import annotations

import codecs
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlmodel import select

from cabinet.errors import DomainError
from cabinet.models import Meter, MeterKind, ProviderAccount
from cabinet.services import registry
from cabinet.services.registry import rows as registry_rows
from tests.factories import NOW
from tests.services.registry.files import GOOD, count_rows, csv_text, import_text, preview_text, stored_account


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_each_encoding_and_decimal_comma_or_point(session, provider, encoding):
    result = import_text(session, provider, csv_text(*GOOD), encoding)
    assert (result.accounts_new, result.meters_new, result.rows, result.errors) == (2, 2, 3, [])
    first = stored_account(session, "100200300")
    assert (first.address, first.owner_name, first.debt_kopecks, first.penalty_kopecks) == (
        "г. Заречный, ул. Мира, д. 1, кв. 1",
        "Иванов И. И.",
        123_456,
        1_250,
    )
    assert (first.balance_as_of, first.last_bill_kopecks) == (dt.date(2026, 11, 1), 150_000)
    cold = session.exec(select(Meter).where(Meter.kind == MeterKind.cold_water)).one()
    assert (cold.serial, cold.last_value_thousandths, cold.verified_until, cold.tariff_kopecks) == (
        "W1",
        123_456,
        dt.date(2030, 1, 1),
        4_562,
    )
    hot = session.exec(select(Meter).where(Meter.kind == MeterKind.hot_water)).one()
    assert (
        hot.last_value_thousandths,
        hot.last_value_date,
        hot.digits_whole,
        hot.digits_fraction,
        hot.tariff_kopecks,
    ) == (23_500, dt.date(2026, 10, 25), 5, 3, 24_890)
    overpaid = stored_account(session, "100200301")
    assert (overpaid.debt_kopecks, overpaid.penalty_kopecks, overpaid.last_bill_kopecks, overpaid.pin_hash) == (
        -30_000,
        0,
        None,
        None,
    )
    assert session.exec(select(Meter).where(Meter.account_id == overpaid.id)).all() == []


def test_header_in_any_order_and_case_with_optional_columns_left_out(session, provider):
    text = (
        "  AS_OF ;Debt;Account;address;meter_kind;Meter_Serial\n"
        "01.11.2026;10;100 200-300;ул. Мира, 1;ХВС;A\n"
        "01.11.2026;10;100200300;ул. Мира, 1;  горячая   вода ;B\n"
        "01.11.2026;10;100200300;ул. Мира, 1;Электроэнергия;C\n"
    )
    result = import_text(session, provider, text)
    assert (result.accounts_new, result.meters_new) == (1, 3)
    kinds = {
        meter.serial: (meter.kind, meter.digits_whole, meter.digits_fraction) for meter in session.exec(select(Meter))
    }
    assert kinds == {
        "A": (MeterKind.cold_water, 5, 3),
        "B": (MeterKind.hot_water, 5, 3),
        "C": (MeterKind.electricity, 5, 3),
    }


def test_a_quoted_value_may_hold_semicolons(session, provider):
    import_text(
        session, provider, csv_text('100200300;"г. Заречный; ул. Мира, д. 1";"ООО ""Ромашка""";1;;01.11.2026;;;;;;;;;')
    )
    account = stored_account(session, "100200300")
    assert (account.address, account.owner_name) == ("г. Заречный; ул. Мира, д. 1", 'ООО "Ромашка"')


def test_a_line_break_inside_a_value_is_reported_where_its_row_starts(session, provider):
    text = csv_text(
        '100200300;"г. Заречный,\r\nул. Мира";;1;;01.11.2026;;;;;;;;;',
        "100200301;адрес;;1;;01.11.2026;;;;;;;;;",
        "100200302;адрес;;много;;01.11.2026;;;;;;;;;",
    )
    # The quoted line break takes lines 2 and 3: the next rows are the file's lines 4 and 5.
    assert [(error.line, error.column) for error in preview_text(session, provider, text).errors] == [
        (2, "address"),
        (5, "debt"),
    ]


def test_an_unpaired_quote_is_reported_at_its_row(session, provider):
    preview = preview_text(
        session, provider, csv_text(GOOD[2], '100200302;адрес;"Иванов;1;;01.11.2026;;;;;;;;;', GOOD[2])
    )
    assert [(error.line, error.column) for error in preview.errors] == [(3, "owner")]
    assert "кавычка" in preview.errors[0].message


@pytest.mark.parametrize("data", [csv_text(GOOD[2]).encode() + b"\x98\xff", csv_text(GOOD[2]).encode("utf-16")])
def test_a_file_neither_utf8_nor_windows_1251_is_refused(session, provider, data):
    with pytest.raises(DomainError, match="registry_encoding"):
        registry.preview_registry(session, provider_id=provider.id, source=io.BytesIO(data))


@pytest.mark.parametrize("late", [b"\x00", b"\x98"])
def test_a_non_text_byte_far_into_the_file_is_found(session, provider, monkeypatch, late):
    # Tiny slices: the byte is many slices past the start, as in a file of hundreds of megabytes.
    monkeypatch.setattr(registry_rows, "SCAN_SLICE", 16)
    data = csv_text(*[GOOD[2]] * 20).encode("cp1251") + late + b"\r\n"
    with pytest.raises(DomainError, match="registry_encoding"):
        registry.preview_registry(session, provider_id=provider.id, source=io.BytesIO(data))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_the_encoding_is_detected_from_every_slice(session, provider, monkeypatch, encoding):
    """Windows-1251 shows itself only where Cyrillic first appears, here far past the first slice;
    UTF-8 cut in the middle of a character at a slice boundary is still UTF-8."""
    monkeypatch.setattr(registry_rows, "SCAN_SLICE", 7)  # odd: two-byte Cyrillic straddles boundaries
    latin = [f"{100_200_310 + i};Zarechny, Mira 1-{i};;1;;01.11.2026;;;;;;;;;" for i in range(30)]
    result = import_text(session, provider, csv_text(*latin, GOOD[2]), encoding)
    assert (result.accounts_new, result.errors) == (31, [])
    assert stored_account(session, "100200301").address == "г. Заречный, ул. Мира, д. 1, кв. 2"


def test_a_path_is_read_like_a_file(session, provider, tmp_path):
    path = tmp_path / "registry.csv"
    path.write_bytes(csv_text(*GOOD).encode("cp1251"))
    assert registry.preview_registry(session, provider_id=provider.id, source=str(path)).accounts_new == 2
    assert registry.import_registry(session, provider_id=provider.id, source=path, now=NOW).meters_new == 2
    assert count_rows(session, ProviderAccount) == 2


def test_the_documented_sample_imports(session, provider):
    """docs/registry-sample.csv is what operators copy: it must stay a valid registry for pattern \\d{9}."""
    sample = Path(__file__).resolve().parents[3] / "docs" / "registry-sample.csv"
    assert sample.read_bytes().startswith(codecs.BOM_UTF8)
    result = registry.import_registry(session, provider_id=provider.id, source=sample, now=NOW)
    assert (result.accounts_new, result.meters_new, result.errors) == (12, 11, [])
    debts = [account.debt_kopecks for account in session.exec(select(ProviderAccount))]
    assert min(debts) < 0 and 0 in debts and max(debts) > 0


def test_header_problems_are_reported_on_line_one(session, provider):
    preview = preview_text(session, provider, csv_text(header="account;adress;debt;Debt"))
    assert {(error.line, error.column) for error in preview.errors} == {
        (1, "adress"),
        (1, "debt"),
        (1, "address"),
        (1, "as_of"),
    }
    assert preview_text(session, provider, "").errors[0].line == 1
