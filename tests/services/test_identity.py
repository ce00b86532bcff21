"""E-mail logins: IDN domains accepted, case folded for uniqueness, garbage refused."""

from __future__ import annotations

import pytest

from cabinet.errors import DomainError
from cabinet.services.identity import parse_email


def test_idn_domain_is_accepted_and_kept_readable():
    address = parse_email("  Ivan.Petrov@Смородина.Онлайн ")
    assert address.display == "Ivan.Petrov@смородина.онлайн"
    assert address.canonical == "ivan.petrov@смородина.онлайн"


def test_case_does_not_make_a_new_address():
    assert parse_email("USER@Example.COM").canonical == parse_email("user@example.com").canonical


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "email_required"),
        ("   ", "email_required"),
        ("user@", "email_invalid"),
        ("user@host", "email_invalid"),
        ("два слова@example.com", "email_invalid"),
    ],
)
def test_bad_addresses_are_refused(typed, code):
    with pytest.raises(DomainError) as raised:
        parse_email(typed)
    assert raised.value.code == code
