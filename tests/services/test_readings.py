"""Sending readings: the window (block/warn), the checks of each value, saving all or none, editing, access.

The `home` fixture (a resident, an account, a water meter with three months of readings) is in conftest.py.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlmodel import select

from cabinet import texts
from cabinet.errors import DomainError
from cabinet.models import AccountLink, MeterReading, ReadingSource, ReadingStatus, ReadingWindowPolicy
from cabinet.services import reading_form, readings
from cabinet.services.readings import READINGS_FIELD, ReadingEntry, ReadingsRejected
from tests.factories import make_account, make_meter, make_user

# 20 November 2026, noon in Moscow: inside a 15th–25th window.
IN_WINDOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)


def _submit(session, home, text, *, now=IN_WINDOW, replaced=False, confirmed=frozenset(), user=None):
    return readings.submit_readings(
        session,
        user_id=(user or home["user"]).id,
        account_id=home["account"].id,
        entries=[ReadingEntry(home["meter"].id, text, replaced)],
        now=now,
        confirmed_jumps=confirmed,
    )


def _field_error(session, home, text, **kwargs) -> str:
    with pytest.raises(ReadingsRejected) as raised:
        _submit(session, home, text, **kwargs)
    return raised.value.errors[home["meter"].id].code


# --- the window ---------------------------------------------------------------------------------


def test_closed_window_blocks_with_the_dates(session, home):
    with pytest.raises(DomainError) as raised:
        _submit(session, home, "100", now=_moment(dt.date(2026, 11, 27)))
    assert raised.value.code == "reading_window_closed"
    assert raised.value.params == {"opens": "15.12", "closes": "25.12"}
    # The pay form shows it with the readings, not next to the amount.
    assert raised.value.field == READINGS_FIELD


def test_warn_policy_accepts_outside_the_window_for_the_next_month(session, home):
    home["provider"].reading_window_policy = ReadingWindowPolicy.warn
    check = _submit(session, home, "100", now=_moment(dt.date(2026, 11, 27)))
    assert check.outside_window and check.period == dt.date(2026, 12, 1)
    row = session.exec(select(MeterReading).where(MeterReading.period == dt.date(2026, 12, 1))).one()
    assert row.outside_window


# --- values -------------------------------------------------------------------------------------


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
    assert error.code == "reading_lower" and error.params == {"last": "97,000 м³"}


def test_a_refusal_writes_the_value_as_the_form_does(session, home):
    """Regression (#14): the message said «(1500,250)» where the form wrote «1 500,250 м³»."""
    session.add(
        MeterReading(
            meter_id=home["meter"].id,
            value_thousandths=1_500_250,
            period=dt.date(2026, 10, 1),
            source=ReadingSource.resident,
            submitted_at=_moment(dt.date(2026, 10, 24)),
        )
    )
    session.flush()
    with pytest.raises(ReadingsRejected) as raised:
        _submit(session, home, "1400")
    error = raised.value.errors[home["meter"].id]
    message = texts.error_text(error.code, **error.params)
    assert message.startswith("Показание меньше предыдущего: 1\u00a0500,250 м³. ")
    form = reading_form.open_form(
        session=session, user_id=home["user"].id, account_id=home["account"].id, now=IN_WINDOW
    )
    assert form.rows[0].previous_text.startswith("Предыдущее: 1\u00a0500,250 м³, ")


def test_rollover_near_the_end_of_the_dial(session, home):
    meter = home["meter"]
    session.add(
        MeterReading(
            meter_id=meter.id,
            value_thousandths=99_998_000,
            period=dt.date(2026, 10, 1),
            source=ReadingSource.resident,
            submitted_at=_moment(dt.date(2026, 10, 24)),
        )
    )
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
    assert raised.value.asks_confirmation and raised.value.field == READINGS_FIELD
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
            session,
            user_id=home["user"].id,
            account_id=home["account"].id,
            now=IN_WINDOW,
            entries=[ReadingEntry(home["meter"].id, "100"), ReadingEntry(second.id, "12,5")],
        )
    assert set(raised.value.errors) == {second.id}
    assert not raised.value.asks_confirmation
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
        readings.submit_readings(
            session,
            user_id=home["user"].id,
            account_id=home["account"].id,
            now=IN_WINDOW,
            entries=[ReadingEntry(other_meter.id, "1")],
        )
    assert raised.value.code == "not_found"


def test_a_family_sending_the_months_first_reading_at_once_makes_one_row(session, home, app_database):
    """Twenty members of a household send this month's first reading at the same moment, then again: every
    one is saved, the month has one reading, and PostgreSQL sees no deadlock (it saw both before the
    meter's row was locked first)."""
    users = [home["user"]]
    for number in range(19):
        users.append(make_user(session, email=f"family{number}@example.com"))
        session.add(AccountLink(user_id=users[-1].id, account_id=home["account"].id))
    session.commit()
    failures: list[BaseException] = []
    start = threading.Barrier(len(users))

    def send(user, value: str) -> None:
        start.wait()
        try:
            reading_form.send_readings(
                user_id=user.id,
                account_id=home["account"].id,
                entries=[ReadingEntry(home["meter"].id, value, False)],
                now=IN_WINDOW,
            )
        except Exception as error:  # counted below: any failure is the defect
            failures.append(error)

    for wave in ("99", "100"):
        threads = [threading.Thread(target=send, args=(user, wave)) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert failures == []
        session.expire_all()
        november = session.exec(
            select(MeterReading).where(
                MeterReading.meter_id == home["meter"].id, MeterReading.period == dt.date(2026, 11, 1)
            )
        ).all()
        assert [row.value_thousandths for row in november] == [int(wave) * 1000]
