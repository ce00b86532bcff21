"""A provider's registry (accounts, debts, meters) from a semicolon-separated CSV: preview, then upsert.

The format is specified in docs/registry-format.md. A preview writes nothing and lists every row
error with its line and column; an import applies the whole file in one transaction, or nothing.
Accounts and meters missing from the file stay as they are; importing a file twice changes nothing.

Registries run to 100 000 rows and more, so the file is read as a stream, parsed rows are kept as
small tuples (no ORM objects), the database is read with one query for accounts and one for
meters, and writes are batched executemany statements.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from sqlmodel import Session, select

from cabinet import texts
from cabinet.models import Meter, MeterKind, Provider, ProviderAccount
from cabinet.services.accounts import check_account_format, normalize_account_number
from cabinet.services.audit import record_event
from cabinet.services.errors import DomainError
from cabinet.services.money import parse_rubles
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
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_DIGITS = "5.3"
BATCH = 2_000
PROGRESS_EVERY = 5_000
_LIMITS = {"account": 40, "address": 300, "owner": 200, "meter_serial": 40}
_DIGITS = re.compile(r"(?P<whole>[1-9])(?:[.,](?P<fraction>[0-3]))?")
_VALUE = re.compile(r"\d{1,9}(?:[.,]\d{1,3})?")
_PLAIN_MONEY = re.compile(r"(?P<sign>-?)(?P<rubles>\d{1,9})(?:[.,](?P<kopecks>\d{1,2}))?")

# Database columns in the order of the parsed tuples (the account tuple has the PIN after them).
_ACCOUNT_COLUMNS = ("address", "owner_name", "debt_kopecks", "penalty_kopecks", "balance_as_of", "last_bill_kopecks")
_METER_COLUMNS = ("digits_whole", "digits_fraction", "last_value_thousandths", "last_value_date", "verified_until",
                  "tariff_kopecks")
_PIN = 1 + len(_ACCOUNT_COLUMNS)  # the PIN's place in a parsed account tuple, after the line and the columns

Progress = Callable[[int, int], None]


# --- results ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RowError:
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
    errors: list[RowError] = dataclasses.field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self) if field.name != "errors"}


# --- reading the file ---------------------------------------------------------------------------------------


def detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) if the bytes are valid UTF-8, else Windows-1251 — what Excel saves in Russia.

    Checked in slices so a 50 MB file is never held twice as text.
    """
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    view = memoryview(data)
    try:
        for start in range(0, len(view), 1 << 20):
            decoder.decode(view[start:start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8-sig"


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
def _date(text: str) -> dt.date:
    """ДД.ММ.ГГГГ or ГГГГ-ММ-ДД; registries repeat a few dates, so each is parsed once (and shared)."""
    parts = text.split(".")
    if len(parts) == 3:
        day, month, year = parts
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            raise ValueError(text)
        return dt.date(int(year), int(month), int(day))
    if len(text) != 10 or text[4] != "-":
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def _thousandths(text: str) -> int:
    if not _VALUE.fullmatch(text):
        raise ValueError(text)
    whole, _, fraction = text.replace(",", ".").partition(".")
    return int(whole) * 1000 + int(fraction.ljust(3, "0") or "0")


def _message(key: str, **params: object) -> str:
    return texts.REGISTRY[key].format(**params)


@dataclasses.dataclass
class _Parsed:
    # One flat tuple per account and per meter: the smallest Python can hold 100 000 rows in.
    # number -> (line it first appeared on, address, owner, debt, penalty, as_of, last_bill, pin)
    accounts: dict[str, tuple] = dataclasses.field(default_factory=dict)
    # (number, kind, serial) -> (line, *values in _METER_COLUMNS order)
    meters: dict[tuple[str, MeterKind, str], tuple] = dataclasses.field(default_factory=dict)
    errors: list[RowError] = dataclasses.field(default_factory=list)
    rows: int = 0


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


def _parse(stream: io.TextIOBase, provider: Provider, *, tick: Callable[[int], None]) -> _Parsed:
    parsed = _Parsed()
    reader = csv.reader(stream, delimiter=";")
    try:
        header = next(reader, None)
    except csv.Error:
        header = [""]
    if header is None:
        parsed.errors.append(RowError(1, "", _message("empty")))
        return parsed
    positions, parsed.errors = _header([name.strip().lower() for name in header])
    if parsed.errors:
        return parsed
    width = max(position for position in positions if position is not None) + 1
    previous_end = reader.line_num

    while True:
        try:
            row = next(reader, None)
        except csv.Error:
            # A stray quote swallows the rest of the file into one field; nothing after it can be trusted.
            parsed.errors.append(RowError(previous_end + 1, "", _message("unreadable")))
            return parsed
        if row is None:
            return parsed
        # A quoted field may span lines; the row is reported at the line it starts on.
        line, previous_end = previous_end + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        parsed.rows += 1
        if parsed.rows % PROGRESS_EVERY == 0:
            tick(parsed.rows)
        if reader.line_num != line:
            # A line break inside a value is nearly always an unpaired quote that swallowed the
            # following rows; saying so beats a list of confusing errors about the rows it ate.
            broken = next((position for position, cell in enumerate(row) if "\n" in cell or "\r" in cell), None)
            names = [name for name, position in zip(COLUMNS, positions) if position == broken]
            parsed.errors.append(RowError(line, names[0] if names else "", _message("line_break")))
            continue
        cells = [row[position].strip() if position is not None and position < len(row) else ""
                 for position in positions]
        errors: list[RowError] = []

        def fail(column: str, key: str, **params: object) -> None:
            errors.append(RowError(line, column, _message(key, **params)))

        if any(cell.strip() for cell in row[width:]):
            fail("", "extra_cells")
        cell = dict(zip(COLUMNS, cells))
        number, account = _parse_account(cell, provider, fail)
        meter = _parse_meter(cell, fail)
        if errors:
            parsed.errors.extend(errors)
            continue
        first = parsed.accounts.get(number)
        if first is None:
            parsed.accounts[number] = (line, *account)
        elif first[1:] != account:
            # Compared as read, so «1234,5» and «1234.50» in two rows of one account agree.
            column = next(name for name, mine, theirs in zip(ACCOUNT_FIELDS, account, first[1:]) if mine != theirs)
            parsed.errors.append(RowError(line, column, _message("conflict", first=first[0])))
            continue
        if meter is not None:
            kind, serial, values = meter
            key = (number, kind, serial)
            if key in parsed.meters:
                parsed.errors.append(RowError(line, "meter_serial",
                                              _message("meter_repeated", first=parsed.meters[key][0])))
            else:
                parsed.meters[key] = (line, *values)


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


def _parse_meter(cell: dict[str, str], fail) -> tuple[MeterKind, str, tuple] | None:
    if not any(cell[name] for name in METER_FIELDS):
        return None
    kind = None
    kind_text = " ".join(cell["meter_kind"].lower().split())
    if not kind_text:
        fail("meter_kind", "required")
    elif kind_text not in KIND_NAMES:
        fail("meter_kind", "meter_kind")
    else:
        kind = KIND_NAMES[kind_text]
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
    return kind, cell["meter_serial"], (whole, fraction, last, dates[0], dates[1], tariff)


# --- comparing with the database ----------------------------------------------------------------------------


@dataclasses.dataclass
class _Plan:
    preview: RegistryPreview
    parsed: _Parsed
    new_accounts: list[str] = dataclasses.field(default_factory=list)
    # (account id, number, stored PIN hash when the file's PIN is the same one, else None)
    changed_accounts: list[tuple[int, str, str | None]] = dataclasses.field(default_factory=list)
    new_meters: list[tuple[str, MeterKind, str]] = dataclasses.field(default_factory=list)
    changed_meters: list[tuple[int, tuple[str, MeterKind, str]]] = dataclasses.field(default_factory=list)

    @property
    def writes(self) -> int:
        return len(self.new_accounts) + len(self.changed_accounts) + len(self.new_meters) + len(self.changed_meters)


def _plan(session: Session, provider_id: int, parsed: _Parsed) -> _Plan:
    """Sorts the file's accounts and meters into new, changed and unchanged.

    The provider's rows are streamed past the parsed file rather than loaded into a second map:
    at 100 000 accounts that map would be the biggest thing in memory.
    """
    plan = _Plan(RegistryPreview(rows=parsed.rows, errors=parsed.errors), parsed)
    if parsed.errors:
        return plan
    preview, accounts, meters = plan.preview, ProviderAccount.__table__, Meter.__table__
    stream = {"yield_per": 5_000}

    known: set[str] = set()
    for account_id, number, *current, stored_pin in session.execute(
        sa.select(accounts.c.id, accounts.c.number, *[accounts.c[name] for name in _ACCOUNT_COLUMNS],
                  accounts.c.pin_hash)
        .where(accounts.c.provider_id == provider_id).execution_options(**stream)
    ):
        record = parsed.accounts.get(number)
        if record is None:
            continue
        known.add(number)
        pin = record[_PIN]
        # A keyed hash is cheap to recompute; an unchanged PIN keeps its stored hash.
        pin_same = pin_matches(stored_pin, number=number, pin=pin) if pin else stored_pin is None
        if pin_same and tuple(current) == record[1:_PIN]:
            preview.accounts_unchanged += 1
        else:
            plan.changed_accounts.append((account_id, number, stored_pin if pin_same else None))
    plan.new_accounts = [number for number in parsed.accounts if number not in known]
    del known

    known_meters: set[tuple[str, MeterKind, str]] = set()
    for meter_id, number, kind, serial, *current in session.execute(
        sa.select(meters.c.id, accounts.c.number, meters.c.kind, meters.c.serial,
                  *[meters.c[name] for name in _METER_COLUMNS])
        .join(accounts, meters.c.account_id == accounts.c.id)
        .where(accounts.c.provider_id == provider_id).execution_options(**stream)
    ):
        key = (number, kind, serial)
        record = parsed.meters.get(key)
        if record is None:
            continue
        known_meters.add(key)
        if tuple(current) == record[1:]:
            preview.meters_unchanged += 1
        else:
            plan.changed_meters.append((meter_id, key))
    plan.new_meters = [key for key in parsed.meters if key not in known_meters]

    preview.accounts_new, preview.accounts_changed = len(plan.new_accounts), len(plan.changed_accounts)
    preview.meters_new, preview.meters_changed = len(plan.new_meters), len(plan.changed_meters)
    return plan


def _load(session: Session, *, provider_id: int, data: bytes, max_bytes: int, lock: bool,
          tick: Callable[[int], None]) -> _Plan:
    if len(data) > max_bytes:
        raise DomainError("registry_too_large", max_mb=max_bytes // (1024 * 1024))
    query = select(Provider).where(Provider.id == provider_id)
    if lock:
        # Two imports for one provider at once would both insert the same new accounts: the second
        # waits here (PostgreSQL) and then compares against what the first wrote. NO KEY: rows that
        # merely reference the provider are not held up.
        query = query.with_for_update(key_share=True)
    provider = session.exec(query).first()
    if provider is None:
        raise DomainError("not_found")
    if b"\x00" in data:
        # No CSV text holds a zero byte: this is UTF-16 («Юникод» in Excel), a spreadsheet or an image.
        raise DomainError("registry_encoding")
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=detect_encoding(data), newline="")
    try:
        parsed = _parse(stream, provider, tick=tick)
    except UnicodeDecodeError:
        # Neither UTF-8 nor Windows-1251 (cp1251 leaves one byte, 0x98, undefined): not a text file.
        raise DomainError("registry_encoding") from None
    return _plan(session, provider_id, parsed)


# --- public ---------------------------------------------------------------------------------------------------


def preview_registry(session: Session, *, provider_id: int, data: bytes,
                     max_bytes: int = DEFAULT_MAX_BYTES) -> RegistryPreview:
    """What importing `data` would do, and every row error; writes nothing."""
    return _load(session, provider_id=provider_id, data=data, max_bytes=max_bytes, lock=False,
                 tick=lambda _rows: None).preview


def import_registry(session: Session, *, provider_id: int, data: bytes, now: dt.datetime,
                    actor_user_id: int | None = None, progress: Progress | None = None,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> RegistryPreview:
    """Applies the file in the caller's transaction — all of it, or nothing if any row is wrong.

    Raises DomainError("registry_has_errors") when the preview has row errors. `progress(done, total)`
    is called every few thousand rows: reading and checking the rows is the first half of `total`,
    writing the changes the second half.
    """
    report = progress or (lambda _done, _total: None)
    # Quoted line breaks make this an estimate; the last call reports exactly total, total.
    estimate = max(data.count(b"\n"), 1)
    plan = _load(session, provider_id=provider_id, data=data, max_bytes=max_bytes, lock=True,
                 tick=lambda rows: report(min(rows, estimate), 2 * estimate))
    preview = plan.preview
    if preview.errors:
        raise DomainError("registry_has_errors", count=len(preview.errors))
    report(estimate, 2 * estimate)
    written = 0

    def step(count: int) -> None:
        nonlocal written
        written += count
        report(estimate + estimate * written // max(plan.writes, 1), 2 * estimate)

    _write(session, plan, provider_id=provider_id, now=now, step=step)
    record_event(session=session, action="registry_imported", now=now, actor_user_id=actor_user_id,
                 target_type="provider", target_id=provider_id, details=preview.counts())
    session.flush()
    report(2 * estimate, 2 * estimate)
    return preview


def _write(session: Session, plan: _Plan, *, provider_id: int, now: dt.datetime,
           step: Callable[[int], None]) -> None:
    accounts, meters, parsed = ProviderAccount.__table__, Meter.__table__, plan.parsed

    def account_row(number: str) -> dict:
        return dict(zip(_ACCOUNT_COLUMNS, parsed.accounts[number][1:_PIN]))

    def new_pin(number: str) -> str | None:
        pin = parsed.accounts[number][_PIN]
        return pin_digest(number=number, pin=pin) if pin else None

    for batch in _batches(plan.new_accounts):
        session.execute(accounts.insert(), [
            {**account_row(number), "provider_id": provider_id, "number": number, "pin_hash": new_pin(number),
             "created_at": now, "updated_at": now} for number in batch])
        step(len(batch))
    # Bind names differ from column names: SQLAlchemy reserves those for the SET clause.
    update_account = (
        accounts.update().where(accounts.c.id == sa.bindparam("b_id"))
        .values(**{name: sa.bindparam(f"b_{name}") for name in (*_ACCOUNT_COLUMNS, "pin_hash")}, updated_at=now)
    )
    for batch in _batches(plan.changed_accounts):
        session.execute(update_account, [
            {"b_id": account_id, "b_pin_hash": same_pin_hash or new_pin(number),
             **{f"b_{name}": value for name, value in account_row(number).items()}}
            for account_id, number, same_pin_hash in batch])
        step(len(batch))

    if plan.new_meters:
        ids = {number: account_id for number, account_id in session.execute(
            sa.select(accounts.c.number, accounts.c.id).where(accounts.c.provider_id == provider_id))}
        for batch in _batches(plan.new_meters):
            session.execute(meters.insert(), [
                {"account_id": ids[number], "kind": kind, "serial": serial,
                 **dict(zip(_METER_COLUMNS, parsed.meters[(number, kind, serial)][1:]))}
                for number, kind, serial in batch])
            step(len(batch))
    update_meter = (
        meters.update().where(meters.c.id == sa.bindparam("b_id"))
        .values(**{name: sa.bindparam(f"b_{name}") for name in _METER_COLUMNS})
    )
    for batch in _batches(plan.changed_meters):
        session.execute(update_meter, [
            {"b_id": meter_id, **{f"b_{name}": value for name, value in zip(_METER_COLUMNS, parsed.meters[key][1:])}}
            for meter_id, key in batch])
        step(len(batch))


def _batches(rows: list) -> Iterator[list]:
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]
