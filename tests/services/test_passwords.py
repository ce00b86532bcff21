"""The instruction's password policy: Latin letters and digits only, 5 to 10 characters."""

from __future__ import annotations

import pytest

from cabinet.errors import DomainError
from cabinet.services.passwords import (
    check_new_password,
    hash_password,
    password_violations,
    verify_password,
)

BOUNDS = {"min_length": 5, "max_length": 10}


@pytest.mark.parametrize(
    ("password", "broken"),
    [
        ("abcd", ["length"]),  # 4: one short
        ("abc12", []),  # 5: the lower bound
        ("Abcde12345", []),  # 10: the upper bound
        ("Abcde123456", ["length"]),  # 11: one long
        ("пароль12", ["latin_and_digits"]),  # Cyrillic letters
        ("abc 123", ["latin_and_digits"]),  # a space
        ("abc_123", ["latin_and_digits"]),  # a symbol
        ("abc!123", ["latin_and_digits"]),
        ("ａｂｃ123", ["latin_and_digits"]),  # full-width Latin is not ASCII
        ("١٢٣٤٥", ["latin_and_digits"]),  # Arabic-Indic digits are not ASCII either
        ("", ["latin_and_digits", "length"]),
    ],
)
def test_policy_edges(password, broken):
    assert password_violations(password, **BOUNDS) == broken


def test_bounds_come_from_the_caller():
    assert password_violations("abcdef", min_length=8, max_length=12) == ["length"]


@pytest.mark.parametrize(
    ("password", "repeated", "code"),
    [
        ("", "", "password_required"),
        ("abc", "abc", "password_length"),
        ("пароль1", "пароль1", "password_latin_and_digits"),
        ("abc123", "abc124", "password_mismatch"),
    ],
)
def test_new_password_errors_are_coded(password, repeated, code):
    with pytest.raises(DomainError) as raised:
        check_new_password(password, repeated, **BOUNDS)
    assert raised.value.code == code


def test_hash_verifies_only_the_same_password():
    stored = hash_password("abc123")
    assert stored.startswith("$2b$") and "abc123" not in stored
    assert verify_password("abc123", stored)
    assert not verify_password("abc124", stored)
    assert not verify_password("abc123", "not-a-bcrypt-hash")


def test_production_cost_is_at_least_12():
    from cabinet.config import Settings

    assert Settings.model_fields["bcrypt_rounds"].default >= 12
