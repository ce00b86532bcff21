"""A meter's history: the value a new reading is compared with, the year's average, the summary the pages show.

The `home` fixture (a water meter with readings of 91, 94 and 97 m³ for August to October 2026) is in conftest.py.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from cabinet.models import MeterReading
from cabinet.services import reading_history, reading_rules
from cabinet.services.readings import ReadingEntry, submit_readings

IN_WINDOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def _submit(session, home, text):
    return submit_readings(
        session,
        user_id=home["user"].id,
        account_id=home["account"].id,
        entries=[ReadingEntry(home["meter"].id, text)],
        now=IN_WINDOW,
    )


def _window(home):
    return reading_rules.window_state(home["provider"], dt.date(2026, 11, 20)).window


def test_summary_shows_last_reading_and_monthly_use(session, home):
    _submit(session, home, "100,5")
    summary = reading_history.summarize_meter(session, home["meter"], _window(home))
    assert (summary.last_value, summary.last_source, summary.this_period_value) == (100_500, "resident", 100_500)
    assert summary.this_period_editable
    assert [use for _month, use in summary.monthly_use] == [3_000, 3_000, 3_500]


def test_summary_compares_with_the_latest_earlier_month_not_this_one(session, home):
    _submit(session, home, "100,5")
    window = _window(home)
    summary = reading_history.summarize_meter(session, home["meter"], window)
    expected = reading_history.previous_value(session, home["meter"], window.period, window)
    assert summary.previous == expected
    assert summary.previous.value == 100_500 - 3_500 and summary.previous.period < window.period


def test_a_newer_registry_figure_is_the_last_value_and_the_baseline(session, home):
    home["meter"].last_value_thousandths = 99_000
    home["meter"].last_value_date = dt.date(2026, 11, 2)
    session.flush()
    window = _window(home)
    summary = reading_history.summarize_meter(session, home["meter"], window)
    assert (summary.last_value, summary.last_day, summary.last_source) == (
        99_000,
        dt.date(2026, 11, 2),
        "registry_import",
    )
    assert summary.previous.value == 99_000 and summary.previous.period == dt.date(2026, 11, 1)


def test_the_average_is_use_per_month_over_the_readings_of_the_last_year(session, home):
    earlier = reading_history.readings_before(session, home["meter"].id, dt.date(2026, 11, 1))
    assert [reading.value_thousandths for reading in earlier] == [97_000, 94_000, 91_000]
    assert reading_history.average_use(earlier, dt.date(2026, 11, 1)) == 3_000
    # One reading is no pace at all.
    assert reading_history.average_use(earlier[:1], dt.date(2026, 11, 1)) is None
    # Readings older than a year no longer count.
    assert reading_history.average_use(earlier, dt.date(2027, 10, 1)) is None


def test_a_rollover_month_is_left_out_of_the_average(session, home):
    october = session.exec(select(MeterReading).where(MeterReading.period == dt.date(2026, 10, 1))).one()
    october.is_rollover = True
    session.flush()
    earlier = reading_history.readings_before(session, home["meter"].id, dt.date(2026, 11, 1))
    assert reading_history.average_use(earlier, dt.date(2026, 11, 1)) == 3_000  # August → September only
