"""A provider's registry (accounts, debts, meters) from a semicolon-separated CSV: preview, then upsert.

The format is specified in docs/registry-format.md. A preview writes nothing and lists every row
error with its line and column; an import applies the whole file in one transaction, or nothing.
Accounts and meters missing from the file stay as they are; importing a file twice changes nothing.

Registries run to a million rows, so memory must not grow with the file. The file is read from disk
as a stream, twice: once in slices to detect its encoding, once to parse it row by row. Each valid
row goes straight into a temporary staging table (COPY on PostgreSQL, batched inserts on SQLite).
What spans rows — an account's rows agree, a meter appears once — the comparison with the database
and the writes are then set-based SQL over the staging tables, which are dropped before returning.
Python keeps only the row errors.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import datetime as dt
import functools
import io
import itertools
import os
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

import sqlalchemy as sa
from sqlmodel import Session, select

from cabinet import texts
from cabinet.config import get_settings
from cabinet.models import Meter, MeterKind, Provider, ProviderAccount
from cabinet.services.accounts import check_account_format, normalize_account_number
from cabinet.services.audit import record_event
from cabinet.errors import DomainError
from cabinet.money import parse_rubles
from cabinet.services.pins import pin_digest, pin_matches

COLUMNS = ("account", "address", "owner", "debt", "penalty", "as_of", "last_bill", "pin", "meter_serial",
           "meter_kind", "meter_last", "meter_last_date", "meter_verified_until", "meter_digits", "meter_tariff")
REQUIRED = ("account", "address", "debt", "as_of")
# The account's own columns, in the order of the parsed account tuple; they repeat on every row of an account.
ACCOUNT_FIELDS = ("address", "owner", "debt", "penalty", "as_of", "last_bill", "pin")
METER_FIELDS = ("meter_serial", "meter_kind", "meter_last", "meter_last_date", "meter_verified_until",
                "meter_digits", "meter_tariff")
KIND_NAMES = {kind.value: kind for kind in MeterKind} | {
    "хвс": MeterKind.cold_water, "холодная вода": MeterKind.cold_water,
    "гвс": MeterKind.hot_water, "горячая вода": MeterKind.hot_water,
    "электроэнергия": MeterKind.electricity, "электричество": MeterKind.electricity,
    "электроэнергия день": MeterKind.electricity_day, "электроэнергия ночь": MeterKind.electricity_night,
    "газ": MeterKind.gas, "отопление": MeterKind.heat, "тепло": MeterKind.heat,
}
DEFAULT_DIGITS = "5.3"
PROGRESS_EVERY = 5_000
STAGE_BATCH = 5_000  # rows per executemany into SQLite's staging table
WRITE_LINES = 20_000  # file lines per write statement, so the progress bar moves during the writes
SCAN_SLICE = 1 << 20
# Row errors kept for showing (the first ones by line); all of them are counted. A file wrong on
# every line would otherwise hold a million messages in memory.
MAX_REPORTED_ERRORS = 1_000
_LIMITS = {"account": 40, "address": 300, "owner": 200, "meter_serial": 40}
_DIGITS = re.compile(r"(?P<whole>[1-9])(?:[.,](?P<fraction>[0-3]))?")
_VALUE = re.compile(r"\d{1,9}(?:[.,]\d{1,3})?")
_PLAIN_MONEY = re.compile(r"(?P<sign>-?)(?P<rubles>\d{1,9})(?:[.,](?P<kopecks>\d{1,2}))?")

# Database columns of the account and meter fields, in the order the staging tuple holds them.
_ACCOUNT_COLUMNS = ("address", "owner_name", "debt_kopecks", "penalty_kopecks", "balance_as_of", "last_bill_kopecks")
_METER_COLUMNS = ("digits_whole", "digits_fraction", "last_value_thousandths", "last_value_date", "verified_until",
                  "tariff_kopecks")
# The staged columns two rows of one account must agree in, named as the file names them.
_AGREEING = tuple(zip(ACCOUNT_FIELDS, (*_ACCOUNT_COLUMNS, "pin_hash")))

Progress = Callable[[int, int], None]
# A path, or a seekable binary file (it is read twice).
RegistrySource = str | os.PathLike[str] | BinaryIO


# --- results ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class RowError:
    # Slots: a file full of mistakes yields an error for every row, and the list is all that is kept.
    line: int
    column: str
    message: str


@dataclasses.dataclass
class RegistryPreview:
    accounts_new: int = 0
    accounts_changed: int = 0
    accounts_unchanged: int = 0
    meters_new: int = 0
    meters_changed: int = 0
    meters_unchanged: int = 0
    rows: int = 0
    # The first MAX_REPORTED_ERRORS row errors by line, and how many there are in all.
    errors: list[RowError] = dataclasses.field(default_factory=list)
    error_count: int = 0

    def counts(self) -> dict[str, int]:
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)
                if field.name not in ("errors", "error_count")}


# --- staging tables -------------------------------------------------------------------------------------------

_STAGING = sa.MetaData()


def _account_columns() -> list[sa.Column]:
    # Money and readings as BIGINT: a value the real INTEGER column cannot take fails at the write, as
    # it always did, not already in the preview.
    return [sa.Column("address", sa.Text), sa.Column("owner_name", sa.Text),
            sa.Column("debt_kopecks", sa.BigInteger), sa.Column("penalty_kopecks", sa.BigInteger),
            sa.Column("balance_as_of", sa.Date), sa.Column("last_bill_kopecks", sa.BigInteger),
            sa.Column("pin_hash", sa.Text),
            # The PIN as written, only for accounts whose stored hash is bcrypt: that needs it to compare.
            sa.Column("pin", sa.Text)]


def _meter_columns() -> list[sa.Column]:
    return [sa.Column("kind", sa.Text), sa.Column("serial", sa.Text),
            sa.Column("digits_whole", sa.Integer), sa.Column("digits_fraction", sa.Integer),
            sa.Column("last_value_thousandths", sa.BigInteger), sa.Column("last_value_date", sa.Date),
            sa.Column("verified_until", sa.Date), sa.Column("tariff_kopecks", sa.BigInteger)]


# Every valid row of the file (the meter columns are NULL on a row without a meter).
_ROWS = sa.Table("registry_import_rows", _STAGING,
                 sa.Column("line", sa.Integer, primary_key=True, autoincrement=False),
                 sa.Column("number", sa.Text, nullable=False),
                 *_account_columns(), *_meter_columns(), prefixes=["TEMPORARY"])
# One row per account, from the first row it appears on, with the stored account it matches.
_ACCOUNTS = sa.Table("registry_import_accounts", _STAGING,
                     sa.Column("line", sa.Integer, primary_key=True, autoincrement=False),
                     sa.Column("number", sa.Text, nullable=False, unique=True),
                     *_account_columns(),
                     sa.Column("account_id", sa.Integer), sa.Column("values_same", sa.Integer),
                     sa.Column("pin_same", sa.Integer), prefixes=["TEMPORARY"])
# One row per meter, with the stored meter it matches; filled only for a file without errors.
_METERS = sa.Table("registry_import_meters", _STAGING,
                   sa.Column("line", sa.Integer, primary_key=True, autoincrement=False),
                   sa.Column("number", sa.Text, nullable=False),
                   *_meter_columns(),
                   sa.Column("meter_id", sa.Integer), sa.Column("values_same", sa.Integer), prefixes=["TEMPORARY"])
_NO_METER = (None,) * len(_meter_columns())


@contextlib.contextmanager
def _staging(session: Session) -> Iterator[None]:
    """Empty staging tables for the body, dropped after it, whatever happens."""
    connection = session.connection()
    schema = "pg_temp" if connection.dialect.name == "postgresql" else "temp"

    def drop() -> None:
        for table in reversed(_STAGING.sorted_tables):
            session.execute(sa.text(f"DROP TABLE IF EXISTS {schema}.{table.name}"))

    # SQLite runs DDL outside the transaction: an earlier call on this pooled connection that was
    # rolled back may have left them behind.
    drop()
    _STAGING.create_all(connection, checkfirst=False)
    try:
        yield
    except BaseException:
        # After a failed statement PostgreSQL refuses even the DROP; the rollback that follows drops them.
        with contextlib.suppress(sa.exc.DBAPIError):
            drop()
        raise
    drop()


def _analyze(session: Session, table: sa.Table) -> None:
    """Statistics for a freshly filled staging table (PostgreSQL)."""
    if session.connection().dialect.name == "postgresql":
        # Temporary tables get none otherwise, and the planner would guess at the joins over them.
        session.execute(sa.text(f"ANALYZE {table.name}"))


def _stage(session: Session, rows: Iterator[tuple]) -> None:
    """Puts the rows into the staging table as they are read: nothing accumulates here."""
    connection = session.connection()
    driver = connection.connection.driver_connection
    names = ", ".join(column.name for column in _ROWS.columns)
    if connection.dialect.name == "postgresql":
        # COPY takes rows several times faster than INSERT, and streams them without batches.
        with driver.cursor() as cursor, cursor.copy(f"COPY {_ROWS.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        insert = f"INSERT INTO {_ROWS.name} ({names}) VALUES ({', '.join('?' * len(_ROWS.columns))})"
        while batch := list(itertools.islice(rows, STAGE_BATCH)):
            driver.executemany(insert, batch)
    _analyze(session, _ROWS)


# --- reading the file ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Scan:
    encoding: str
    lines: int


def _scan(file: BinaryIO) -> _Scan:
    """The file's encoding and number of lines, from one pass in slices; refuses what is not text.

    UTF-8 (with or without BOM) if every byte is valid UTF-8, else Windows-1251 — what Excel saves in Russia.
    """
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    utf8, undefined_in_1251, lines = True, False, 0
    while chunk := file.read(SCAN_SLICE):
        if b"\x00" in chunk:
            # No CSV text holds a zero byte: this is UTF-16 («Юникод» in Excel), a spreadsheet or an image.
            raise DomainError("registry_encoding")
        lines += chunk.count(b"\n")
        undefined_in_1251 = undefined_in_1251 or b"\x98" in chunk
        if utf8:
            try:
                # Incremental: a character cut in two by the slice boundary is completed by the next slice.
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if not utf8 and undefined_in_1251:
        # Neither UTF-8 nor Windows-1251 (cp1251 leaves one byte, 0x98, undefined): not a text file.
        raise DomainError("registry_encoding")
    file.seek(0)
    return _Scan("utf-8-sig" if utf8 else "cp1251", lines)


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


@functools.lru_cache(maxsize=1024)
def _message(key: str, **params: object) -> str:
    # Cached: thousands of errors of one kind share one string.
    return texts.REGISTRY[key].format(**params)


class _CappedErrors(list):
    """Keeps the first MAX_REPORTED_ERRORS errors appended (in line order, as they come) and counts all."""

    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def append(self, error: RowError) -> None:
        self.total += 1
        if len(self) < MAX_REPORTED_ERRORS:
            super().append(error)

    def extend(self, errors) -> None:
        for error in errors:
            self.append(error)


@dataclasses.dataclass
class _Reading:
    """What reading the file found besides the rows it staged."""

    errors: _CappedErrors = dataclasses.field(default_factory=_CappedErrors)
    rows: int = 0
    last_line: int = 1
    undecodable: bool = False


def _header(names: list[str]) -> tuple[list[int | None], list[RowError]]:
    """Positions of COLUMNS in the file (None when absent) and the header's errors."""
    errors, positions = [], {}
    for position, name in enumerate(names):
        if not name:
            continue
        if name not in COLUMNS:
            errors.append(RowError(1, name, _message("unknown_column")))
        elif name in positions:
            errors.append(RowError(1, name, _message("duplicate_column")))
        else:
            positions[name] = position
    errors += [RowError(1, name, _message("missing_column")) for name in REQUIRED if name not in positions]
    return [positions.get(name) for name in COLUMNS], errors


