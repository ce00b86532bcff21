"""A staged registry compared with the database: rows that disagree, and what is new, changed or unchanged."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
from collections.abc import Iterator
from typing import BinaryIO

import sqlalchemy as sa
from sqlmodel import Session, select

from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import Meter, Provider, ProviderAccount
from cabinet.services.pins import pin_matches
from cabinet.services.registry.columns import ACCOUNT_COLUMNS, AGREEING, METER_COLUMNS
from cabinet.services.registry.results import (
    CappedErrors,
    Progress,
    RegistryPreview,
    RegistrySource,
    RowError,
    first_errors,
    message,
)
from cabinet.services.registry.rows import FileReading, read, scan
from cabinet.services.registry.staging import ACCOUNTS, METERS, ROWS, analyze, stage, staging_tables


@dataclasses.dataclass
class Plan:
    preview: RegistryPreview
    provider_id: int
    estimate: int  # the file's line count: the unit of the progress bar
    last_line: int


def _fill_accounts(session: Session, provider_id: int) -> None:
    """ACCOUNTS from each account's first row, beside the stored account of that number."""
    stored = ProviderAccount.__table__
    numbered = sa.select(
        ROWS, sa.func.row_number().over(partition_by=ROWS.c.number, order_by=ROWS.c.line).label("nth")
    ).subquery()
    same_values = sa.and_(*[numbered.c[name].is_not_distinct_from(stored.c[name]) for name in ACCOUNT_COLUMNS])
    # A bcrypt hash never equals the keyed one: _mark_bcrypt_pins_kept looks at those.
    same_pin = sa.or_(
        sa.and_(numbered.c.pin_hash.is_(None), stored.c.pin_hash.is_(None)), numbered.c.pin_hash == stored.c.pin_hash
    )
    copied = ("line", "number", *ACCOUNT_COLUMNS, "pin_hash", "pin")
    session.execute(
        sa.insert(ACCOUNTS).from_select(
            [*copied, "account_id", "values_same", "pin_same"],
            sa.select(
                *[numbered.c[name] for name in copied],
                stored.c.id,
                sa.case((same_values, 1), else_=0),
                sa.case((same_pin, 1), else_=0),
            )
            .select_from(
                numbered.outerjoin(
                    stored, sa.and_(stored.c.provider_id == provider_id, stored.c.number == numbered.c.number)
                )
            )
            .where(numbered.c.nth == 1),
        )
    )
    analyze(session, ACCOUNTS)


def _row_pair_errors(session: Session) -> Iterator[RowError]:
    """Rows that disagree with their account's first row, and meters met before; in line order.

    A row that disagrees is not a meter's first appearance: only agreeing rows are looked at for meters.
    """
    rows, first = ROWS, ACCOUNTS
    differences = [(name, rows.c[column].is_distinct_from(first.c[column])) for name, column in AGREEING]
    differs = sa.or_(*[condition for _name, condition in differences])
    joined = rows.join(first, first.c.number == rows.c.number)
    conflicts = (
        sa.select(
            rows.c.line,
            sa.cast(sa.case(*[(condition, name) for name, condition in differences]), sa.Text).label("column"),
            first.c.line.label("first"),
        )
        .select_from(joined)
        .where(rows.c.line != first.c.line, differs)
    )
    meters = (
        sa.select(
            rows.c.line,
            sa.func.min(rows.c.line).over(partition_by=(rows.c.number, rows.c.kind, rows.c.serial)).label("first"),
        )
        .select_from(joined)
        .where(rows.c.kind.is_not(None), sa.not_(differs))
    ).subquery()
    repeats = sa.select(
        meters.c.line, sa.cast(sa.literal("meter_serial"), sa.Text).label("column"), meters.c.first
    ).where(meters.c.line != meters.c.first)
    query = sa.union_all(conflicts, repeats).order_by(sa.literal_column("line"))
    for line, column, first_line in session.execute(query, execution_options={"yield_per": 5_000}):
        key = "meter_repeated" if column == "meter_serial" else "conflict"
        yield RowError(line, column, message(key, first=first_line))


def _mark_bcrypt_pins_kept(session: Session) -> None:
    """Accounts whose stored PIN hash is bcrypt (the first demo data) and whose PIN is the same: kept."""
    stored = ProviderAccount.__table__
    candidates = session.execute(
        sa.select(ACCOUNTS.c.line, ACCOUNTS.c.number, ACCOUNTS.c.pin, stored.c.pin_hash)
        .join_from(ACCOUNTS, stored, stored.c.id == ACCOUNTS.c.account_id)
        .where(ACCOUNTS.c.pin.is_not(None), ACCOUNTS.c.pin_same == 0)
    ).all()
    kept = [
        {"b_line": line} for line, number, pin, pin_hash in candidates if pin_matches(pin_hash, number=number, pin=pin)
    ]
    if kept:
        session.execute(ACCOUNTS.update().where(ACCOUNTS.c.line == sa.bindparam("b_line")).values(pin_same=1), kept)


