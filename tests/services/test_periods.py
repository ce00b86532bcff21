"""The named periods of the history and admin filters, as UTC bounds of local (Moscow) days."""

from __future__ import annotations

import datetime as dt

import pytest

from cabinet.services.calendar import start_of_local_day
from cabinet.services.periods import PERIODS, period_bounds

TODAY = dt.date(2026, 3, 15)


@pytest.mark.parametrize(
    ("period", "since", "until"),
    [
        ("today", dt.date(2026, 3, 15), None),
        ("month", dt.date(2026, 3, 1), None),
        ("prev_month", dt.date(2026, 2, 1), dt.date(2026, 3, 1)),
        ("3m", dt.date(2026, 1, 1), None),
        ("year", dt.date(2025, 4, 1), None),
    ],
)
def test_each_period_starts_at_local_midnight(period, since, until):
    expected = (start_of_local_day(since), start_of_local_day(until) if until else None)
    assert period_bounds(period, TODAY) == expected


@pytest.mark.parametrize("period", ["all", "", "week", "'; drop table", "x" * 1000])
def test_all_and_anything_unknown_have_no_bounds(period):
    assert period_bounds(period, TODAY) == (None, None)


def test_a_period_across_new_year():
    since, until = period_bounds("prev_month", dt.date(2027, 1, 10))
    assert (since, until) == (start_of_local_day(dt.date(2026, 12, 1)), start_of_local_day(dt.date(2027, 1, 1)))
    assert period_bounds("3m", dt.date(2027, 1, 10))[0] == start_of_local_day(dt.date(2026, 11, 1))


def test_every_named_period_is_distinct():
    assert len({period_bounds(period, TODAY) for period in PERIODS}) == len(PERIODS)
