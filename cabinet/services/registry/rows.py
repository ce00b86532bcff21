"""A registry file read as a stream: its encoding and length in one pass, then each row checked as it is read."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
from collections.abc import Callable, Iterator
from typing import BinaryIO

from cabinet.errors import DomainError
from cabinet.models import Provider
from cabinet.services.pins import pin_digest
from cabinet.services.registry.cells import parse_account, parse_meter
from cabinet.services.registry.columns import COLUMNS, ENCODINGS, REQUIRED, SEPARATOR
from cabinet.services.registry.results import CappedErrors, RowError, message
from cabinet.services.registry.staging import NO_METER

PROGRESS_EVERY = 5_000
SCAN_SLICE = 1 << 20


@dataclasses.dataclass(frozen=True)
class Scan:
    encoding: str
    lines: int


def scan(file: BinaryIO) -> Scan:
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
    utf8_codec, fallback_codec = ENCODINGS
    return Scan(utf8_codec if utf8 else fallback_codec, lines)


@dataclasses.dataclass
class FileReading:
    """What reading the file found besides the rows it staged."""

    errors: CappedErrors = dataclasses.field(default_factory=CappedErrors)
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
            errors.append(RowError(1, name, message("unknown_column")))
        elif name in positions:
            errors.append(RowError(1, name, message("duplicate_column")))
        else:
            positions[name] = position
    errors += [RowError(1, name, message("missing_column")) for name in REQUIRED if name not in positions]
    return [positions.get(name) for name in COLUMNS], errors


def read(
    stream: io.TextIOBase,
    provider: Provider,
    reading: FileReading,
    *,
    bcrypt_pins: set[str],
    tick: Callable[[int], None],
) -> Iterator[tuple]:
    """Each valid row as a tuple of staging.ROWS's columns; the rows' own errors go to `reading.errors`.

    What needs two rows (conflicting repeats of an account, a meter twice) is left to planning.row_pair_errors.
    """
    try:
        yield from _read_rows(stream, provider, reading, bcrypt_pins=bcrypt_pins, tick=tick)
    except UnicodeDecodeError:
        # scan rules this out for nearly every file. Stopping cleanly, rather than raising from
        # inside a COPY, leaves the caller's transaction usable.
        reading.undecodable = True


def _read_header(reader, reading: FileReading) -> tuple[list[int | None], int] | None:
    """The positions of COLUMNS and how many cells a row may fill; None, with its errors noted, for a bad header."""
    try:
        header = next(reader, None)
    except csv.Error:
        header = [""]
    if header is None:
        reading.errors.append(RowError(1, "", message("empty")))
        return None
    positions, errors = _header([name.strip().lower() for name in header])
    if errors:
        reading.errors.extend(errors)
        return None
    return positions, max(position for position in positions if position is not None) + 1


def _read_rows(
    stream: io.TextIOBase,
    provider: Provider,
    reading: FileReading,
    *,
    bcrypt_pins: set[str],
    tick: Callable[[int], None],
) -> Iterator[tuple]:
    reader = csv.reader(stream, delimiter=SEPARATOR)
    header = _read_header(reader, reading)
    if header is None:
        return
    positions, width = header
    previous_end = reader.line_num

    while True:
        try:
            row = next(reader, None)
        except csv.Error:
            # A stray quote swallows the rest of the file into one field; nothing after it can be trusted.
            reading.errors.append(RowError(previous_end + 1, "", message("unreadable")))
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
            reading.errors.append(_line_break(line, row, positions))
            continue
        cells = [
            row[position].strip() if position is not None and position < len(row) else "" for position in positions
        ]
        errors = []

        # Called only within this row's iteration, so the loop's current `errors` and `line` are the right ones.
        def fail(column: str, key: str, **params: object) -> None:
            errors.append(RowError(line, column, message(key, **params)))  # noqa: B023

        if any(cell.strip() for cell in row[width:]):
            fail("", "extra_cells")
        cell = dict(zip(COLUMNS, cells, strict=True))
        number, account = parse_account(cell, provider, fail)
        meter = parse_meter(cell, fail)
        if errors:
            reading.errors.extend(errors)
            continue
        pin = account[-1]
        # Staged as its keyed hash: rows of one account agree on the PIN exactly when they agree on
        # the hash, and the PIN itself is kept only where a bcrypt hash needs it.
        pin_hash = pin_digest(number=number, pin=pin) if pin else None
        plain = pin if pin and number in bcrypt_pins else None
        reading.last_line = line
        yield (line, number, *account[:-1], pin_hash, plain, *(meter or NO_METER))


def _line_break(line: int, row: list[str], positions: list[int | None]) -> RowError:
    """The error for a row with a line break inside a value, under the column that holds the break."""
    broken = next((position for position, cell in enumerate(row) if "\n" in cell or "\r" in cell), None)
    names = [name for name, position in zip(COLUMNS, positions, strict=True) if position == broken]
    return RowError(line, names[0] if names else "", message("line_break"))
