"""The provider form's rules, without a database: INN check digits, the account pattern, each field's limits."""

from __future__ import annotations

import dataclasses

import pytest

from cabinet import texts
from cabinet.errors import DomainError
from cabinet.services.provider_form import ProviderForm, ProviderInvalid, check_pattern, inn_is_valid, validate_provider


def _form(**changes) -> ProviderForm:
    values = dict(
        name="ООО «Теплосеть»",
        inn="7707083893",
        account_pattern=r"\d{9}",
        account_format_description="9 цифр",
        account_example="123 456 789",
    )
    values.update(changes)
    return ProviderForm(**values)


@pytest.mark.parametrize(
    ("inn", "valid"),
    [
        ("7707083893", True),
        ("7707083894", False),
        ("500100732259", True),
        ("500100732258", False),
        ("77070838", False),
        ("77070838ab", False),
    ],
)
def test_inn_checksum(inn, valid):
    assert inn_is_valid(inn) is valid


@pytest.mark.parametrize(
    ("pattern", "example", "checksum", "code", "field"),
    [
        (r"[0-9", "1", "none", "provider_pattern_invalid", "account_pattern"),
        (r"\d{8}", "1234567", "none", "provider_example_mismatch", "account_example"),
        (r"\d{8}", "12345675", "luhn", "provider_example_checksum", "account_example"),
    ],
)
def test_pattern_is_tested_against_the_example(pattern, example, checksum, code, field):
    with pytest.raises(DomainError) as raised:
        check_pattern(pattern, example, checksum)
    assert (raised.value.code, raised.value.field) == (code, field)
    check_pattern(r"\d{8}", "12345674", "luhn")


def test_values_come_out_cleaned_and_typed():
    values = validate_provider(
        _form(
            name="  ООО   «Теплосеть» ",
            hint_text=" Строка\nвторая ",
            consumption_cap="150,5",
            support_email="Help@Example.com",
            inn="7707 083 893",
        )
    )
    assert (values["name"], values["hint_text"], values["inn"]) == ("ООО «Теплосеть»", "Строка\nвторая", "7707083893")
    assert (values["account_example"], values["consumption_cap_thousandths"]) == ("123456789", 150_500)
    assert (values["reading_window_start_day"], values["support_email"]) == (15, "Help@example.com")
    assert validate_provider(_form(consumption_cap=""))["consumption_cap_thousandths"] is None


@pytest.mark.parametrize("day", ["0", "32", "²", "١٥", "15.5", ""])
def test_a_window_day_outside_1_to_31_is_refused_not_a_crash(day):
    with pytest.raises(ProviderInvalid) as raised:
        validate_provider(_form(reading_window_end_day=day))
    assert {field: error.code for field, error in raised.value.errors.items()} == {
        "reading_window_end_day": "provider_day_invalid"
    }


def test_the_form_goes_to_the_page_and_back_as_texts():
    form = _form(allow_rollover=False)
    texts = form.texts()
    assert "allow_rollover" not in texts and texts["inn"] == "7707083893" and texts["reading_window_start_day"] == "15"
    again = ProviderForm.from_texts(texts, allow_zero_consumption=True, allow_rollover=False)
    assert again == form and dataclasses.replace(again, name="Другой") != form


@pytest.mark.parametrize("days", ["0", "16", "", "три", "3,5", "-2", "١٥"])
def test_closing_days_outside_1_to_15_are_refused_next_to_the_field_and_kept(days):
    form = _form(reminder_closing_days=days)
    with pytest.raises(ProviderInvalid) as raised:
        validate_provider(form)
    error = raised.value.errors["reminder_closing_days"]
    assert set(raised.value.errors) == {"reminder_closing_days"} and error.code == "provider_closing_days_invalid"
    assert texts.error_text(error.code, **error.params) == "Число дней — целое, от 1 до 15."
    # What was typed goes back to the page as it was.
    assert form.texts()["reminder_closing_days"] == days


def test_closing_days_and_the_reminder_switches_come_out_typed():
    values = validate_provider(_form(reminder_closing_days=" 15 ", remind_new_bill=False))
    assert values["reminder_closing_days"] == 15
    assert (values["remind_window_opens"], values["remind_verification"], values["remind_new_bill"]) == (
        True,
        True,
        False,
    )
    assert validate_provider(_form(reminder_closing_days="1"))["reminder_closing_days"] == 1


def test_the_reminder_switches_go_to_the_page_and_back():
    form = _form(remind_window_closing=False, reminder_closing_days="5")
    assert "remind_window_closing" not in form.texts() and form.texts()["reminder_closing_days"] == "5"
    assert form.switches() == {
        "remind_window_opens": True,
        "remind_window_closing": False,
        "remind_verification": True,
        "remind_new_bill": True,
    }
    again = ProviderForm.from_texts(
        form.texts(), allow_zero_consumption=True, allow_rollover=True, switches=form.switches()
    )
    assert again == form
