"""A registry file's columns (docs/registry-format.md) and the database columns they are staged and written as."""

from __future__ import annotations

import dataclasses
import enum

from cabinet.models import MeterKind

# How a file is written: what rows.py reads (the help page at /admin/registry/format says the same, from here).
SEPARATOR = ";"
ENCODINGS = ("utf-8-sig", "cp1251")  # UTF-8 with or without a BOM, else Windows-1251 (Excel in Russia)
DECIMAL_MARKS = (",", ".")  # 1234,56 and 1234.56 are the same amount
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")  # ДД.ММ.ГГГГ, ГГГГ-ММ-ДД


class ColumnKind(str, enum.Enum):
    """What a column holds, as cells.py reads it."""

    text = "text"
    money = "money"  # roubles ≥ 0, at most two decimals
    signed_money = "signed_money"  # the same, negative allowed (an overpayment)
    date = "date"
    reading = "reading"  # ≥ 0, at most three decimals
    digits = "digits"  # a meter's dial: «whole.fraction»
    meter_kind = "meter_kind"


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a registry file: the importer reads it by these rules, the help page describes them."""

    name: str
    kind: ColumnKind
    required: bool = False  # the header must name it and every row fill it
    meter: bool = False  # one of the meter's columns: a row with any of them filled has a meter
    required_for_meter: bool = False  # filled in every row that has a meter
    limit: int | None = None  # the most characters
    default: str = ""  # what an empty cell is read as ("" — none)


SPEC = (
    Column("account", ColumnKind.text, required=True, limit=40),
    Column("address", ColumnKind.text, required=True, limit=300),
    Column("owner", ColumnKind.text, limit=200),
    Column("debt", ColumnKind.signed_money, required=True),
    Column("penalty", ColumnKind.money, default="0"),
    Column("as_of", ColumnKind.date, required=True),
    Column("last_bill", ColumnKind.money),
    Column("pin", ColumnKind.text),
    Column("meter_serial", ColumnKind.text, meter=True, limit=40),
    Column("meter_kind", ColumnKind.meter_kind, meter=True, required_for_meter=True),
    Column("meter_last", ColumnKind.reading, meter=True),
    Column("meter_last_date", ColumnKind.date, meter=True),
    Column("meter_verified_until", ColumnKind.date, meter=True),
    Column("meter_digits", ColumnKind.digits, meter=True, default="5.3"),
    Column("meter_tariff", ColumnKind.money, meter=True),
)
BY_NAME = {column.name: column for column in SPEC}
COLUMNS = tuple(column.name for column in SPEC)
REQUIRED = tuple(column.name for column in SPEC if column.required)
# The account's own columns, in the order of the parsed account tuple; they repeat on every row of an account.
ACCOUNT_FIELDS = ("address", "owner", "debt", "penalty", "as_of", "last_bill", "pin")
METER_FIELDS = tuple(column.name for column in SPEC if column.meter)
KIND_NAMES = {kind.value: kind for kind in MeterKind} | {
    "хвс": MeterKind.cold_water,
    "холодная вода": MeterKind.cold_water,
    "гвс": MeterKind.hot_water,
    "горячая вода": MeterKind.hot_water,
    "электроэнергия": MeterKind.electricity,
    "электричество": MeterKind.electricity,
    "электроэнергия день": MeterKind.electricity_day,
    "электроэнергия ночь": MeterKind.electricity_night,
    "газ": MeterKind.gas,
    "отопление": MeterKind.heat,
    "тепло": MeterKind.heat,
}
DEFAULT_DIGITS = BY_NAME["meter_digits"].default
LIMITS = {column.name: column.limit for column in SPEC if column.limit}

# Database columns of the account and meter fields, in the order the staging tuple holds them.
ACCOUNT_COLUMNS = ("address", "owner_name", "debt_kopecks", "penalty_kopecks", "balance_as_of", "last_bill_kopecks")
METER_COLUMNS = (
    "digits_whole",
    "digits_fraction",
    "last_value_thousandths",
    "last_value_date",
    "verified_until",
    "tariff_kopecks",
)
# The staged columns two rows of one account must agree in, named as the file names them.
AGREEING = tuple(zip(ACCOUNT_FIELDS, (*ACCOUNT_COLUMNS, "pin_hash"), strict=True))
