"""The readings form: its rows and window notice in words, the preview as one types, its two entries.

The `home` fixture (a water meter with readings of 91, 94 and 97 m³, a 15th–25th window that refuses
readings outside it) is in conftest.py. The entries are called as a State calls them: without `session=`.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from cabinet.errors import DomainError
from cabinet.models import AuditEvent, MeterReading, ReadingStatus, ReadingWindowPolicy
from cabinet.services import reading_form
from cabinet.services.reading_form import ReadingRow
from cabinet.services.readings import ReadingEntry, ReadingsRejected

# 20 November 2026, noon in Moscow: inside the window, six days before it closes.
IN_WINDOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
AFTER_WINDOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
NBSP = "\u00a0"


def _open(home, now=IN_WINDOW, user=None):
    return reading_form.open_form(user_id=(user or home["user"]).id, account_id=home["account"].id, now=now)


def _send(home, text, now=IN_WINDOW, confirmed=frozenset()):
    return reading_form.send_readings(
        user_id=home["user"].id,
        account_id=home["account"].id,
        now=now,
        entries=[ReadingEntry(home["meter"].id, text)],
        confirmed_jumps=confirmed,
        client_address="203.0.113.7",
    )


def _saved(engine) -> list[int]:
    with Session(engine) as session:
        return [
            row.value_thousandths
            for row in session.exec(select(MeterReading).where(MeterReading.period == dt.date(2026, 11, 1)))
        ]


def test_the_form_shows_each_meter_and_the_open_window(session, home, app_database):
    session.commit()
    form = _open(home)
    (row,) = form.rows
    account, provider = home["account"], home["provider"]
    assert form.title == provider.name
    # With no nickname the title is the provider's name: the subtitle does not say it again (issue #14).
    assert form.subtitle == f"ЛС{NBSP}{account.number} · {account.address}"
    assert (row.meter_id, row.kind, row.unit, row.serial) == (
        home["meter"].id,
        "Холодная вода",
        "м³",
        f"№ {home['meter'].serial}",
    )
    assert row.previous_text == "Предыдущее: 97,000 м³, 20.10.2026"
    assert row.help_text == "До 5 цифр до запятой и 3 после."
    assert row.open and row.this_period_text == "" and row.value == ""
    assert (row.previous_value, row.tariff_kopecks) == (97_000, 5_000)
    assert form.window_text == "Приём показаний до 25.11, осталось 6 дней."
    assert (form.window_mode, form.window_open, form.window_color, form.can_submit) == ("open", True, "grass", True)


def test_a_closed_window_that_refuses_says_when_and_nothing_can_be_sent(session, home, app_database):
    session.commit()
    form = _open(home, now=AFTER_WINDOW)
    assert form.window_text == "Сейчас показания не принимаются: приём с 15.12 по 25.12."
    assert (form.window_mode, form.window_open, form.window_color, form.can_submit) == ("blocked", False, "gray", False)


def test_a_closed_window_that_warns_still_takes_readings(session, home, app_database):
    home["provider"].reading_window_policy = ReadingWindowPolicy.warn
    session.commit()
    form = _open(home, now=AFTER_WINDOW)
    assert form.window_text.startswith("Сейчас срок приёма закрыт (с 15.12 по 25.12).")
    assert (form.window_mode, form.window_color, form.can_submit) == ("warn", "amber", True)
    sent = _send(home, "100", now=AFTER_WINDOW)
    assert sent.notice.startswith("Показания приняты 27.11.2026 12:00 вне срока приёма")


def test_another_residents_account_is_not_found(session, home, app_database):
    from tests.factories import make_user

    stranger = make_user(session)
    session.commit()
    with pytest.raises(DomainError) as raised:
        _open(home, user=stranger)
    assert raised.value.code == "not_found"


def test_sending_saves_records_and_shows_the_form_afresh(session, home, app_database):
    session.commit()
    sent = _send(home, "100,5")
    assert sent.notice == "Показания приняты 20.11.2026 12:00. Спасибо!"
    (row,) = sent.form.rows
    assert row.open and row.this_period_text == (
        "Показание за этот месяц уже передано: 100,500 м³. Его можно изменить до закрытия приёма."
    )
    assert _saved(app_database) == [100_500]
    with Session(app_database) as check:
        (event,) = check.exec(select(AuditEvent).where(AuditEvent.action == "reading_submitted")).all()
    assert (event.actor_user_id, event.target_id, event.client_address) == (
        home["user"].id,
        str(home["meter"].id),
        "203.0.113.7",
    )


def test_a_refused_value_saves_nothing_and_is_marked_on_its_row(session, home, app_database):
    session.commit()
    form = _open(home)
    with pytest.raises(ReadingsRejected) as raised:
        _send(home, "96,5")
    assert _saved(app_database) == []
    (row,) = reading_form.marked_rows(form.rows, raised.value)
    assert row.error == (
        "Показание меньше предыдущего: 97,000 м³. Если счётчик заменён или прошёл через ноль, отметьте это."
    )
    assert row.jump == "" and not raised.value.asks_confirmation


def test_a_jump_asks_first_and_the_confirmed_one_is_saved(session, home, app_database):
    session.commit()
    form = _open(home)
    with pytest.raises(ReadingsRejected) as raised:
        _send(home, "107")
    (row,) = reading_form.marked_rows(form.rows, raised.value)
    assert (row.error, row.jump) == ("", "Проверьте: расход в 3,3 раза выше среднего.")
    assert raised.value.asks_confirmation and _saved(app_database) == []
    assert reading_form.jumps_of([row]) == frozenset({home["meter"].id})
    _send(home, "107", confirmed=reading_form.jumps_of([row]))
    assert _saved(app_database) == [107_000]


def test_a_reading_the_provider_took_closes_its_row(session, home, app_database):
    session.add(
        MeterReading(
            meter_id=home["meter"].id,
            value_thousandths=100_000,
            period=dt.date(2026, 11, 1),
            source="resident",
            status=ReadingStatus.sent_to_provider,
            submitted_at=IN_WINDOW,
        )
    )
    session.commit()
    form = _open(home)
    (row,) = form.rows
    assert not row.open and not form.can_submit
    assert row.this_period_text == "Показание за этот месяц уже передано поставщику: 100,000 м³."
    assert reading_form.entries_of(form.rows) == []


def _row(**changes) -> ReadingRow:
    values = dict(
        meter_id=1,
        kind="Холодная вода",
        unit="м³",
        serial="",
        previous_text="",
        help_text="",
        this_period_text="",
        open=True,
        previous_value=97_000,
        tariff_kopecks=5_000,
    )
    values.update(changes)
    return ReadingRow(**values)


@pytest.mark.parametrize(
    ("row", "text", "replaced", "preview"),
    [
        (_row(), "100,5", False, f"Расход 3,500 м³ ≈ 175,00{NBSP}₽ по тарифу"),
        (_row(tariff_kopecks=-1), "100,5", False, "Расход 3,500 м³"),
        (_row(digits_fraction=0, previous_value=97_000), "100", False, f"Расход 3 м³ ≈ 150,00{NBSP}₽ по тарифу"),
        (_row(), "1 097", False, f"Расход 1{NBSP}000,000 м³ ≈ 50{NBSP}000,00{NBSP}₽ по тарифу"),
        # Nothing to say until the value makes sense: lower without the tick, malformed, no earlier value.
        (_row(), "96", False, ""),
        (_row(), "abc", False, ""),
        (_row(previous_value=-1), "100", False, ""),
        # A replaced meter counts from zero.
        (_row(), "3", True, f"Расход 3,000 м³ ≈ 150,00{NBSP}₽ по тарифу"),
    ],
)
def test_the_preview_follows_the_typing(row, text, replaced, preview):
    assert reading_form.preview_text(row, text, replaced) == preview


def test_the_form_sends_open_rows_as_typed():
    rows = [
        _row(meter_id=1, value="100", replaced=True),
        _row(meter_id=2, open=False, value="5"),
        _row(meter_id=3, value="", jump="Проверьте"),
    ]
    assert reading_form.entries_of(rows) == [ReadingEntry(1, "100", True), ReadingEntry(3, "", False)]
    assert reading_form.jumps_of(rows) == frozenset({3})
