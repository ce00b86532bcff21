"""Shared by the forms that take a new password: the policy's rules, ticked as the user types."""

from __future__ import annotations

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
