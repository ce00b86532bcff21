"""Reminders: each due one recorded and queued exactly once, at a decent hour, only to who wants it."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

import cabinet.sandbox.models  # noqa: F401  (the stand-in's tables)
from cabinet import background
from cabinet.api import build_api
from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import (
    AccountLink,
    MeterReading,
    OutgoingEmail,
    ProviderAccount,
    ReadingSource,
    ReminderKind,
    ReminderSent,
    User,
)
from cabinet.money import format_rubles
from cabinet.sandbox.models import SandboxResendEmail
from cabinet.services import mail
from cabinet.services.calendar import RESIDENT_ZONE
from cabinet.services.demo import seed_demo
from cabinet.services.profile import profile_of, save_profile
from cabinet.services.reminders import send_due_reminders
from cabinet.services.unsubscribe import signed_token, unsubscribe, unsubscribe_token
from tests.factories import make_account, make_meter, make_provider, make_user
from tests.services.registry.files import csv_text, import_text
from tests.stand_ins import serve_stand_ins


def moscow(day: int, hour: int = 12, month: int = 11) -> dt.datetime:
    """A moment in Moscow in 2026, as the aware UTC the services take."""
    return dt.datetime(2026, month, day, hour, tzinfo=RESIDENT_ZONE).astimezone(dt.UTC)


def sent(session) -> list[tuple[str, int]]:
    """(kind, subject) of every reminder recorded, in order."""
    rows = session.exec(select(ReminderSent).order_by(ReminderSent.id)).all()
    return [(row.kind.value, row.subject_id) for row in rows]


def letters(session) -> list[OutgoingEmail]:
    return list(session.exec(select(OutgoingEmail).order_by(OutgoingEmail.id)))


def tampered(token: str) -> str:
    """The token with the signature's last digit changed (to another digit, whatever it was)."""
    return token[:-1] + ("1" if token.endswith("0") else "0")


def run(session, now: dt.datetime) -> dict[str, int]:
    return send_due_reminders(now=now, session=session).counts


def test_the_window_opens_once_with_a_letter_naming_the_account(session, home):
    session.exec(select(AccountLink)).one().nickname = "Дача"
    assert run(session, moscow(15, 10)) == {"window_opens": 1}
    assert run(session, moscow(16, 10)) == {} and run(session, moscow(15, 10)) == {}
    (letter,) = letters(session)
    account_id = home["account"].id
    assert letter.to_address == home["user"].email and "Дача" in letter.subject
    assert home["provider"].name in letter.text_body and home["account"].address in letter.text_body
    assert f"/accounts/{account_id}/readings" in letter.text_body and "/unsubscribe/" in letter.text_body
    headers = json.loads(letter.headers)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<http") and "/api/unsubscribe/" in headers["List-Unsubscribe"]
    assert session.exec(select(ReminderSent)).one().email_id == letter.id


def test_closes_soon_only_without_a_reading(session, home):
    # The 23rd: the window (15th–25th) closes in 3 days, the default N; no reading for November yet.
    assert run(session, moscow(23)) == {"window_closing": 1}
    assert "25.11.2026" in letters(session)[0].text_body and "3 дня" in letters(session)[0].subject
    assert run(session, moscow(24)) == {}


def test_no_closes_soon_once_a_reading_is_in(session, home):
    session.add(
        MeterReading(
            meter_id=home["meter"].id,
            value_thousandths=99_000,
            period=dt.date(2026, 11, 1),
            source=ReadingSource.resident,
        )
    )
    session.flush()
    assert run(session, moscow(23)) == {} and run(session, moscow(16)) == {}


def test_verification_soon_and_expired(session, home):
    meter = home["meter"]
    meter.verified_until = dt.date(2026, 12, 27)
    session.add(meter)
    session.flush()
    assert run(session, moscow(1, month=12)) == {"verification_soon": 1}
    assert run(session, moscow(2, month=12)) == {}
    assert "27.12.2026" in letters(session)[0].text_body
    assert run(session, moscow(28, month=12)) == {"verification_expired": 1}
    assert sent(session) == [("verification_soon", meter.id), ("verification_expired", meter.id)]


