"""A registry row's cells: every mistake named with its line and column, all of a row's mistakes listed."""

from __future__ import annotations

import pytest

from cabinet.models import AccountChecksum
from tests.factories import make_provider
from tests.services.registry.files import GOOD, csv_text, preview_text


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
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
    ],
)
def test_each_row_error_names_its_line_and_column(session, provider, row, column, words):
    preview = preview_text(session, provider, csv_text(GOOD[2], row))
    assert [(error.line, error.column) for error in preview.errors] == [(3, column)]
    assert words in preview.errors[0].message


def test_every_error_of_every_row_is_listed(session, provider):
    preview = preview_text(session, provider, csv_text("1;;;x;;y;;;;;;;;;", GOOD[2], ";" * 14 + "z"))
    assert [(error.line, error.column) for error in preview.errors] == [
        (2, "address"),
        (2, "account"),
        (2, "debt"),
        (2, "as_of"),
        (4, "account"),
        (4, "address"),
        (4, "debt"),
        (4, "as_of"),
        (4, "meter_kind"),
        (4, "meter_tariff"),
    ]


def test_account_checksum_is_checked_too(session):
    provider = make_provider(
        session,
        account_pattern=r"\d{9}",
        account_checksum=AccountChecksum.luhn,
        account_format_description="9 цифр с контрольной",
    )
    preview = preview_text(
        session,
        provider,
        csv_text("100200302;адрес;;1;;01.11.2026;;;;;;;;;", "100200303;адрес;;1;;01.11.2026;;;;;;;;;"),
    )
    assert [(error.line, error.column) for error in preview.errors] == [(3, "account")]
