"""One registry row's cells read as values — amounts, dates, readings, the account's and the meter's fields."""

from __future__ import annotations

import datetime as dt
import functools
import re

from cabinet.errors import DomainError
from cabinet.models import Provider
from cabinet.money import parse_rubles
from cabinet.services.accounts import check_account_format, normalize_account_number
from cabinet.services.registry.columns import (
    BY_NAME,
    DEFAULT_DIGITS,
    KIND_NAMES,
    LIMITS,
    METER_FIELDS,
    REQUIRED,
    ColumnKind,
)

_DIGITS = re.compile(r"(?P<whole>[1-9])(?:[.,](?P<fraction>[0-3]))?")
_VALUE = re.compile(r"\d{1,9}(?:[.,]\d{1,3})?")
# The amounts of the account tuple, in its order; each read as its column's kind says (signed or not).
_ACCOUNT_AMOUNTS = ("debt", "penalty", "last_bill")
_PLAIN_MONEY = re.compile(r"(?P<sign>-?)(?P<rubles>\d{1,9})(?:[.,](?P<kopecks>\d{1,2}))?")


def _money(text: str, *, signed: bool = False) -> int:
    """Kopecks; raises DomainError. Plain «1234,5» is read here, anything fancier («1 234,50 ₽») by
    parse_rubles — a registry has hundreds of thousands of amounts, nearly all plain."""
    plain = _PLAIN_MONEY.fullmatch(text)
    if plain is None or (plain["sign"] and not signed):
        negative = signed and text.startswith("-")
        kopecks = parse_rubles(text[1:] if negative else text)
        return -kopecks if negative else kopecks
    kopecks = int(plain["rubles"]) * 100 + int((plain["kopecks"] or "0").ljust(2, "0"))
    return -kopecks if plain["sign"] else kopecks


@functools.lru_cache(maxsize=4096)
def _date(text: str) -> str:
    """ДД.ММ.ГГГГ or ГГГГ-ММ-ДД as ISO ГГГГ-ММ-ДД, the form both databases compare stored dates in;
    registries repeat a few dates, so each is parsed once (and shared)."""
    parts = text.split(".")
    if len(parts) == 3:
        day, month, year = parts
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            raise ValueError(text)
        return dt.date(int(year), int(month), int(day)).isoformat()
    if len(text) != 10 or text[4] != "-":
        raise ValueError(text)
    return dt.date.fromisoformat(text).isoformat()


def _thousandths(text: str) -> int:
    if not _VALUE.fullmatch(text):
        raise ValueError(text)
    whole, _, fraction = text.replace(",", ".").partition(".")
    return int(whole) * 1000 + int(fraction.ljust(3, "0") or "0")


def parse_account(cell: dict[str, str], provider: Provider, fail) -> tuple[str, tuple]:
    for name in REQUIRED:
        if not cell[name]:
            fail(name, "required")
    for name, limit in LIMITS.items():
        if len(cell[name]) > limit:
            fail(name, "too_long", max=limit)
    number = normalize_account_number(cell["account"])
    if number:
        try:
            check_account_format(provider, number)
        except DomainError:
            fail("account", "account_format", format=provider.account_format_description)
    amounts = []
    for name in _ACCOUNT_AMOUNTS:
        column = BY_NAME[name]
        signed = column.kind is ColumnKind.signed_money
        text = cell[name] or column.default
        amounts.append(None)
        if text:
            try:
                amounts[-1] = _money(text, signed=signed)
            except DomainError:
                fail(name, "money_signed" if signed else "money")
    as_of = None
    if cell["as_of"]:
        try:
            as_of = _date(cell["as_of"])
        except ValueError:
            fail("as_of", "date")
    debt, penalty, last_bill = amounts
    return number, (cell["address"], cell["owner"], debt, penalty, as_of, last_bill, cell["pin"])


def parse_meter(cell: dict[str, str], fail) -> tuple | None:
    """(kind, serial, *values in METER_COLUMNS order), or None for a row without a meter."""
    if not any(cell[name] for name in METER_FIELDS):
        return None
    kind = None
    kind_text = " ".join(cell["meter_kind"].lower().split())
    if not kind_text:
        fail("meter_kind", "required")
    elif kind_text not in KIND_NAMES:
        fail("meter_kind", "meter_kind")
    else:
        kind = KIND_NAMES[kind_text].value
    whole = fraction = None
    digits = _DIGITS.fullmatch(cell["meter_digits"] or DEFAULT_DIGITS)
    if digits is None:
        fail("meter_digits", "meter_digits")
    else:
        whole, fraction = int(digits["whole"]), int(digits["fraction"] or 0)
    last = None
    if cell["meter_last"]:
        try:
            last = _thousandths(cell["meter_last"])
        except ValueError:
            fail("meter_last", "number")
        else:
            if whole is not None and last >= 10**whole * 1000:
                fail("meter_last", "meter_last_capacity", whole=whole)
    dates = []
    for name in ("meter_last_date", "meter_verified_until"):
        dates.append(None)
        if cell[name]:
            try:
                dates[-1] = _date(cell[name])
            except ValueError:
                fail(name, "date")
    tariff = None
    if cell["meter_tariff"]:
        try:
            tariff = _money(cell["meter_tariff"])
        except DomainError:
            fail("meter_tariff", "money")
    return kind, cell["meter_serial"], whole, fraction, last, dates[0], dates[1], tariff