def test_a_verification_long_expired_is_not_news(session, home):
    home["meter"].verified_until = dt.date(2026, 6, 1)
    session.flush()
    assert run(session, moscow(1, month=12)) == {}


def test_new_bill_once_per_import_that_raised_the_debt(session):
    provider = make_provider(session, account_pattern=r"\d{9}", account_format_description="9 цифр")
    row = "100200301;г. Заречный, ул. Мира, д. 1, кв. 2;;{debt};;2026-11-01;;;;;;;;;"
    import_text(session, provider, csv_text(row.format(debt="100,00")), now=moscow(20))
    user = make_user(session)
    account_id = session.exec(select(ProviderAccount.id)).one()
    session.add(AccountLink(user_id=user.id, account_id=account_id))
    session.flush()
    assert run(session, moscow(20, 13)) == {}  # the import that made the account raised nothing
    import_text(session, provider, csv_text(row.format(debt="1234,56")), now=moscow(21))
    assert run(session, moscow(21, 13)) == {"new_bill": 1}
    (letter,) = letters(session)
    assert format_rubles(123_456) in letter.subject and f"/accounts/{account_id}/pay" in letter.text_body
    import_text(session, provider, csv_text(row.format(debt="1234,56")), now=moscow(22))  # unchanged
    import_text(session, provider, csv_text(row.format(debt="1000,00")), now=moscow(23))  # fell
    assert run(session, moscow(23, 13)) == {}
    import_text(session, provider, csv_text(row.format(debt="0,00")), now=moscow(24))
    assert run(session, moscow(24, 13)) == {}
    assert len(letters(session)) == 1


def test_nothing_at_night_and_on_the_hour_at_nine(session, home):
    assert run(session, moscow(23, 21)) == {} and run(session, moscow(24, 8)) == {}
    assert moscow(24, 8).astimezone(RESIDENT_ZONE).hour == 8
    assert run(session, moscow(24, 9)) == {"window_closing": 1}


def test_without_quiet_hours_a_reminder_goes_at_night(session, home):
    assert send_due_reminders(now=moscow(23, 23), session=session, quiet_hours=False).counts == {"window_closing": 1}


def test_after_a_downtime_one_letter_and_none_for_a_closed_window(session, home):
    # Down from before the 15th to the 24th: only «closes soon» goes, not «opens» as well.
    assert run(session, moscow(24)) == {"window_closing": 1}
    # Down over the whole of next month's window (15–25 December): nothing about it on the 27th.
    assert run(session, moscow(27, month=12)) == {}
    assert len(letters(session)) == 1


def test_switched_off_kinds_are_not_sent(session, home):
    user, provider = home["user"], home["provider"]
    user.notify_reading_reminders = False
    session.add(user)
    session.flush()
    assert run(session, moscow(16)) == {}
    provider.remind_window_closing = False
    session.add(provider)
    session.flush()
    assert run(session, moscow(24)) == {}


def test_unlinked_unconfirmed_or_blocked_residents_get_nothing(session, home):
    session.delete(session.exec(select(AccountLink)).one())
    blocked, unconfirmed = make_user(session, blocked=True), make_user(session, confirmed=False)
    for user in (blocked, unconfirmed):
        session.add(AccountLink(user_id=user.id, account_id=home["account"].id))
    session.flush()
    assert run(session, moscow(16)) == {} and letters(session) == []


def test_a_family_gets_one_letter_each(session, home):
    other = make_user(session)
    session.add(AccountLink(user_id=other.id, account_id=home["account"].id, nickname="Мамина квартира"))
    session.flush()
    assert run(session, moscow(16)) == {"window_opens": 2}
    assert {letter.to_address for letter in letters(session)} == {home["user"].email, other.email}


def test_two_runners_at_once_send_each_reminder_once(engine, session, home):
    session.commit()
    barrier, errors = threading.Barrier(2), []

    def runner() -> None:
        try:
            with Session(engine) as own:
                barrier.wait()
                send_due_reminders(now=moscow(16), session=own)
                own.commit()
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with Session(engine) as check:
        assert errors == []
        assert len(sent(check)) == 1 and len(letters(check)) == 1