def _read(stream: io.TextIOBase, provider: Provider, reading: _Reading, *, bcrypt_pins: set[str],
          tick: Callable[[int], None]) -> Iterator[tuple]:
    """Each valid row as a tuple of _ROWS's columns; the rows' own errors go to `reading.errors`.

    What needs two rows (conflicting repeats of an account, a meter twice) is left to _row_pair_errors.
    """
    try:
        yield from _read_rows(stream, provider, reading, bcrypt_pins=bcrypt_pins, tick=tick)
    except UnicodeDecodeError:
        # _scan rules this out for nearly every file. Stopping cleanly, rather than raising from
        # inside a COPY, leaves the caller's transaction usable.
        reading.undecodable = True


def _read_rows(stream: io.TextIOBase, provider: Provider, reading: _Reading, *, bcrypt_pins: set[str],
               tick: Callable[[int], None]) -> Iterator[tuple]:
    reader = csv.reader(stream, delimiter=";")
    try:
        header = next(reader, None)
    except csv.Error:
        header = [""]
    if header is None:
        reading.errors.append(RowError(1, "", _message("empty")))
        return
    positions, errors = _header([name.strip().lower() for name in header])
    if errors:
        reading.errors.extend(errors)
        return
    width = max(position for position in positions if position is not None) + 1
    previous_end = reader.line_num

    while True:
        try:
            row = next(reader, None)
        except csv.Error:
            # A stray quote swallows the rest of the file into one field; nothing after it can be trusted.
            reading.errors.append(RowError(previous_end + 1, "", _message("unreadable")))
            return
        if row is None:
            return
        # A quoted field may span lines; the row is reported at the line it starts on.
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        reading.rows += 1
        if reading.rows % PROGRESS_EVERY == 0:
            tick(reading.rows)
        if reader.line_num != line:
            # A line break inside a value is nearly always an unpaired quote that swallowed the
            # following rows; saying so beats a list of confusing errors about the rows it ate.
            broken = next((position for position, cell in enumerate(row) if "\n" in cell or "\r" in cell), None)
            names = [name for name, position in zip(COLUMNS, positions) if position == broken]
            reading.errors.append(RowError(line, names[0] if names else "", _message("line_break")))
            continue
        cells = [row[position].strip() if position is not None and position < len(row) else ""
                 for position in positions]
        errors = []

        def fail(column: str, key: str, **params: object) -> None:
            errors.append(RowError(line, column, _message(key, **params)))

        if any(cell.strip() for cell in row[width:]):
            fail("", "extra_cells")
        cell = dict(zip(COLUMNS, cells))
        number, account = _parse_account(cell, provider, fail)
        meter = _parse_meter(cell, fail)
        if errors:
            reading.errors.extend(errors)
            continue
        pin = account[-1]
        # Staged as its keyed hash: rows of one account agree on the PIN exactly when they agree on
        # the hash, and the PIN itself is kept only where a bcrypt hash needs it.
        pin_hash = pin_digest(number=number, pin=pin) if pin else None
        plain = pin if pin and number in bcrypt_pins else None
        reading.last_line = line
        yield (line, number, *account[:-1], pin_hash, plain, *(meter or _NO_METER))


