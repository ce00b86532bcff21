"""The rules of a reading without the database: the window (across the month end), the dial, use, charge, jumps."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from cabinet.errors import DomainError
from cabinet.models import Meter, Provider
from cabinet.services import reading_rules


def _provider(start: int, end: int) -> Provider:
    return Provider(
        name="x",
        account_pattern=".",
        account_format_description="",
        account_example="",
        reading_window_start_day=start,
        reading_window_end_day=end,
    )


# --- the window ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "today", "is_open", "period", "opens", "closes"),
    [
        (15, 25, dt.date(2026, 11, 20), True, dt.date(2026, 11, 1), dt.date(2026, 11, 15), dt.date(2026, 11, 25)),
        (15, 25, dt.date(2026, 11, 26), False, dt.date(2026, 12, 1), dt.date(2026, 12, 15), dt.date(2026, 12, 25)),
        (15, 25, dt.date(2026, 11, 3), False, dt.date(2026, 11, 1), dt.date(2026, 11, 15), dt.date(2026, 11, 25)),
        # Across the month end: 3 December still belongs to November's window.
        (15, 3, dt.date(2026, 12, 2), True, dt.date(2026, 11, 1), dt.date(2026, 11, 15), dt.date(2026, 12, 3)),
        (15, 3, dt.date(2026, 12, 4), False, dt.date(2026, 12, 1), dt.date(2026, 12, 15), dt.date(2027, 1, 3)),
        (20, 5, dt.date(2027, 1, 1), True, dt.date(2026, 12, 1), dt.date(2026, 12, 20), dt.date(2027, 1, 5)),
        # A 31st in February is its last day.
        (25, 31, dt.date(2027, 2, 28), True, dt.date(2027, 2, 1), dt.date(2027, 2, 25), dt.date(2027, 2, 28)),
    ],
)
def test_window_state(start, end, today, is_open, period, opens, closes):
    state = reading_rules.window_state(_provider(start, end), today)
    assert (state.is_open, state.window.period, state.window.opens, state.window.closes) == (
        is_open,
        period,
        opens,
        closes,
    )


def test_days_left_and_days_until_open_count_today():
    provider = _provider(15, 25)
    assert reading_rules.window_state(provider, dt.date(2026, 11, 23)).days_left == 3
    assert reading_rules.window_state(provider, dt.date(2026, 11, 25)).days_left == 1
    assert reading_rules.window_state(provider, dt.date(2026, 11, 12)).days_until_open == 3


@pytest.mark.parametrize(
    ("start", "end", "period", "opens", "closes"),
    [
        (15, 25, dt.date(2026, 11, 1), dt.date(2026, 11, 15), dt.date(2026, 11, 25)),
        # A window across the month end closes in the next month, the year's end included.
        (20, 5, dt.date(2026, 12, 1), dt.date(2026, 12, 20), dt.date(2027, 1, 5)),
        # Days past a month's end are its last day: 30 and 31 in February 2028 (a leap year) are the 29th.
        (30, 31, dt.date(2028, 2, 1), dt.date(2028, 2, 29), dt.date(2028, 2, 29)),
        (31, 10, dt.date(2026, 4, 1), dt.date(2026, 4, 30), dt.date(2026, 5, 10)),
        # The same day opens and closes: a one-day window.
        (25, 25, dt.date(2026, 11, 1), dt.date(2026, 11, 25), dt.date(2026, 11, 25)),
    ],
)
def test_window_for_period(start, end, period, opens, closes):
    window = reading_rules.window_for_period(_provider(start, end), period)
    assert (window.period, window.opens, window.closes) == (period, opens, closes)


def test_a_one_day_window_is_open_that_day_only():
    provider = _provider(25, 25)
    assert reading_rules.window_state(provider, dt.date(2026, 11, 25)).days_left == 1
    closed = reading_rules.window_state(provider, dt.date(2026, 11, 26))
    assert not closed.is_open and closed.window.opens == dt.date(2026, 12, 25) and closed.days_until_open == 29


# --- values -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "thousandths"),
    [("100", 100_000), ("00100,5", 100_500), ("100.125", 100_125), ("1 000,1", 1_000_100), ("99999,999", 99_999_999)],
)
def test_parse_reading_within_digit_capacity(text, thousandths):
    meter = Meter(account_id=1, kind="cold_water", digits_whole=5, digits_fraction=3)
    assert reading_rules.parse_reading(text, meter) == thousandths


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "reading_required"),
        ("abc", "reading_format"),
        ("-5", "reading_format"),
        ("100000", "reading_capacity"),
        ("1,2345", "reading_capacity"),
        ("1,5,5", "reading_format"),
    ],
)
def test_parse_reading_refuses(text, code):
    with pytest.raises(DomainError) as raised:
        reading_rules.parse_reading(text, Meter(account_id=1, kind="cold_water", digits_whole=5, digits_fraction=3))
    assert raised.value.code == code


def test_whole_digit_meter_takes_no_decimals():
    meter = Meter(account_id=1, kind="electricity", digits_whole=6, digits_fraction=0)
    with pytest.raises(DomainError):
        reading_rules.parse_reading("12,5", meter)
    assert reading_rules.parse_reading("123", meter) == 123_000


# --- use, charge, jumps -------------------------------------------------------------------------


def test_use_since_is_one_rule_for_the_form_preview_and_the_check():
    dial = SimpleNamespace(digits_whole=5, digits_fraction=3)
    assert reading_rules.use_since(100_000, 103_500, dial, rolled_over=False) == (3_500, False)
    assert reading_rules.use_since(100_000, 90_000, dial, rolled_over=False) is None
    # Near the end of the dial a lower value went round: 99 999,000 → 2,000 is 3 units.
    assert reading_rules.use_since(99_999_000, 2_000, dial, rolled_over=True) == (3_000, True)
    # Far from the end it is a new meter counting from zero.
    assert reading_rules.use_since(50_000_000, 2_000, dial, rolled_over=True) == (2_000, True)
    assert reading_rules.charge_for(3_500, 4_562) == 15_967


def test_a_jump_is_use_over_three_times_the_average():
    assert reading_rules.jump_factor(10_000, 3_000) == 3.3
    assert reading_rules.jump_factor(9_000, 3_000) is None  # exactly three times is still usual
    assert reading_rules.jump_factor(10_000, None) is None  # no history to compare with
    assert reading_rules.jump_factor(10_000, 0) is None