def _fill_meters(session: Session) -> None:
    """METERS from the rows with a meter, beside the stored meter of the same account, kind and serial."""
    rows, first, stored = ROWS, ACCOUNTS, Meter.__table__
    same_values = sa.and_(*[rows.c[name].is_not_distinct_from(stored.c[name]) for name in METER_COLUMNS])
    copied = ("line", "number", "kind", "serial", *METER_COLUMNS)
    session.execute(
        sa.insert(METERS).from_select(
            [*copied, "meter_id", "values_same"],
            sa.select(*[rows.c[name] for name in copied], stored.c.id, sa.case((same_values, 1), else_=0))
            .select_from(
                rows.join(first, first.c.number == rows.c.number).outerjoin(
                    stored,
                    sa.and_(
                        stored.c.account_id == first.c.account_id,
                        stored.c.kind == rows.c.kind,
                        stored.c.serial == rows.c.serial,
                    ),
                )
            )
            .where(rows.c.kind.is_not(None)),
        )
    )
    analyze(session, METERS)


def _count(session: Session, preview: RegistryPreview) -> None:
    first, meters = ACCOUNTS, METERS
    total, new, unchanged = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(first.c.account_id.is_(None)),
            sa.func.count().filter(first.c.account_id.is_not(None), first.c.values_same == 1, first.c.pin_same == 1),
        )
    ).one()
    preview.accounts_new, preview.accounts_unchanged = new, unchanged
    preview.accounts_changed = total - new - unchanged
    total, new, unchanged = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(meters.c.meter_id.is_(None)),
            sa.func.count().filter(meters.c.meter_id.is_not(None), meters.c.values_same == 1),
        )
    ).one()
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


def _provider(session: Session, provider_id: int, *, lock: bool) -> Provider:
    query = select(Provider).where(Provider.id == provider_id)
    if lock:
        # Two imports for one provider at once would both insert the same new accounts: the second
        # waits here (PostgreSQL) and then compares against what the first wrote. NO KEY: rows that
        # merely reference the provider are not held up.
        query = query.with_for_update(key_share=True)
    provider = session.exec(query).first()
    if provider is None:
        raise DomainError("not_found")
    return provider


@contextlib.contextmanager
def prepared(
    session: Session, *, provider_id: int, source: RegistrySource, max_bytes: int | None, lock: bool, progress: Progress
) -> Iterator[Plan]:
    """Reads and checks the file and compares it with the database; the staging tables live while the
    body runs, so an import can write from them. Reading reports the first half of the progress."""
    limit = size_limit() if max_bytes is None else max_bytes
    with _opened(source) as file:
        size = file.seek(0, io.SEEK_END)
        file.seek(0)
        if size > limit:
            raise DomainError("registry_too_large", max_mb=limit // (1024 * 1024))
        provider = _provider(session, provider_id, lock=lock)
        scanned = scan(file)
        estimate = max(scanned.lines, 1)  # quoted line breaks make it an estimate
        accounts = ProviderAccount.__table__
        bcrypt_pins = set(
            session.scalars(
                sa.select(accounts.c.number).where(
                    accounts.c.provider_id == provider_id,
                    accounts.c.pin_hash.is_not(None),
                    sa.not_(accounts.c.pin_hash.startswith("hmac$")),
                )
            )
        )
        with staging_tables(session):
            reading = FileReading()
            stream = io.TextIOWrapper(file, encoding=scanned.encoding, newline="")
            try:
                stage(
                    session,
                    read(
                        stream,
                        provider,
                        reading,
                        bcrypt_pins=bcrypt_pins,
                        tick=lambda rows: progress(min(rows, estimate), 2 * estimate),
                    ),
                )
            finally:
                stream.detach()  # the file is the caller's (or _opened's) to close
            if reading.undecodable:
                raise DomainError("registry_encoding")
            _fill_accounts(session, provider_id)
            pairs = CappedErrors()
            pairs.extend(_row_pair_errors(session))
            # Both lists are in line order, and no line is in both: a row with errors of its own is not staged.
            preview = RegistryPreview(
                rows=reading.rows,
                errors=first_errors(reading.errors, pairs),
                error_count=reading.errors.total + pairs.total,
            )
            if not preview.error_count:
                # With errors nothing is compared: the counts would mean nothing.
                _mark_bcrypt_pins_kept(session)
                _fill_meters(session)
                _count(session, preview)
            yield Plan(preview, provider_id, estimate, reading.last_line)


def size_limit() -> int:
    """The largest file taken (REGISTRY_MAX_MB), by the admin page's upload as much as here."""
    return get_settings().registry_max_bytes


def preview_registry(
    session: Session, *, provider_id: int, source: RegistrySource, max_bytes: int | None = None
) -> RegistryPreview:
    """What importing the file would do, and its row errors (the first MAX_REPORTED_ERRORS, and
    how many in all); writes nothing. `max_bytes` defaults to REGISTRY_MAX_MB."""
    with prepared(
        session,
        provider_id=provider_id,
        source=source,
        max_bytes=max_bytes,
        lock=False,
        progress=lambda _done, _total: None,
    ) as plan:
        return plan.preview
