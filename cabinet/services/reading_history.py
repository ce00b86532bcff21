"""What a meter showed before: the value a new reading is compared with, the year's average, the meter's summary."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, col, select

from cabinet.models import Meter, MeterReading, ProviderAccount, ReadingSource, ReadingStatus
from cabinet.services.calendar import local_date, month_start, months_between
from cabinet.services.reading_rules import Window

HISTORY_MONTHS = 12


@dataclass(frozen=True)
class PastValue:
    value: int
    day: dt.date
    period: dt.date
    source: str


# Built once (see _METERS_OF_ACCOUNT): every reading sent runs it.
_READINGS_BEFORE = (
    select(MeterReading)
    .where(MeterReading.meter_id == sa.bindparam("meter_id"), MeterReading.period < sa.bindparam("period"))
    .order_by(col(MeterReading.period).desc(), col(MeterReading.submitted_at).desc())
    .limit(HISTORY_MONTHS + 1)
)


def readings_before(session: Session, meter_id: int, period: dt.date) -> list[MeterReading]:
    """The readings of months before `period`, newest first: enough for previous_of and average_use."""
    return list(session.exec(_READINGS_BEFORE, params={"meter_id": meter_id, "period": period}))


def previous_value(session: Session, meter: Meter, period: dt.date, window: Window) -> PastValue | None:
    """What the new value is compared with: the latest reading of an earlier month, or the
    provider's own figure from the registry when that is newer."""
    assert meter.id is not None
    earlier = readings_before(session, meter.id, period)
    return previous_of(meter, earlier[0] if earlier else None, window)


def previous_of(meter: Meter, latest: MeterReading | None, window: Window) -> PastValue | None:
    """previous_value, given the latest reading of a month before the window's."""
    candidates: list[PastValue] = []
    if latest is not None:
        candidates.append(
            PastValue(latest.value_thousandths, local_date(latest.submitted_at), latest.period, latest.source.value)
        )
    if meter.last_value_thousandths is not None and meter.last_value_date and meter.last_value_date < window.opens:
        candidates.append(
            PastValue(
                meter.last_value_thousandths,
                meter.last_value_date,
                month_start(meter.last_value_date),
                ReadingSource.registry_import.value,
            )
        )
    return max(candidates, key=lambda past: past.day) if candidates else None


def average_use(earlier: list[MeterReading], period: dt.date) -> int | None:
    """Mean use per month over the last year of `earlier` (readings of months before `period`,
    newest first); None with fewer than two of them."""
    history = [reading for reading in earlier if months_between(reading.period, period) <= HISTORY_MONTHS]
    by_period: dict[dt.date, MeterReading] = {}
    for reading in history:
        by_period.setdefault(reading.period, reading)
    points = sorted(by_period.values(), key=lambda reading: reading.period)
    total = months = 0
    for before, after in itertools.pairwise(points):
        if after.is_rollover or after.value_thousandths < before.value_thousandths:
            continue
        total += after.value_thousandths - before.value_thousandths
        months += months_between(before.period, after.period)
    return total // months if months else None


# The dashboard's queries are built once: building a statement costs more than running it on SQLite
# (≈ 0.2 ms against 0.1), and every page a resident opens runs several.
_METERS_OF_ACCOUNT = (
    select(Meter).where(Meter.account_id == sa.bindparam("account_id")).order_by(col(Meter.kind), col(Meter.id))
)


def meters_of(session: Session, account: ProviderAccount) -> list[Meter]:
    return list(session.exec(_METERS_OF_ACCOUNT, params={"account_id": account.id}))


# --- a meter's summary, for the dashboard and the readings form ---------------------------------


@dataclass(frozen=True)
class MeterSummary:
    meter_id: int
    kind: str
    serial: str
    digits_whole: int
    digits_fraction: int
    last_value: int | None
    last_day: dt.date | None
    last_source: str
    # This period's reading, if given: the form starts from it and says it can be changed.
    this_period_value: int | None
    this_period_editable: bool
    # What a new value this period is compared with.
    previous: PastValue | None
    verified_until: dt.date | None
    tariff_kopecks: int | None
    # (month, use) for the last twelve months that have readings.
    monthly_use: list[tuple[dt.date, int]]


_RECENT_READINGS = (
    select(MeterReading)
    .where(MeterReading.meter_id == sa.bindparam("meter_id"))
    .order_by(col(MeterReading.period).desc(), col(MeterReading.submitted_at).desc())
    .limit(HISTORY_MONTHS + 2)
)


def _last_known(meter: Meter, latest: MeterReading | None) -> tuple[int | None, dt.date | None, str]:
    """The newest value, its day and source: the latest reading or the registry's figure, whichever is newer."""
    last_value, last_day, last_source = None, None, ""
    if latest is not None:
        last_value, last_day = latest.value_thousandths, local_date(latest.submitted_at)
        last_source = latest.source.value
    registry_day = meter.last_value_date
    if meter.last_value_thousandths is not None and registry_day and (last_day is None or registry_day > last_day):
        return meter.last_value_thousandths, registry_day, ReadingSource.registry_import.value
    return last_value, last_day, last_source


def _monthly_use(rows: list[MeterReading]) -> list[tuple[dt.date, int]]:
    """(month, use) between consecutive months with readings, the last twelve; `rows` run newest first."""
    by_period: dict[dt.date, int] = {}
    for row in reversed(rows):
        by_period[row.period] = row.value_thousandths
    months = sorted(by_period)
    return [
        (after, by_period[after] - by_period[before])
        for before, after in itertools.pairwise(months)
        if by_period[after] >= by_period[before]
    ][-HISTORY_MONTHS:]


def summarize_meter(session: Session, meter: Meter, window: Window) -> MeterSummary:
    assert meter.id is not None
    rows = list(session.exec(_RECENT_READINGS, params={"meter_id": meter.id}))
    current = next((row for row in rows if row.period == window.period), None)
    earlier = next((row for row in rows if row.period < window.period), None)
    # Rows run newest first; only when all of them are of this month or later can an earlier one
    # lie beyond the limit.
    if earlier is None and len(rows) == HISTORY_MONTHS + 2:
        previous = previous_value(session, meter, window.period, window)
    else:
        previous = previous_of(meter, earlier, window)
    last_value, last_day, last_source = _last_known(meter, rows[0] if rows else None)
    return MeterSummary(
        meter_id=meter.id,
        kind=meter.kind.value,
        serial=meter.serial,
        digits_whole=meter.digits_whole,
        digits_fraction=meter.digits_fraction,
        last_value=last_value,
        last_day=last_day,
        last_source=last_source,
        this_period_value=current.value_thousandths if current else None,
        this_period_editable=bool(current and current.status == ReadingStatus.accepted),
        previous=previous,
        verified_until=meter.verified_until,
        tariff_kopecks=meter.tariff_kopecks,
        monthly_use=_monthly_use(rows),
    )