def _parse_account(cell: dict[str, str], provider: Provider, fail) -> tuple[str, tuple]:
    for name in REQUIRED:
        if not cell[name]:
            fail(name, "required")
    for name, limit in _LIMITS.items():
        if len(cell[name]) > limit:
            fail(name, "too_long", max=limit)
    number = normalize_account_number(cell["account"])
    if number:
        try:
            check_account_format(provider, number)
        except DomainError:
            fail("account", "account_format", format=provider.account_format_description)
    amounts = []
    for name, signed, empty in (("debt", True, None), ("penalty", False, 0), ("last_bill", False, None)):
        amounts.append(empty)
        if cell[name]:
            try:
                amounts[-1] = _money(cell[name], signed=signed)
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


def _parse_meter(cell: dict[str, str], fail) -> tuple | None:
    """(kind, serial, *values in _METER_COLUMNS order), or None for a row without a meter."""
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
            if whole is not None and last >= 10 ** whole * 1000:
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


# --- comparing with the database ----------------------------------------------------------------------------


@dataclasses.dataclass
class _Plan:
    preview: RegistryPreview
    provider_id: int
    estimate: int  # the file's line count: the unit of the progress bar
    last_line: int


def _fill_accounts(session: Session, provider_id: int) -> None:
    """_ACCOUNTS from each account's first row, beside the stored account of that number."""
    stored = ProviderAccount.__table__
    numbered = sa.select(
        _ROWS, sa.func.row_number().over(partition_by=_ROWS.c.number, order_by=_ROWS.c.line).label("nth")
    ).subquery()
    same_values = sa.and_(*[numbered.c[name].is_not_distinct_from(stored.c[name]) for name in _ACCOUNT_COLUMNS])
    # A bcrypt hash never equals the keyed one: _mark_bcrypt_pins_kept looks at those.
    same_pin = sa.or_(sa.and_(numbered.c.pin_hash.is_(None), stored.c.pin_hash.is_(None)),
                      numbered.c.pin_hash == stored.c.pin_hash)
    copied = ("line", "number", *_ACCOUNT_COLUMNS, "pin_hash", "pin")
    session.execute(sa.insert(_ACCOUNTS).from_select(
        [*copied, "account_id", "values_same", "pin_same"],
        sa.select(*[numbered.c[name] for name in copied], stored.c.id,
                  sa.case((same_values, 1), else_=0), sa.case((same_pin, 1), else_=0))
        .select_from(numbered.outerjoin(stored, sa.and_(stored.c.provider_id == provider_id,
                                                        stored.c.number == numbered.c.number)))
        .where(numbered.c.nth == 1)))
    _analyze(session, _ACCOUNTS)