def test_unsubscribe_turns_off_only_its_kind(session, home):
    user = home["user"]
    assert unsubscribe(unsubscribe_token(user.id, "verification"), session=session) == "verification"
    session.refresh(user)
    assert (user.notify_verification, user.notify_reading_reminders, user.notify_window_closing) == (False, True, True)
    assert (user.notify_new_bill, user.notify_payment_receipts) == (True, True)


@pytest.mark.parametrize(
    "make_token",
    [
        lambda user_id: tampered(unsubscribe_token(user_id, "new_bill")),
        lambda user_id: unsubscribe_token(user_id + 1, "new_bill").replace(str(user_id + 1), str(user_id), 1),
        lambda user_id: signed_token("confirm_email", f"{user_id}-new_bill"),
        lambda user_id: signed_token("unsubscribe", f"{user_id}-notify_payment_receipts"),
        lambda _user_id: "garbage",
    ],
    ids=["tampered", "other-user", "other-purpose", "other-switch", "garbage"],
)
def test_a_bad_unsubscribe_token_is_refused(session, home, make_token):
    user = home["user"]
    with pytest.raises(DomainError) as refused:
        unsubscribe(make_token(user.id), session=session)
    assert refused.value.code == "unsubscribe_invalid"
    session.refresh(user)
    assert user.notify_new_bill and user.notify_payment_receipts


def test_the_unsubscribe_headers_reach_resend(engine, session, home):
    run(session, moscow(16))
    session.commit()
    with serve_stand_ins(engine), Session(engine, expire_on_commit=False) as delivering:
        assert mail.deliver_due(session=delivering, now=moscow(16)).sent == 1
        delivering.commit()
        (stored,) = delivering.exec(select(SandboxResendEmail)).all()
    headers = json.loads(stored.body)["headers"]
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/api/unsubscribe/" in headers["List-Unsubscribe"]


def test_one_click_post_turns_the_kind_off_and_a_tampered_one_is_refused(app_database, session, home):
    session.commit()
    user_id = home["user"].id
    client = TestClient(build_api(get_settings()))
    token = unsubscribe_token(user_id, "window_closing")
    assert client.post(f"/api/unsubscribe/{token[:-1]}x").status_code == 400
    response = client.post(f"/api/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and response.json()["switch"] == "window_closing"
    opened = client.get(f"/api/unsubscribe/{token}", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"].endswith(f"/unsubscribe/{token}")
    with Session(app_database) as check:
        user = check.get(User, user_id)
        assert (user.notify_window_closing, user.notify_reading_reminders) == (False, True)


def test_settings_save_each_reminder_switch_and_show_it(session, home):
    user = home["user"]
    switches = {"notify_window_closing": False, "notify_verification": True, "notify_new_bill": False}
    saved = save_profile(
        session=session,
        user_id=user.id,
        full_name="",
        phone="",
        notify_receipts=True,
        notify_reminders=True,
        reminders=switches,
        now=moscow(16),
    )
    shown = profile_of(session=session, user_id=user.id)
    assert saved == shown
    assert (shown.notify_window_closing, shown.notify_verification, shown.notify_new_bill) == (False, True, False)
    assert run(session, moscow(24)) == {"window_opens": 1}  # «closes soon» is off: the one who wants «opens» gets it


def test_the_demo_makes_every_kind_due_once(session):
    assert seed_demo(session=session, today=dt.date(2026, 11, 25)).created
    counts = run(session, moscow(25))
    assert set(counts) == {kind.value for kind in ReminderKind}
    assert seed_demo(session=session, today=dt.date(2026, 11, 25)).created == 0
    assert run(session, moscow(25, 13)) == {}


def test_the_runner_pass_sends_what_is_due_today_once(app_database, session, monkeypatch):
    # Readings taken all month and «closes in 31 days»: due whatever today is; the hour must not matter either.
    monkeypatch.setenv("REMINDERS_QUIET_HOURS", "false")
    get_settings.cache_clear()
    provider = make_provider(session, reading_window_start_day=1, reading_window_end_day=31, reminder_closing_days=31)
    account = make_account(session, provider)
    make_meter(session, account)
    session.add(AccountLink(user_id=make_user(session).id, account_id=account.id))
    session.commit()
    background.reminders_pass()
    background.reminders_pass()
    with Session(app_database) as check:
        assert sent(check) == [("window_closing", account.id)] and len(letters(check)) == 1
