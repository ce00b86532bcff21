"""A resident's own data («Дополнительные данные»): name, phone, notification preferences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import phonenumbers
from sqlmodel import Session

from cabinet.errors import DomainError
from cabinet.models import User
from cabinet.services.audit import record_event
from cabinet.services.transactions import transactional

FULL_NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class Profile:
    """What «Настройки» shows of the resident, ready to show."""

    email: str
    full_name: str
    phone: str  # «+7 912 345-67-89», or ""
    notify_receipts: bool
    notify_reminders: bool  # the readings window opens
    notify_window_closing: bool = True
    notify_verification: bool = True
    notify_new_bill: bool = True


# The reminder switches besides «window opens», as Profile and the users table both name them.
REMINDER_SWITCHES = ("notify_window_closing", "notify_verification", "notify_new_bill")


def normalize_phone(text: str) -> str:
    """«8 (912) 345-67-89» -> «+79123456789»; empty stays empty; DomainError('phone_invalid')."""
    cleaned = text.strip()
    if not cleaned:
        return ""
    try:
        number = phonenumbers.parse(cleaned, "RU")
    except phonenumbers.NumberParseException:
        raise DomainError("phone_invalid", field="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise DomainError("phone_invalid", field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def update_profile(
    *,
    session: Session,
    user_id: int,
    full_name: str,
    phone: str,
    notify_payment_receipts: bool,
    notify_reading_reminders: bool,
    now: dt.datetime,
    client_address: str = "",
    reminders: dict[str, bool] | None = None,
) -> User:
    """Saves the form; `reminders` sets the other reminder switches it names (REMINDER_SWITCHES), the rest stay."""
    user = session.get(User, user_id)
    if user is None:
        raise DomainError("not_found")
    name = " ".join(full_name.split())
    if len(name) > FULL_NAME_MAX_LENGTH:
        raise DomainError("full_name_too_long", field="full_name", max=FULL_NAME_MAX_LENGTH)
    phone_e164 = normalize_phone(phone)
    before = {"full_name": user.full_name, "phone": user.phone}
    user.full_name = name
    user.phone = phone_e164
    user.notify_payment_receipts = notify_payment_receipts
    user.notify_reading_reminders = notify_reading_reminders
    for switch, value in (reminders or {}).items():
        if switch in REMINDER_SWITCHES:
            setattr(user, switch, bool(value))
    user.updated_at = now
    session.add(user)
    record_event(
        session=session,
        action="profile_updated",
        now=now,
        actor_user_id=user_id,
        client_address=client_address,
        details={"before": before, "after": {"full_name": user.full_name, "phone": user.phone}},
    )
    return user


def display_phone(e164: str) -> str:
    """+79123456789 -> «+7 912 345-67-89»."""
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def _profile(user: User) -> Profile:
    return Profile(
        email=user.email,
        full_name=user.full_name,
        phone=display_phone(user.phone),
        notify_receipts=user.notify_payment_receipts,
        notify_reminders=user.notify_reading_reminders,
        **{switch: getattr(user, switch) for switch in REMINDER_SWITCHES},
    )


@transactional()
def profile_of(*, session: Session, user_id: int) -> Profile:
    user = session.get(User, user_id)
    if user is None:
        raise DomainError("not_found")
    return _profile(user)


@transactional()
def save_profile(
    *,
    session: Session,
    user_id: int,
    full_name: str,
    phone: str,
    notify_receipts: bool,
    notify_reminders: bool,
    now: dt.datetime,
    client_address: str = "",
    reminders: dict[str, bool] | None = None,
) -> Profile:
    """«Сохранить» in «Дополнительные данные» (see update_profile); returns the profile as saved, tidied."""
    user = update_profile(
        session=session,
        user_id=user_id,
        full_name=full_name,
        phone=phone,
        notify_payment_receipts=notify_receipts,
        notify_reading_reminders=notify_reminders,
        now=now,
        client_address=client_address,
        reminders=reminders,
    )
    return _profile(user)
