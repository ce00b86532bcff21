"""Dates as residents see them: month arithmetic, the Moscow day's bounds in UTC, days in a month, the wording."""

from __future__ import annotations

import datetime as dt

import pytest

from cabinet.services import calendar

UTC = dt.UTC


@pytest.mark.parametrize(
    ("month", "count", "expected"),
    [
        (dt.date(2026, 11, 20), 0, dt.date(2026, 11, 1)),
        (dt.date(2026, 11, 1), 1, dt.date(2026, 12, 1)),
        (dt.date(2026, 12, 1), 1, dt.date(2027, 1, 1)),
        (dt.date(2027, 1, 31), -1, dt.date(2026, 12, 1)),
        (dt.date(2026, 11, 1), -11, dt.date(2025, 12, 1)),
        (dt.date(2026, 11, 1), -23, dt.date(2024, 12, 1)),
        (dt.date(2026, 1, 1), 24, dt.date(2028, 1, 1)),
    ],
)
def test_add_months_gives_the_first_of_the_month(month, count, expected):
    assert calendar.add_months(month, count) == expected


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        (dt.date(2026, 11, 30), dt.date(2026, 11, 1), 0),
        (dt.date(2026, 10, 31), dt.date(2026, 11, 1), 1),
        (dt.date(2026, 12, 1), dt.date(2027, 1, 31), 1),
        (dt.date(2025, 11, 1), dt.date(2026, 11, 1), 12),
        (dt.date(2026, 11, 1), dt.date(2026, 9, 1), -2),
    ],
)
def test_months_between_counts_calendar_months_not_days(earlier, later, months):
    assert calendar.months_between(earlier, later) == months


def test_add_months_and_months_between_agree():
    start = dt.date(2024, 2, 1)
    for count in range(-30, 31):
        assert calendar.months_between(start, calendar.add_months(start, count)) == count


def test_month_start():
    assert calendar.month_start(dt.date(2026, 2, 28)) == dt.date(2026, 2, 1)


@pytest.mark.parametrize(
    ("month", "day", "expected"),
    [
        (dt.date(2026, 11, 1), 15, dt.date(2026, 11, 15)),
        (dt.date(2026, 11, 1), 31, dt.date(2026, 11, 30)),
        (dt.date(2027, 2, 1), 31, dt.date(2027, 2, 28)),
        (dt.date(2028, 2, 1), 30, dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2026, 12, 1), 31, dt.date(2026, 12, 31)),
    ],
)
def test_day_in_month_keeps_a_late_day_inside_the_month(month, day, expected):
    assert calendar.day_in_month(month, day) == expected


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        # Moscow is UTC+3 all year: 21:00 UTC is already the next day there.
        (dt.datetime(2026, 10, 31, 20, 59, 59, tzinfo=UTC), dt.date(2026, 10, 31)),
        (dt.datetime(2026, 10, 31, 21, 0, tzinfo=UTC), dt.date(2026, 11, 1)),
        (dt.datetime(2026, 12, 31, 21, 0, tzinfo=UTC), dt.date(2027, 1, 1)),
        # A moment in another zone is the same instant: 23:30 in Vladivostok (UTC+10) is 16:30 in Moscow.
        (dt.datetime(2026, 11, 20, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=10))), dt.date(2026, 11, 20)),
    ],
)
def test_local_date_is_the_moscow_date(moment, day):
    assert calendar.local_date(moment) == day


def test_a_local_day_starts_at_21_utc_the_evening_before():
    start = calendar.start_of_local_day(dt.date(2026, 11, 1))
    assert start == dt.datetime(2026, 10, 31, 21, 0, tzinfo=UTC)
    assert start.utcoffset() == dt.timedelta(0)
    # The bound belongs to the day it starts; the instant before it to the day before.
    assert calendar.local_date(start) == dt.date(2026, 11, 1)
    assert calendar.local_date(start - dt.timedelta(microseconds=1)) == dt.date(2026, 10, 31)


def test_local_days_are_24_hours_long_across_the_old_daylight_saving_dates():
    # Moscow has kept UTC+3 since 2014: the last Sundays of March and October are ordinary days.
    for day in (dt.date(2026, 3, 29), dt.date(2026, 10, 25)):
        length = calendar.start_of_local_day(day + dt.timedelta(days=1)) - calendar.start_of_local_day(day)
        assert length == dt.timedelta(hours=24)


def test_dates_read_the_russian_way():
    assert calendar.date_text(dt.date(2026, 3, 5)) == "05.03.2026"
    assert calendar.short_date(dt.date(2026, 3, 5)) == "05.03"
    assert calendar.month_label(dt.date(2026, 11, 1)) == "ноя 26"
    assert calendar.month_label(dt.date(2027, 1, 1)) == "янв 27"
    assert calendar.local_time_text(dt.datetime(2026, 11, 25, 11, 5, tzinfo=UTC)) == "25.11.2026 14:05"
    # Late evening UTC is the next morning's date in Moscow.
    assert calendar.local_time_text(dt.datetime(2026, 12, 31, 22, 30, tzinfo=UTC)) == "01.01.2027 01:30"


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "0 дней"),
        (1, "1 день"),
        (2, "2 дня"),
        (4, "4 дня"),
        (5, "5 дней"),
        (11, "11 дней"),
        (12, "12 дней"),
        (14, "14 дней"),
        (21, "21 день"),
        (22, "22 дня"),
        (25, "25 дней"),
        (31, "31 день"),
        (111, "111 дней"),
    ],
)
def test_days_take_the_russian_plural(count, text):
    assert calendar.days_text(count) == text
