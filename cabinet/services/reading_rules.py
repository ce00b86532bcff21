"""The rules a meter reading must pass, free of the database: the provider's window, the dial, use and charge."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Protocol

from cabinet.errors import DomainError
from cabinet.models import Provider
from cabinet.services.calendar import add_months, day_in_month, month_start

# Values are integer thousandths of a unit (m³, kWh, Gcal), as money is kopecks: no float ever rounds a reading.
UNIT = 1000
# A month's use this many times the usual one is more often a typo than a leak: ask first.
JUMP_FACTOR = 3
# Below this share of the dial a lower value means a new meter, above it a dial that went round.
ROLLOVER_ZONE = 0.9
_NUMBER = re.compile(r"^(?P<whole>\d+)(?:[.,](?P<fraction>\d*))?$")


# --- the window -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The days readings for one billing month are taken; `closes` may fall in the next month."""

    period: dt.date
    opens: dt.date
    closes: dt.date


@dataclass(frozen=True)
class WindowState:
    is_open: bool
    # The open window, or the next one when closed.
    window: Window
    days_left: int = 0
    days_until_open: int = 0


def window_for_period(provider: Provider, period: dt.date) -> Window:
    start, end = provider.reading_window_start_day, provider.reading_window_end_day
    opens = day_in_month(period, start)
    closes_month = period if start <= end else add_months(period, 1)
    return Window(period=period, opens=opens, closes=day_in_month(closes_month, end))


def window_state(provider: Provider, today: dt.date) -> WindowState:
    """Whether readings are taken today, and until when or from when."""
    this_month = month_start(today)
    windows = [window_for_period(provider, add_months(this_month, offset)) for offset in (-1, 0, 1)]
    for window in windows:
        if window.opens <= today <= window.closes:
            return WindowState(is_open=True, window=window, days_left=(window.closes - today).days + 1)
    upcoming = next(window for window in windows if window.opens > today)
    return WindowState(is_open=False, window=upcoming, days_until_open=(upcoming.opens - today).days)


# --- values -----------------------------------------------------------------------------------


class Dial(Protocol):
    """What parsing needs of a meter: how many digits its display has."""

    digits_whole: int
    digits_fraction: int


def meter_capacity(meter: Dial) -> int:
    """The first value the dial cannot show, in thousandths: 10⁵ for five whole digits."""
    return 10**meter.digits_whole * UNIT


def parse_reading(text: str, meter: Dial) -> int:
    """«00123,45» -> 123450. Raises reading_required / reading_format / reading_capacity."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text)
    if not cleaned:
        raise DomainError("reading_required")
    match = _NUMBER.match(cleaned)
    if not match:
        raise DomainError("reading_format")
    whole, fraction = match.group("whole"), match.group("fraction") or ""
    if int(whole) >= 10**meter.digits_whole or len(fraction) > meter.digits_fraction:
        raise DomainError("reading_capacity", whole=meter.digits_whole, fraction=meter.digits_fraction)
    return int(whole) * UNIT + int(fraction.ljust(3, "0") or "0")


# --- use and charge ---------------------------------------------------------------------------


def use_since(previous: int, value: int, meter: Dial, *, rolled_over: bool) -> tuple[int, bool] | None:
    """Use from `previous` to `value` and whether the dial went round; None for a lower value
    when the resident has not said the meter rolled over or was replaced."""
    if value >= previous:
        return value - previous, False
    if not rolled_over:
        return None
    if previous >= meter_capacity(meter) * ROLLOVER_ZONE:
        return meter_capacity(meter) - previous + value, True
    return value, True  # a new meter counts from zero


def charge_for(use: int, tariff_kopecks: int) -> int:
    """What `use` costs at the tariff, in kopecks."""
    return round(use * tariff_kopecks / UNIT)


def jump_factor(monthly_use: float, average: int | None) -> float | None:
    """How many times the usual month this one's use is, when that is over JUMP_FACTOR; None otherwise."""
    if not average or monthly_use <= JUMP_FACTOR * average:
        return None
    return round(monthly_use / average, 1)
