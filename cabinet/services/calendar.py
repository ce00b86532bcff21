"""Dates as residents see them: the Moscow zone, billing months, days that fit in a month, and how they read."""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

from babel import Locale

from cabinet import texts

# Providers of this cabinet are in the Moscow zone; stored times stay UTC.
RESIDENT_ZONE = ZoneInfo("Europe/Moscow")
_RUSSIAN = Locale("ru")
# babel's plural categories for Russian → the index into a (один, два, пять) triple of forms.
_PLURAL_INDEX = {"one": 0, "few": 1, "many": 2, "other": 1}


def local_date(moment: dt.datetime) -> dt.date:
    """The resident's calendar date at a UTC moment."""
    return moment.astimezone(RESIDENT_ZONE).date()


def start_of_local_day(day: dt.date) -> dt.datetime:
    """The UTC moment the resident's day begins."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=RESIDENT_ZONE).astimezone(dt.UTC)


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


# --- how dates read ---------------------------------------------------------------------------


def date_text(day: dt.date) -> str:
    """«25.11.2026»."""
    return day.strftime("%d.%m.%Y")


def short_date(day: dt.date) -> str:
    """«25.11», for a window within the year at hand."""
    return day.strftime("%d.%m")


def month_label(month: dt.date) -> str:
    """«ноя 26», under a chart's bar."""
    return f"{texts.MONTHS_SHORT[month.month - 1]} {month.strftime('%y')}"


def local_time_text(moment: dt.datetime) -> str:
    """«25.11.2026 14:05» in the residents' zone."""
    return moment.astimezone(RESIDENT_ZONE).strftime("%d.%m.%Y %H:%M")


def days_text(count: int) -> str:
    """«1 день», «3 дня», «5 дней», «21 день»."""
    return f"{count} {texts.DAYS[_PLURAL_INDEX[_RUSSIAN.plural_form(count)]]}"
