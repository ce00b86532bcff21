"""A sample registry for one provider: a few made-up accounts in its number format, every column filled somewhere.

It is written by the rules in columns.py (separator, first encoding, every column in header order), and the tests
preview it through the real importer: the sample a page offers is always a file the importer takes.
Its account numbers fit the provider's pattern (and check digit) and are none of its stored accounts, so even
imported by mistake it adds a few accounts rather than changing real ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import sqlalchemy as sa
from sqlmodel import Session

from cabinet.errors import DomainError
from cabinet.models import Provider, ProviderAccount
from cabinet.services.accounts import check_account_format, normalize_account_number
from cabinet.services.registry.columns import COLUMNS, DATE_FORMATS, ENCODINGS, SEPARATOR

ACCOUNTS = 3  # the most accounts a sample shows: two meters, none, one of another kind
_VARIED_DIGITS = 3  # how many trailing digits of the provider's example are varied for more numbers


def _candidates(example: str) -> Iterator[str]:
    """The example, then numbers that differ from it in its last few digits (counting up from it)."""
    positions = [index for index, char in enumerate(example) if char.isascii() and char.isdigit()][-_VARIED_DIGITS:]
    if not positions:
        yield example
        return
    start = int("".join(example[index] for index in positions))
    size = 10 ** len(positions)
    for step in range(size):
        digits = f"{(start + step) % size:0{len(positions)}d}"
        chars = list(example)
        for index, digit in zip(positions, digits, strict=True):
            chars[index] = digit
        yield "".join(chars)


def _fits(provider: Provider, number: str) -> bool:
    try:
        check_account_format(provider, number)
    except DomainError:
        return False
    return True


def sample_numbers(session: Session | None, provider: Provider) -> list[str]:
    """Up to ACCOUNTS account numbers in the provider's format that it has no account under.

    Without a session (a provider that is only a description) nothing is taken. When every candidate is
    taken, the example itself stands in: a sample is still a file the importer accepts.
    """
    example = normalize_account_number(provider.account_example)
    fitting = [number for number in dict.fromkeys(_candidates(example)) if _fits(provider, number)]
    taken: set[str] = set()
    if session is not None and provider.id is not None and fitting:
        stored = ProviderAccount.__table__
        taken = set(
            session.scalars(
                sa.select(stored.c.number).where(stored.c.provider_id == provider.id, stored.c.number.in_(fitting))
            )
        )
    free = [number for number in fitting if number not in taken][:ACCOUNTS]
    return free or [example]


def _day(date: dt.date, form: int = 0) -> str:
    return date.strftime(DATE_FORMATS[form])


def sample_rows(numbers: list[str], *, today: dt.date) -> list[dict[str, str]]:
    """The sample's rows, by column name: the first account with two meters, the second overpaid and without
    meters (an ISO date), the third with an electricity meter (points for decimals)."""
    as_of = today.replace(day=1)
    read_on = as_of - dt.timedelta(days=7)
    verified = as_of.replace(year=as_of.year + 4)
    first = dict(
        account=numbers[0],
        address="г. Примерный, ул. Образцовая, д. 1, кв. 1",
        owner="Образцова А. В.",
        debt="2450,30",
        penalty="35,10",
        as_of=_day(as_of),
        last_bill="2415,20",
        pin="5170",
    )
    meter = dict(meter_last_date=_day(read_on), meter_verified_until=_day(verified))
    rows = [
        first
        | meter
        | dict(meter_serial="ПРИМЕР-001", meter_kind="ХВС", meter_last="123,456", meter_digits="5.3")
        | dict(meter_tariff="45,62"),
        first
        | meter
        | dict(meter_serial="ПРИМЕР-002", meter_kind="ГВС", meter_last="45,5", meter_digits="5,3")
        | dict(meter_tariff="248,90"),
    ]
    if len(numbers) > 1:
        rows.append(
            dict(account=numbers[1], address="г. Примерный, ул. Образцовая, д. 1, кв. 2", debt="-500,00")
            | dict(as_of=_day(as_of, 1))
        )
    if len(numbers) > 2:
        rows.append(
            dict(account=numbers[2], address="г. Примерный, ул. Образцовая, д. 3", owner="Примеров П. П.")
            | dict(debt="0", as_of=_day(as_of), meter_serial="ПРИМЕР-003", meter_kind="Электроэнергия")
            | dict(meter_last="5890.2", meter_last_date=_day(read_on, 1), meter_digits="6", meter_tariff="6.43")
        )
    return [{name: row.get(name, "") for name in COLUMNS} for row in rows]


def sample_text(rows: list[dict[str, str]]) -> str:
    """The rows as a registry file's text: the header, then one line per row, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=SEPARATOR, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([row[name] for name in COLUMNS] for row in rows)
    return out.getvalue()


def sample_file(session: Session, provider: Provider, *, today: dt.date) -> bytes:
    """The provider's sample registry, in the first encoding the importer reads (UTF-8 with a BOM, for Excel)."""
    return sample_text(sample_rows(sample_numbers(session, provider), today=today)).encode(ENCODINGS[0])
