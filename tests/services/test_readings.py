"""Meter readings: window (block/warn, across the month end), value rules, saving, editing, access."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlmodel import select

from cabinet.models import AccountLink, MeterReading, ReadingSource, ReadingStatus, ReadingWindowPolicy
from cabinet.services import readings
from cabinet.errors import DomainError
from cabinet.services.readings import ReadingEntry, ReadingsRejected
from tests.factories import make_account, make_meter, make_provider, make_user

# 20 November 2026, noon in Moscow: inside a 15th–25th window.
IN_WINDOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone.utc)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.timezone.utc)


@pytest.fixture
def home(session):
    """A resident with a linked account: one water meter 5.3 digits, last reading 100,000 in October."""
    provider = make_provider(session, reading_window_start_day=15, reading_window_end_day=25,
                             reading_window_policy=ReadingWindowPolicy.block, consumption_cap_thousandths=50_000)
    account = make_account(session, provider)
    meter = make_meter(session, account, digits_whole=5, digits_fraction=3, tariff_kopecks=5_000)
    user = make_user(session)
    session.add(AccountLink(user_id=user.id, account_id=account.id))
    for months_back, value in ((3, 91_000), (2, 94_000), (1, 97_000)):
        period = dt.date(2026, 11 - months_back, 1)
        session.add(MeterReading(meter_id=meter.id, user_id=user.id, value_thousandths=value, period=period,
                                 source=ReadingSource.resident, status=ReadingStatus.sent_to_provider,
                                 submitted_at=_moment(period.replace(day=20))))
    session.flush()
    return dict(provider=provider, account=account, meter=meter, user=user)


def _submit(session, home, text, *, now=IN_WINDOW, replaced=False, confirmed=frozenset(), user=None):
    return readings.submit_readings(
        session, user_id=(user or home["user"]).id, account_id=home["account"].id,
        entries=[ReadingEntry(home["meter"].id, text, replaced)], now=now, confirmed_jumps=confirmed,
    )


def _field_error(session, home, text, **kwargs) -> str:
    with pytest.raises(ReadingsRejected) as raised:
        _submit(session, home, text, **kwargs)
    return raised.value.errors[home["meter"].id].code


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
    from cabinet.models import Provider

    provider = Provider(name="x", account_pattern=".", account_format_description="", account_example="",
                        reading_window_start_day=start, reading_window_end_day=end)
    state = readings.window_state(provider, today)
    assert (state.is_open, state.window.period, state.window.opens, state.window.closes) == (
        is_open, period, opens, closes)


def test_days_left_and_days_until_open_count_today():
    from cabinet.models import Provider

    provider = Provider(name="x", account_pattern=".", account_format_description="", account_example="",
                        reading_window_start_day=15, reading_window_end_day=25)
    assert readings.window_state(provider, dt.date(2026, 11, 23)).days_left == 3
    assert readings.window_state(provider, dt.date(2026, 11, 25)).days_left == 1
    assert readings.window_state(provider, dt.date(2026, 11, 12)).days_until_open == 3


def test_closed_window_blocks_with_the_dates(session, home):
    with pytest.raises(DomainError) as raised:
        _submit(session, home, "100", now=_moment(dt.date(2026, 11, 27)))
    assert raised.value.code == "reading_window_closed"
    assert raised.value.params == {"opens": "15.12", "closes": "25.12"}


def test_warn_policy_accepts_outside_the_window_for_the_next_month(session, home):
    home["provider"].reading_window_policy = ReadingWindowPolicy.warn
    check = _submit(session, home, "100", now=_moment(dt.date(2026, 11, 27)))
    assert check.outside_window and check.period == dt.date(2026, 12, 1)
    row = session.exec(select(MeterReading).where(MeterReading.period == dt.date(2026, 12, 1))).one()
    assert row.outside_window


# --- values -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "thousandths"), [("100", 100_000), ("00100,5", 100_500), ("100.125", 100_125),
                                                   ("1 000,1", 1_000_100), ("99999,999", 99_999_999)])
def test_parse_reading_within_digit_capacity(text, thousandths):
    from cabinet.models import Meter

    assert readings.parse_reading(text, Meter(account_id=1, kind="cold_water", digits_whole=5, digits_fraction=3)) == thousandths


@pytest.mark.parametrize(("text", "code"), [("", "reading_required"), ("abc", "reading_format"), ("-5", "reading_format"),
                                            ("100000", "reading_capacity"), ("1,2345", "reading_capacity"), ("1,5,5", "reading_format")])
def test_parse_reading_refuses(text, code):
    from cabinet.models import Meter

    with pytest.raises(DomainError) as raised:
        readings.parse_reading(text, Meter(account_id=1, kind="cold_water", digits_whole=5, digits_fraction=3))
    assert raised.value.code == code


def test_whole_digit_meter_takes_no_decimals():
    from cabinet.models import Meter

    meter = Meter(account_id=1, kind="electricity", digits_whole=6, digits_fraction=0)
    with pytest.raises(DomainError):
        readings.parse_reading("12,5", meter)
    assert readings.format_reading(123_000, meter) == "123"


def test_a_normal_reading_is_saved_with_use_and_charge_preview(session, home):
    check = _submit(session, home, "100,5")
    (reading,) = check.readings
    assert (reading.value, reading.use, reading.charge_kopecks) == (100_500, 3_500, 17_500)
    row = session.exec(select(MeterReading).where(MeterReading.period == dt.date(2026, 11, 1))).one()
    assert (row.value_thousandths, row.source, row.status) == (100_500, ReadingSource.resident, ReadingStatus.accepted)


def test_equal_value_is_allowed_unless_the_provider_refuses_zero_use(session, home):
    assert _submit(session, home, "97").readings[0].use == 0
    home["provider"].allow_zero_consumption = False
    assert _field_error(session, home, "97") == "reading_zero_use"


def test_lower_value_is_refused_naming_the_last_one(session, home):
    with pytest.raises(ReadingsRejected) as raised:
        _submit(session, home, "96,5")
    error = raised.value.errors[home["meter"].id]
    assert error.code == "reading_lower" and error.params == {"last": "97,000"}


def test_rollover_near_the_end_of_the_dial(session, home):
    meter = home["meter"]
    session.add(MeterReading(meter_id=meter.id, value_thousandths=99_998_000, period=dt.date(2026, 10, 1),
                             source=ReadingSource.resident, submitted_at=_moment(dt.date(2026, 10, 24))))
    session.flush()
    (reading,) = _submit(session, home, "2", replaced=True).readings
    assert reading.is_rollover and reading.use == 4_000


def test_replaced_meter_counts_from_zero(session, home):
    (reading,) = _submit(session, home, "3", replaced=True).readings
    assert reading.is_rollover and reading.use == 3_000
    assert session.exec(select(MeterReading).where(MeterReading.period == dt.date(2026, 11, 1))).one().is_rollover


def test_provider_may_forbid_rollover(session, home):
    home["provider"].allow_rollover = False
    assert _field_error(session, home, "3", replaced=True) == "reading_rollover_forbidden"


def test_use_above_the_cap_is_refused(session, home):
    assert _field_error(session, home, "147,001") == "reading_over_cap"


def test_jump_over_three_times_the_average_needs_confirmation(session, home):
    # Average is 3 m³ a month; 10 m³ is 3.3 times that.
    with pytest.raises(ReadingsRejected) as raised:
        _submit(session, home, "107")
    assert raised.value.jumps == {home["meter"].id: 3.3}
    assert session.exec(select(MeterReading).where(MeterReading.period == dt.date(2026, 11, 1))).first() is None
    check = _submit(session, home, "107", confirmed=frozenset({home["meter"].id}))
    assert check.readings[0].use == 10_000


def test_jump_accounts_for_months_missed(session, home):
    # Nothing given in October: six cubic metres over two months is the usual pace.
    session.delete(session.exec(select(MeterReading).where(MeterReading.period == dt.date(2026, 10, 1))).one())
    session.flush()
    assert _submit(session, home, "100").readings[0].jump_factor is None


def test_registry_value_newer_than_the_last_reading_is_the_baseline(session, home):
    home["meter"].last_value_thousandths = 99_000
    home["meter"].last_value_date = dt.date(2026, 11, 2)
    assert _field_error(session, home, "98") == "reading_lower"


def test_one_bad_field_saves_nothing(session, home):
    second = make_meter(session, home["account"], digits_whole=6, digits_fraction=0)
    with pytest.raises(ReadingsRejected) as raised:
        readings.submit_readings(
            session, user_id=home["user"].id, account_id=home["account"].id, now=IN_WINDOW,
            entries=[ReadingEntry(home["meter"].id, "100"), ReadingEntry(second.id, "12,5")],
        )
    assert set(raised.value.errors) == {second.id}
    assert session.exec(select(MeterReading).where(MeterReading.period == dt.date(2026, 11, 1))).first() is None


def test_empty_form_is_refused(session, home):
    with pytest.raises(DomainError) as raised:
        _submit(session, home, "  ")
    assert raised.value.code == "readings_empty"


# --- editing and access ---------------------------------------------------------------------------


def test_this_months_reading_is_edited_not_duplicated(session, home):
    _submit(session, home, "100")
    _submit(session, home, "99", now=IN_WINDOW + dt.timedelta(days=1))
    rows = session.exec(select(MeterReading).where(MeterReading.period == dt.date(2026, 11, 1))).all()
    assert [row.value_thousandths for row in rows] == [99_000]


def test_a_reading_the_provider_took_cannot_be_changed(session, home):
    _submit(session, home, "100")
    row = session.exec(select(MeterReading).where(MeterReading.period == dt.date(2026, 11, 1))).one()
    row.status = ReadingStatus.sent_to_provider
    session.flush()
    assert _field_error(session, home, "101") == "reading_already_taken"


def test_another_resident_gets_not_found(session, home):
    stranger = make_user(session)
    with pytest.raises(DomainError) as raised:
        _submit(session, home, "100", user=stranger)
    assert raised.value.code == "not_found"


def test_a_meter_of_another_account_gets_not_found(session, home):
    other_meter = make_meter(session, make_account(session, home["provider"]))
    with pytest.raises(DomainError) as raised:
        readings.submit_readings(session, user_id=home["user"].id, account_id=home["account"].id, now=IN_WINDOW,
                                 entries=[ReadingEntry(other_meter.id, "1")])
    assert raised.value.code == "not_found"


def test_summary_shows_last_reading_and_monthly_use(session, home):
    _submit(session, home, "100,5")
    window = readings.window_state(home["provider"], dt.date(2026, 11, 20)).window
    summary = readings.summarize_meter(session, home["meter"], window)
    assert (summary.last_value, summary.last_source, summary.this_period_value) == (100_500, "resident", 100_500)
    assert summary.this_period_editable
    assert [use for _month, use in summary.monthly_use] == [3_000, 3_000, 3_500]


def test_summary_compares_with_the_latest_earlier_month_not_this_one(session, home):
    _submit(session, home, "100,5")
    window = readings.window_state(home["provider"], dt.date(2026, 11, 20)).window
    summary = readings.summarize_meter(session, home["meter"], window)
    expected = readings.previous_value(session, home["meter"], window.period, window)
    assert summary.previous == expected
    assert summary.previous.value == 100_500 - 3_500 and summary.previous.period < window.period


def test_use_since_is_one_rule_for_the_form_preview_and_the_check():
    dial = SimpleNamespace(digits_whole=5, digits_fraction=3)
    assert readings.use_since(100_000, 103_500, dial, rolled_over=False) == (3_500, False)
    assert readings.use_since(100_000, 90_000, dial, rolled_over=False) is None
    # Near the end of the dial a lower value went round: 99 999,000 → 2,000 is 3 units.
    assert readings.use_since(99_999_000, 2_000, dial, rolled_over=True) == (3_000, True)
    # Far from the end it is a new meter counting from zero.
    assert readings.use_since(50_000_000, 2_000, dial, rolled_over=True) == (2_000, True)
    assert readings.charge_for(3_500, 4_562) == 15_967