def _row_pair_errors(session: Session) -> Iterator[RowError]:
    """Rows that disagree with their account's first row, and meters met before; in line order.

    A row that disagrees is not a meter's first appearance: only agreeing rows are looked at for meters.
    """
    rows, first = _ROWS, _ACCOUNTS
    differences = [(name, rows.c[column].is_distinct_from(first.c[column])) for name, column in _AGREEING]
    differs = sa.or_(*[condition for _name, condition in differences])
    joined = rows.join(first, first.c.number == rows.c.number)
    conflicts = (
        sa.select(rows.c.line, sa.cast(sa.case(*[(condition, name) for name, condition in differences]), sa.Text)
                  .label("column"), first.c.line.label("first"))
        .select_from(joined).where(rows.c.line != first.c.line, differs)
    )
    meters = (
        sa.select(rows.c.line, sa.func.min(rows.c.line).over(partition_by=(rows.c.number, rows.c.kind, rows.c.serial))
                  .label("first"))
        .select_from(joined).where(rows.c.kind.is_not(None), sa.not_(differs))
    ).subquery()
    repeats = (sa.select(meters.c.line, sa.cast(sa.literal("meter_serial"), sa.Text).label("column"), meters.c.first)
               .where(meters.c.line != meters.c.first))
    query = sa.union_all(conflicts, repeats).order_by(sa.literal_column("line"))
    for line, column, first_line in session.execute(query, execution_options={"yield_per": 5_000}):
        key = "meter_repeated" if column == "meter_serial" else "conflict"
        yield RowError(line, column, _message(key, first=first_line))


