"""The provider form and its rules: INN check digits, the account pattern, each field's limits (no database)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import AccountChecksum, OwnershipCheck, Provider, ReadingWindowPolicy
from cabinet.money import parse_rubles
from cabinet.services.accounts import luhn_is_valid, normalize_account_number
from cabinet.services.identity import parse_email
from cabinet.services.readings import UNIT
from cabinet.services.receipt_images import shown_receipt_image

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
# (field, longest, required) of the form's free texts.
_TEXTS = (
    ("name", 200, True),
    ("service_description", 200, False),
    ("account_format_description", 200, True),
    ("hint_text", 1000, False),
    ("unavailable_message", 500, False),
    ("support_phone", 40, False),
)
_CHOICES = (
    ("account_checksum", AccountChecksum),
    ("ownership_check", OwnershipCheck),
    ("reading_window_policy", ReadingWindowPolicy),
)


def inn_is_valid(inn: str) -> bool:
    """The check digits of a Russian taxpayer number (10 digits for companies, 12 for people)."""
    if not inn.isdigit() or len(inn) not in (10, 12):
        return False
    digits = [int(char) for char in inn]

    def check(weights: tuple[int, ...]) -> int:
        return sum(weight * digit for weight, digit in zip(weights, digits, strict=False)) % 11 % 10

    if len(inn) == 10:
        return check(_INN10) == digits[9]
    return check(_INN11) == digits[10] and check(_INN12) == digits[11]


@dataclasses.dataclass(frozen=True)
class ProviderForm:
    """What the provider form holds, as typed; `validate_provider` turns it into values."""

    name: str = ""
    inn: str = ""
    service_description: str = ""
    account_pattern: str = r"\d{10}"
    account_format_description: str = ""
    account_example: str = ""
    account_checksum: str = "none"
    hint_text: str = ""
    receipt_image: str = ""
    ownership_check: str = "none"
    reading_window_start_day: str = "15"
    reading_window_end_day: str = "25"
    reading_window_policy: str = "block"
    allow_zero_consumption: bool = True
    allow_rollover: bool = True
    consumption_cap: str = ""
    support_email: str = ""
    support_phone: str = ""
    unavailable_message: str = ""
    # The provider's own YooKassa shop for split payments, as typed; "" — the platform's shop takes the money.
    yookassa_account_id: str = ""
    # Reminders (services/reminders.py): «closes in N days» as typed, and a switch per kind.
    reminder_closing_days: str = "3"
    remind_window_opens: bool = True
    remind_window_closing: bool = True
    remind_verification: bool = True
    remind_new_bill: bool = True

    def texts(self) -> dict[str, str]:
        """Every field but the switches, as the page's inputs hold them."""
        return {name: str(getattr(self, name)) for name in TEXT_FIELDS}

    def switches(self) -> dict[str, bool]:
        """The reminder switches, as the page's checkboxes hold them."""
        return {name: bool(getattr(self, name)) for name in REMINDER_SWITCHES}

    @classmethod
    def from_texts(
        cls,
        texts: Mapping[str, str],
        *,
        allow_zero_consumption: bool,
        allow_rollover: bool,
        switches: Mapping[str, bool] | None = None,
    ) -> ProviderForm:
        """The form from the page's texts and switches; a reminder switch not given stays on."""
        given = switches or {}
        return cls(
            **{name: texts.get(name, "") for name in TEXT_FIELDS},
            allow_zero_consumption=allow_zero_consumption,
            allow_rollover=allow_rollover,
            **{name: bool(given.get(name, True)) for name in REMINDER_SWITCHES},
        )


TEXT_FIELDS = tuple(field.name for field in dataclasses.fields(ProviderForm) if field.type in ("str", str))
# The provider's switch per kind of reminder (both verification kinds share one).
REMINDER_SWITCHES = ("remind_window_opens", "remind_window_closing", "remind_verification", "remind_new_bill")
CLOSING_DAYS = (1, 15)
# A YooKassa shop id (its shopId) is digits; the column holds 32 characters.
SHOP_ID_MAX = 32


class ProviderInvalid(DomainError):
    """The form has mistakes; `errors` maps field name → DomainError."""

    def __init__(self, errors: dict[str, DomainError]) -> None:
        super().__init__("form_has_errors")
        self.errors = errors


def provider_form(provider: Provider) -> ProviderForm:
    cap = provider.consumption_cap_thousandths
    return ProviderForm(
        name=provider.name,
        inn=provider.inn,
        service_description=provider.service_description,
        account_pattern=provider.account_pattern,
        account_format_description=provider.account_format_description,
        account_example=provider.account_example,
        account_checksum=provider.account_checksum.value,
        hint_text=provider.hint_text,
        # A picture stored before the address rules is left out: not shown, and dropped when saved.
        receipt_image=shown_receipt_image(provider.receipt_image, allowed_hosts=get_settings().receipt_image_hosts),
        ownership_check=provider.ownership_check.value,
        reading_window_start_day=str(provider.reading_window_start_day),
        reading_window_end_day=str(provider.reading_window_end_day),
        reading_window_policy=provider.reading_window_policy.value,
        allow_zero_consumption=provider.allow_zero_consumption,
        allow_rollover=provider.allow_rollover,
        consumption_cap="" if cap is None else f"{cap / UNIT:g}".replace(".", ","),
        support_email=provider.support_email,
        support_phone=provider.support_phone,
        unavailable_message=provider.unavailable_message,
        yookassa_account_id=provider.yookassa_account_id,
        reminder_closing_days=str(provider.reminder_closing_days),
        **{name: bool(getattr(provider, name)) for name in REMINDER_SWITCHES},
    )


