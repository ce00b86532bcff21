"""A resident's own data («Дополнительные данные»): name, phone, notification preferences."""

from __future__ import annotations

import datetime as dt

import phonenumbers
from sqlmodel import Session

from cabinet.models import User
from cabinet.services.audit import record_event
from cabinet.errors import DomainError

FULL_NAME_MAX_LENGTH = 200


def normalize_phone(text: str) -> str:
    """«8 (912) 345-67-89» -> «+79123456789»; empty stays empty; DomainError('phone_invalid')."""
    cleaned = text.strip()
    if not cleaned:
        return ""
    try:
        number = phonenumbers.parse(cleaned, "RU")
    except phonenumbers.NumberParseException:
        raise DomainError("phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise DomainError("phone_invalid")
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
) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise DomainError("not_found")
    name = " ".join(full_name.split())
    if len(name) > FULL_NAME_MAX_LENGTH:
        raise DomainError("full_name_too_long", max=FULL_NAME_MAX_LENGTH)
    phone_e164 = normalize_phone(phone)
    before = {"full_name": user.full_name, "phone": user.phone}
    user.full_name = name
    user.phone = phone_e164
    user.notify_payment_receipts = notify_payment_receipts
    user.notify_reading_reminders = notify_reading_reminders
    user.updated_at = now
    session.add(user)
    record_event(
        session=session, action="profile_updated", now=now, actor_user_id=user_id, client_address=client_address,
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