def _mark_bcrypt_pins_kept(session: Session) -> None:
    """Accounts whose stored PIN hash is bcrypt (the first demo data) and whose PIN is the same: kept."""
    stored = ProviderAccount.__table__
    candidates = session.execute(
        sa.select(_ACCOUNTS.c.line, _ACCOUNTS.c.number, _ACCOUNTS.c.pin, stored.c.pin_hash)
        .join_from(_ACCOUNTS, stored, stored.c.id == _ACCOUNTS.c.account_id)
        .where(_ACCOUNTS.c.pin.is_not(None), _ACCOUNTS.c.pin_same == 0)).all()
    kept = [{"b_line": line} for line, number, pin, pin_hash in candidates
            if pin_matches(pin_hash, number=number, pin=pin)]
    if kept:
        session.execute(_ACCOUNTS.update().where(_ACCOUNTS.c.line == sa.bindparam("b_line")).values(pin_same=1), kept)


def _fill_meters(session: Session) -> None:
    """_METERS from the rows with a meter, beside the stored meter of the same account, kind and serial."""
    rows, first, stored = _ROWS, _ACCOUNTS, Meter.__table__
    same_values = sa.and_(*[rows.c[name].is_not_distinct_from(stored.c[name]) for name in _METER_COLUMNS])
    copied = ("line", "number", "kind", "serial", *_METER_COLUMNS)
    session.execute(sa.insert(_METERS).from_select(
        [*copied, "meter_id", "values_same"],
        sa.select(*[rows.c[name] for name in copied], stored.c.id, sa.case((same_values, 1), else_=0))
        .select_from(rows.join(first, first.c.number == rows.c.number).outerjoin(stored, sa.and_(
            stored.c.account_id == first.c.account_id, stored.c.kind == rows.c.kind,
            stored.c.serial == rows.c.serial)))
        .where(rows.c.kind.is_not(None))))
    _analyze(session, _METERS)