def check_pattern(pattern: str, example: str, checksum: str) -> None:
    """The pattern compiles and the example fits it (and its check digit): what the form tests live."""
    try:
        compiled = re.compile(pattern)
    except re.error:
        raise DomainError("provider_pattern_invalid", field="account_pattern") from None
    normalized = normalize_account_number(example)
    if not compiled.fullmatch(normalized):
        raise DomainError("provider_example_mismatch", field="account_example")
    if checksum == AccountChecksum.luhn.value and not luhn_is_valid(normalized):
        raise DomainError("provider_example_checksum", field="account_example")


def validate_provider(form: ProviderForm) -> dict:
    """The provider's column values, or ProviderInvalid naming every bad field."""
    errors: dict[str, DomainError] = {}
    values = {
        **_texts(form, errors),
        "receipt_image": form.receipt_image.strip(),  # checked by _provider_values, which has the database
        **_inn(form, errors),
        **_account_rules(form, errors),
        **_choices(form, errors),
        **_reading_rules(form, errors),
        **_support_email(form, errors),
        **_shop(form, errors),
        **_reminders(form, errors),
    }
    if errors:
        raise ProviderInvalid(errors)
    return values


def _texts(form: ProviderForm, errors: dict[str, DomainError]) -> dict:
    values = {}
    for field, limit, required in _TEXTS:
        raw = str(getattr(form, field))
        # The hint keeps its line breaks; every other text is one line with single spaces.
        value = raw.strip() if field == "hint_text" else " ".join(raw.split())
        if required and not value:
            errors[field] = DomainError("field_required")
        elif len(value) > limit:
            errors[field] = DomainError("field_too_long", max=limit)
        values[field] = value
    return values


def _inn(form: ProviderForm, errors: dict[str, DomainError]) -> dict:
    inn = re.sub(r"\s", "", form.inn)
    if not inn_is_valid(inn):
        errors["inn"] = DomainError("provider_inn_invalid")
    return {"inn": inn}


def _account_rules(form: ProviderForm, errors: dict[str, DomainError]) -> dict:
    pattern, example = form.account_pattern.strip(), normalize_account_number(form.account_example)
    if not pattern:
        errors["account_pattern"] = DomainError("field_required")
    elif len(pattern) > 200:
        errors["account_pattern"] = DomainError("field_too_long", max=200)
    else:
        try:
            check_pattern(pattern, example, form.account_checksum)
        except DomainError as error:
            errors[error.field] = error
    return {"account_pattern": pattern, "account_example": example}


def _choices(form: ProviderForm, errors: dict[str, DomainError]) -> dict:
    values = {}
    for field, enum in _CHOICES:
        try:
            values[field] = enum(getattr(form, field))
        except ValueError:
            errors[field] = DomainError("field_choice")
    return values


def _reading_rules(form: ProviderForm, errors: dict[str, DomainError]) -> dict:
    values: dict = {}
    for field in ("reading_window_start_day", "reading_window_end_day"):
        raw = str(getattr(form, field)).strip()
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 31:
            errors[field] = DomainError("provider_day_invalid")
        else:
            values[field] = int(raw)
    values["allow_zero_consumption"] = bool(form.allow_zero_consumption)
    values["allow_rollover"] = bool(form.allow_rollover)
    values["consumption_cap_thousandths"] = _cap(form.consumption_cap.strip(), errors)
    return values


def _cap(cap: str, errors: dict[str, DomainError]) -> int | None:
    """Thousandths of a unit, or None for no cap."""
    if not cap:
        return None
    try:
        # The same grammar as money, in units instead of roubles: «150» or «150,5».
        hundredths = parse_rubles(cap)
    except DomainError:
        hundredths = 0
    if hundredths <= 0:
        errors["consumption_cap"] = DomainError("provider_cap_invalid")
        return None
    return hundredths * 10


def _support_email(form: ProviderForm, errors: dict[str, DomainError]) -> dict:
    support = form.support_email.strip()
    if not support:
        return {"support_email": ""}
    try:
        return {"support_email": parse_email(support).display}
    except DomainError as error:
        errors["support_email"] = error
        return {}


def _reminders(form: ProviderForm, errors: dict[str, DomainError]) -> dict:
    """«Closes in N days» (1–15) and the switch per kind of reminder."""
    values: dict = {name: bool(getattr(form, name)) for name in REMINDER_SWITCHES}
    raw, (low, high) = str(form.reminder_closing_days).strip(), CLOSING_DAYS
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        errors["reminder_closing_days"] = DomainError("provider_closing_days_invalid", min=low, max=high)
    else:
        values["reminder_closing_days"] = int(raw)
    return values


def _shop(form: ProviderForm, errors: dict[str, DomainError]) -> dict:
    """The provider's own YooKassa shop: empty (the platform's shop) or its shopId, ASCII digits only."""
    shop = re.sub(r"\s", "", form.yookassa_account_id)
    if shop and not (shop.isascii() and shop.isdigit() and len(shop) <= SHOP_ID_MAX):
        errors["yookassa_account_id"] = DomainError("provider_shop_invalid", max=SHOP_ID_MAX)
        return {}
    return {"yookassa_account_id": shop}
