"""Profile: name trimmed, phone validated and kept in E.164, preferences saved, audited."""

from __future__ import annotations

import pytest
from sqlmodel import select

from cabinet.errors import DomainError
from cabinet.models import AuditEvent
from cabinet.services.profile import display_phone, normalize_phone, profile_of, save_profile, update_profile
from tests.factories import NOW, make_user


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("8 (912) 345-67-89", "+79123456789"),
        ("+7 912 345 67 89", "+79123456789"),
        ("9123456789", "+79123456789"),
        ("", ""),
    ],
)
def test_phone_is_stored_in_e164(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "phone", "+7 000 000-00-00"])
def test_bad_phone_is_refused(typed):
    with pytest.raises(DomainError) as raised:
        normalize_phone(typed)
    assert raised.value.code == "phone_invalid"


def test_display_phone():
    assert display_phone("+79123456789") == "+7 912 345-67-89"


def test_update_profile_saves_and_audits(session):
    user = make_user(session)
    update_profile(
        session=session,
        user_id=user.id,
        full_name="  Иванов   Иван ",
        phone="8 912 345 67 89",
        notify_payment_receipts=False,
        notify_reading_reminders=True,
        now=NOW,
    )
    assert (user.full_name, user.phone, user.notify_payment_receipts) == ("Иванов Иван", "+79123456789", False)
    event = session.exec(select(AuditEvent)).one()
    assert event.action == "profile_updated" and "Иванов Иван" in event.details


def test_bad_phone_changes_nothing(session):
    user = make_user(session)
    with pytest.raises(DomainError):
        update_profile(
            session=session,
            user_id=user.id,
            full_name="Новое Имя",
            phone="123",
            notify_payment_receipts=True,
            notify_reading_reminders=True,
            now=NOW,
        )
    assert user.full_name == ""


def test_the_settings_entries_show_and_save_the_profile_ready_to_show(app_database, session):
    user = make_user(session, email="anna@example.com")
    session.commit()
    shown = profile_of(user_id=user.id)
    assert (shown.email, shown.full_name, shown.phone, shown.notify_receipts) == ("anna@example.com", "", "", True)
    saved = save_profile(
        user_id=user.id,
        full_name=" Анна  Смирнова ",
        phone="8 912 345 67 89",
        notify_receipts=False,
        notify_reminders=True,
        now=NOW,
    )
    assert (saved.full_name, saved.phone, saved.notify_receipts) == ("Анна Смирнова", "+7 912 345-67-89", False)
    assert profile_of(user_id=user.id) == saved


@pytest.mark.parametrize(("changes", "field"), [({"phone": "123"}, "phone"), ({"full_name": "Я" * 201}, "full_name")])
def test_a_refused_profile_names_its_field_and_saves_nothing(app_database, session, changes, field):
    user = make_user(session)
    session.commit()
    values = dict(full_name="Новое Имя", phone="", notify_receipts=True, notify_reminders=True, now=NOW)
    with pytest.raises(DomainError) as refused:
        save_profile(user_id=user.id, **{**values, **changes})
    assert refused.value.field == field
    assert profile_of(user_id=user.id).full_name == ""
