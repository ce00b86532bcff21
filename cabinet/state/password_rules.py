"""Shared by the forms that take a new password: the policy's rules, ticked as the user types."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.config import get_settings
from cabinet.services.passwords import PASSWORD_RULES, password_violations


def rule_marks(password: str) -> list[list[str]]:
    """[[rule text, "ok" | "bad" | "idle"]] for the live checklist under a password field."""
    settings = get_settings()
    bounds = {"min_length": settings.password_min_length, "max_length": settings.password_max_length}
    broken = password_violations(password, **bounds) if password else []
    return [
        [
            texts.PASSWORD_RULES[rule].format(min=bounds["min_length"], max=bounds["max_length"]),
            "idle" if not password else ("bad" if rule in broken else "ok"),
        ]
        for rule in PASSWORD_RULES
    ]


def link_token(path: str) -> str:
    """The token of an e-mailed link, the last part of its path: /reset/<token>, /staff/invitation/<token>."""
    return path.rstrip("/").rsplit("/", 1)[-1]


# The service's field → the form's error var, for forms that take a new password twice.
NEW_PASSWORD_FIELDS = {"password": "password_error", "password_repeat": "password_repeat_error"}


class NewPasswordForm(rx.State, mixin=True):
    """A new password typed twice, its rules ticked as the user types (the reset and invitation links)."""

    password: str = ""
    password_repeat: str = ""
    password_error: str = ""
    password_repeat_error: str = ""
    busy: bool = False

    @rx.var
    def password_marks(self) -> list[list[str]]:
        return rule_marks(self.password)

    @rx.event
    def set_password(self, value: str) -> None:
        self.password = value[:128]
        self.password_error = ""

    @rx.event
    def set_password_repeat(self, value: str) -> None:
        self.password_repeat = value[:128]
        self.password_repeat_error = ""

    def _clear_password_form(self) -> None:
        self.password = self.password_repeat = self.password_error = self.password_repeat_error = ""
