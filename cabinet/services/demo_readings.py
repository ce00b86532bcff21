"""A year of demo readings: each of the resident's meters gets twelve monthly readings ending at its last value."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from cabinet.models import Meter, MeterKind, MeterReading, ReadingSource, ReadingStatus
from cabinet.services.demo_data import METERS, SEASONAL


def first_of_month_back(day: dt.date, months_back: int) -> dt.date:
    """The first day of the month `months_back` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def _monthly_use(kind: MeterKind, typical: int, months: int, seed: int) -> list[int]:
    """Monthly consumption, oldest first: deterministic, seasonal where it should be."""
    values = []
    for month in range(months):
        wobble = 0.85 + ((seed * 7 + month * 13) % 30) / 100
        season = 1.0
        if SEASONAL.get(kind):
            season = 1.6 if month % 12 in (0, 1, 2, 10, 11) else 0.5
        values.append(int(typical * wobble * season))
    return values


def seed_history(session: Session, *, meter: Meter, user_id: int, today: dt.date, seed: int) -> int:
    """Twelve monthly readings ending at the meter's last value; 0 when they are there already."""
    existing = session.exec(select(MeterReading.id).where(MeterReading.meter_id == meter.id)).first()
    if existing is not None:
        return 0
    typical = next(spec[4] for specs in METERS.values() for spec in specs if spec[0] == meter.kind)
    uses = _monthly_use(meter.kind, typical, 12, seed)
    value = meter.last_value_thousandths or 0
    values = []
    for use in reversed(uses):
        values.append(value)
        value -= use
    values.reverse()
    for months_back, reading in zip(range(12, 0, -1), values, strict=True):
        period = first_of_month_back(today, months_back)
        submitted = dt.datetime.combine(period.replace(day=24), dt.time(9, 30), tzinfo=dt.UTC)
        session.add(
            MeterReading(
                meter_id=meter.id,
                user_id=user_id,
                value_thousandths=reading,
                period=period,
                source=ReadingSource.resident,
                status=ReadingStatus.sent_to_provider,
                submitted_at=submitted,
                updated_at=submitted,
            )
        )
    return 12
