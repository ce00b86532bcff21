"""Kopecks in, «1 234,56 ₽» out; what residents type, parsed or refused."""

from __future__ import annotations

import pytest

from cabinet.errors import DomainError
from cabinet.money import (
    amount_field_text,
    decimal_string_to_kopecks,
    format_rubles,
    kopecks_to_decimal_string,
    parse_rubles,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("kopecks", "shown"),
    [
        (123456, f"1{NBSP}234,56{NBSP}₽"),
        (0, f"0,00{NBSP}₽"),
        (5, f"0,05{NBSP}₽"),
        (100000000, f"1{NBSP}000{NBSP}000,00{NBSP}₽"),
        (-150050, f"−1{NBSP}500,50{NBSP}₽"),
    ],
)
def test_format_rubles(kopecks, shown):
    assert format_rubles(kopecks) == shown


def test_format_rubles_with_sign():
    assert format_rubles(100, sign=True) == f"+1,00{NBSP}₽"


@pytest.mark.parametrize(
    ("typed", "kopecks"),
    [("1500", 150000), ("1500,5", 150050), ("1500.05", 150005), (" 1 234,56 ₽ ", 123456), ("0,01", 1)],
)
def test_parse_rubles(typed, kopecks):
    assert parse_rubles(typed) == kopecks


@pytest.mark.parametrize("typed", ["", "abc", "1,234", "12.345", "-5", "1e3", "1 500,5,0"])
def test_parse_rubles_refuses(typed):
    with pytest.raises(DomainError) as raised:
        parse_rubles(typed)
    assert raised.value.code == "amount_format"


def test_gateway_amounts_round_trip():
    assert kopecks_to_decimal_string(123405) == "1234.05"
    assert decimal_string_to_kopecks("1234.05") == 123405
    assert decimal_string_to_kopecks("10.5") == 1050
    with pytest.raises(ValueError):
        kopecks_to_decimal_string(-1)


def test_an_amount_field_shows_a_sum_that_reads_back_the_same():
    for kopecks in (0, 5, 150_025, 123_456_789):
        assert parse_rubles(amount_field_text(kopecks)) == kopecks
    assert amount_field_text(150_025) == "1\u00a0500,25"