def _count(session: Session, preview: RegistryPreview) -> None:
    first, meters = _ACCOUNTS, _METERS
    total, new, unchanged = session.execute(sa.select(
        sa.func.count(), sa.func.count().filter(first.c.account_id.is_(None)),
        sa.func.count().filter(first.c.account_id.is_not(None), first.c.values_same == 1, first.c.pin_same == 1),
    )).one()
    preview.accounts_new, preview.accounts_unchanged = new, unchanged
    preview.accounts_changed = total - new - unchanged
    total, new, unchanged = session.execute(sa.select(
        sa.func.count(), sa.func.count().filter(meters.c.meter_id.is_(None)),
        sa.func.count().filter(meters.c.meter_id.is_not(None), meters.c.values_same == 1),
    )).one()
    preview.meters_new, preview.meters_unchanged = new, unchanged
    preview.meters_changed = total - new - unchanged


@contextlib.contextmanager
def _opened(source: RegistrySource) -> Iterator[BinaryIO]:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as file:
            yield file
    else:
        source.seek(0)
        yield source


@contextlib.contextmanager
def _prepared(session: Session, *, provider_id: int, source: RegistrySource, max_bytes: int | None, lock: bool,
              progress: Progress) -> Iterator[_Plan]:
    """Reads and checks the file and compares it with the database; the staging tables live while the
    body runs, so an import can write from them. Reading reports the first half of the progress."""
    limit = size_limit() if max_bytes is None else max_bytes
    with _opened(source) as file:
        size = file.seek(0, io.SEEK_END)
        file.seek(0)
        if size > limit:
            raise DomainError("registry_too_large", max_mb=limit // (1024 * 1024))
        query = select(Provider).where(Provider.id == provider_id)
        if lock:
            # Two imports for one provider at once would both insert the same new accounts: the second
            # waits here (PostgreSQL) and then compares against what the first wrote. NO KEY: rows that
            # merely reference the provider are not held up.
            query = query.with_for_update(key_share=True)
        provider = session.exec(query).first()
        if provider is None:
            raise DomainError("not_found")
        scan = _scan(file)
        estimate = max(scan.lines, 1)  # quoted line breaks make it an estimate
        accounts = ProviderAccount.__table__
        bcrypt_pins = set(session.scalars(sa.select(accounts.c.number).where(
            accounts.c.provider_id == provider_id, accounts.c.pin_hash.is_not(None),
            sa.not_(accounts.c.pin_hash.startswith("hmac$")))))
        with _staging(session):
            reading = _Reading()
            stream = io.TextIOWrapper(file, encoding=scan.encoding, newline="")
            try:
                _stage(session, _read(stream, provider, reading, bcrypt_pins=bcrypt_pins,
                                      tick=lambda rows: progress(min(rows, estimate), 2 * estimate)))
            finally:
                stream.detach()  # the file is the caller's (or _opened's) to close
            if reading.undecodable:
                raise DomainError("registry_encoding")
            _fill_accounts(session, provider_id)
            pairs = _CappedErrors()
            pairs.extend(_row_pair_errors(session))
            # Both lists are in line order, and no line is in both: a row with errors of its own is not
            # staged. The first MAX_REPORTED_ERRORS of each hold the first MAX_REPORTED_ERRORS of all.
            preview = RegistryPreview(rows=reading.rows,
                                      errors=sorted([*reading.errors, *pairs], key=lambda error: error.line)
                                      [:MAX_REPORTED_ERRORS],
                                      error_count=reading.errors.total + pairs.total)
            if not preview.error_count:
                # With errors nothing is compared: the counts would mean nothing.
                _mark_bcrypt_pins_kept(session)
                _fill_meters(session)
                _count(session, preview)
            yield _Plan(preview, provider_id, estimate, reading.last_line)


# --- public ---------------------------------------------------------------------------------------------------


def size_limit() -> int:
    """The largest file taken (REGISTRY_MAX_MB), by the admin page's upload as much as here."""
    return get_settings().registry_max_bytes


def preview_registry(session: Session, *, provider_id: int, source: RegistrySource,
                     max_bytes: int | None = None) -> RegistryPreview:
    """What importing the file would do, and its row errors (the first MAX_REPORTED_ERRORS, and
    how many in all); writes nothing. `max_bytes` defaults to REGISTRY_MAX_MB."""
    with _prepared(session, provider_id=provider_id, source=source, max_bytes=max_bytes, lock=False,
                   progress=lambda _done, _total: None) as plan:
        return plan.preview


def import_registry(session: Session, *, provider_id: int, source: RegistrySource, now: dt.datetime,
                    actor_user_id: int | None = None, progress: Progress | None = None,
                    max_bytes: int | None = None) -> RegistryPreview:
    """Applies the file in the caller's transaction — all of it, or nothing if any row is wrong.

    Raises DomainError("registry_has_errors") when the preview has row errors. `progress(done, total)`
    is called every few thousand rows: reading and checking the rows is the first half of `total`,
    writing the changes the second half; the last call reports exactly total, total.
    """
    report = progress or (lambda _done, _total: None)
    with _prepared(session, provider_id=provider_id, source=source, max_bytes=max_bytes, lock=True,
                   progress=report) as plan:
        preview, estimate = plan.preview, plan.estimate
        if preview.error_count:
            raise DomainError("registry_has_errors", count=preview.error_count)
        report(estimate, 2 * estimate)
        writes = preview.accounts_new + preview.accounts_changed + preview.meters_new + preview.meters_changed
        written = 0

        def step(count: int) -> None:
            nonlocal written
            written += count
            report(estimate + estimate * written // max(writes, 1), 2 * estimate)

        _write(session, plan, now=now, step=step)
    record_event(session=session, action="registry_imported", now=now, actor_user_id=actor_user_id,
                 target_type="provider", target_id=provider_id, details=preview.counts())
    session.flush()
    report(2 * estimate, 2 * estimate)
    return preview


def _write(session: Session, plan: _Plan, *, now: dt.datetime, step: Callable[[int], None]) -> None:
    """New and changed accounts, then new and changed meters, each in statements over WRITE_LINES lines.

    Unchanged ones are not touched, so their updated_at stays.
    """
    accounts, meters, first, staged = ProviderAccount.__table__, Meter.__table__, _ACCOUNTS, _METERS
    preview = plan.preview
    stamp = sa.literal(now, accounts.c.updated_at.type)

    def chunk(table: sa.Table) -> sa.ColumnElement[bool]:
        return sa.and_(table.c.line >= sa.bindparam("low"), table.c.line < sa.bindparam("high"))

    statements = [
        (preview.accounts_new, sa.insert(accounts).from_select(
            ["provider_id", "number", *_ACCOUNT_COLUMNS, "pin_hash", "created_at", "updated_at"],
            sa.select(sa.literal(plan.provider_id), first.c.number, *[first.c[name] for name in _ACCOUNT_COLUMNS],
                      first.c.pin_hash, stamp, stamp)
            .where(first.c.account_id.is_(None), chunk(first)).order_by(first.c.line))),
        (preview.accounts_changed, accounts.update()
            .where(accounts.c.id == first.c.account_id, sa.or_(first.c.values_same == 0, first.c.pin_same == 0),
                   chunk(first))
            # An unchanged PIN keeps its stored hash, a bcrypt one included.
            .values(**{name: first.c[name] for name in _ACCOUNT_COLUMNS}, updated_at=now,
                    pin_hash=sa.case((first.c.pin_same == 1, accounts.c.pin_hash), else_=first.c.pin_hash))),
        (preview.meters_new, sa.insert(meters).from_select(
            ["account_id", "kind", "serial", *_METER_COLUMNS],
            sa.select(accounts.c.id, staged.c.kind, staged.c.serial, *[staged.c[name] for name in _METER_COLUMNS])
            .join_from(staged, accounts, sa.and_(accounts.c.provider_id == plan.provider_id,
                                                 accounts.c.number == staged.c.number))
            .where(staged.c.meter_id.is_(None), chunk(staged)).order_by(staged.c.line))),
        (preview.meters_changed, meters.update()
            .where(meters.c.id == staged.c.meter_id, staged.c.values_same == 0, chunk(staged))
            .values(**{name: staged.c[name] for name in _METER_COLUMNS})),
    ]
    for count, statement in statements:
        if not count:
            continue
        for low in range(0, plan.last_line + 1, WRITE_LINES):
            # preserve_rowcount: SQLAlchemy keeps the count of an INSERT … SELECT only when asked to.
            written = session.execute(statement, {"low": low, "high": low + WRITE_LINES},
                                      execution_options={"preserve_rowcount": True}).rowcount
            if written:
                step(written)
