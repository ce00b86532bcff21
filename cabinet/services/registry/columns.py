"""A registry file's columns (docs/registry-format.md) and the database columns they are staged and written as."""

from __future__ import annotations

from cabinet.models import MeterKind

COLUMNS = (
    "account",
    "address",
    "owner",
    "debt",
    "penalty",
    "as_of",
    "last_bill",
    "pin",
    "meter_serial",
    "meter_kind",
    "meter_last",
    "meter_last_date",
    "meter_verified_until",
    "meter_digits",
    "meter_tariff",
)
REQUIRED = ("account", "address", "debt", "as_of")
# The account's own columns, in the order of the parsed account tuple; they repeat on every row of an account.
ACCOUNT_FIELDS = ("address", "owner", "debt", "penalty", "as_of", "last_bill", "pin")
METER_FIELDS = (
    "meter_serial",
    "meter_kind",
    "meter_last",
    "meter_last_date",
    "meter_verified_until",
    "meter_digits",
    "meter_tariff",
)
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
DEFAULT_DIGITS = "5.3"
LIMITS = {"account": 40, "address": 300, "owner": 200, "meter_serial": 40}

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
