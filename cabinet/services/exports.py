"""CSV files for providers' billing and for accountants: `;`, UTF-8 with BOM, safe to open in Excel."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from cabinet.models import (
    Meter,
    MeterReading,
    ProviderAccount,
    ReadingStatus,
)
from cabinet.services.audit import record_event
from cabinet.services.calendar import RESIDENT_ZONE

# A cell starting with one of these is a formula to Excel: «=HYPERLINK(...)» from a resident's
# name would run on the operator's computer.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# SQLite refuses statements with more than 32 766 parameters (999 before 3.32).
_IDS_PER_STATEMENT = 900


@dataclass(frozen=True)
class Number:
    """A figure we formatted ourselves: written as is, never escaped, so Excel reads it as a number."""

    text: str


def safe_cell(value: object) -> str:
    """Our figures as they are; anything else is text, defused if Excel would take it for a formula."""
    if isinstance(value, Number):
        return value.text
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_bytes(header: list[str], rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def rubles(kopecks: int) -> Number:
    sign = "-" if kopecks < 0 else ""
    whole, rest = divmod(abs(kopecks), 100)
    return Number(f"{sign}{whole},{rest:02d}")


def reading_value(thousandths: int, fraction_digits: int) -> Number:
    whole, rest = divmod(thousandths, 1000)
    return Number(str(whole) if fraction_digits == 0 else f"{whole},{str(rest).zfill(3)[:fraction_digits]}")


def local_time(moment: dt.datetime | None) -> Number:
    return Number(moment.astimezone(RESIDENT_ZONE).strftime("%d.%m.%Y %H:%M") if moment else "")


def export_readings(
    session: Session,
    *,
    provider_id: int,
    period: dt.date,
    mark_sent: bool = True,
    now: dt.datetime,
    actor_user_id: int | None = None,
) -> bytes:
    """All readings of a billing month for the provider's billing system; with `mark_sent` they
    become «передано поставщику» and residents can no longer change them."""
    query = _readings_query(provider_id=provider_id, period=period)
    if mark_sent and session.get_bind().dialect.name == "postgresql":
        # A resident editing a reading while it is exported waits, then finds it taken: otherwise the
        # provider would get the old value while the cabinet shows the new one as sent.
        query = query.with_for_update(of=MeterReading)
    rows = session.exec(query).all()
    data = csv_bytes(
        ["account", "address", "meter_serial", "meter_kind", "value", "submitted_at", "source"],
        (
            [
                number,
                address,
                serial,
                kind.value,
                reading_value(value, fraction),
                local_time(submitted_at),
                source.value,
            ]
            for _id, number, address, serial, kind, value, fraction, submitted_at, source in rows
        ),
    )
    if mark_sent:
        # By id, not by period: a reading sent after the SELECT is not in this file and must stay editable.
        _mark_sent(session, ids=[row[0] for row in rows], now=now)
    record_event(
        session=session,
        action="readings_exported",
        now=now,
        actor_user_id=actor_user_id,
        target_type="provider",
        target_id=provider_id,
        details={"period": period.isoformat(), "readings": len(rows), "marked_sent": mark_sent},
        provider_id=provider_id,
    )
    return data


def _readings_query(*, provider_id: int, period: dt.date):
    """The provider's readings of one billing month with their account and meter, in the file's order."""
    return (
        select(
            MeterReading.id,
            ProviderAccount.number,
            ProviderAccount.address,
            Meter.serial,
            Meter.kind,
            MeterReading.value_thousandths,
            Meter.digits_fraction,
            MeterReading.submitted_at,
            MeterReading.source,
        )
        .join(Meter, col(Meter.id) == MeterReading.meter_id)
        .join(ProviderAccount, col(ProviderAccount.id) == Meter.account_id)
        .where(ProviderAccount.provider_id == provider_id, MeterReading.period == period)
        .order_by(col(ProviderAccount.number), col(Meter.kind), col(Meter.serial))
    )


def _mark_sent(session: Session, *, ids: list[int], now: dt.datetime) -> None:
    """The accepted ones among these readings become «передано поставщику»."""
    for start in range(0, len(ids), _IDS_PER_STATEMENT):
        session.execute(
            sa.update(MeterReading)
            .where(
                col(MeterReading.id).in_(ids[start : start + _IDS_PER_STATEMENT]),
                MeterReading.status == ReadingStatus.accepted,
            )
            .values(status=ReadingStatus.sent_to_provider, updated_at=now)
        )
