"""Dates as residents see them: the Moscow zone, billing months, days that fit in a month."""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

# Providers of this cabinet are in the Moscow zone; stored times stay UTC.
RESIDENT_ZONE = ZoneInfo("Europe/Moscow")


def local_date(moment: dt.datetime) -> dt.date:
    """The resident's calendar date at a UTC moment."""
    return moment.astimezone(RESIDENT_ZONE).date()


def start_of_local_day(day: dt.date) -> dt.datetime:
    """The UTC moment the resident's day begins."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=RESIDENT_ZONE).astimezone(dt.timezone.utc)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months after the month of `month`."""
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from the month of `earlier` to the month of `later`."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def day_in_month(month: dt.date, day: int) -> dt.date:
    """Day `day` of that month; a 31st in a 30-day month is its last day."""
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=min(day, last))
