"""Turns service results into the strings pages show: select options, notification outcomes."""

from __future__ import annotations

import dataclasses

from cabinet import texts

# Worded with the dashboard (services/dashboard_view.py); the pay page's State reads it from here.
from cabinet.services.dashboard_view import account_subtitle as account_subtitle


@dataclasses.dataclass(frozen=True)
class Choice:
    """An option of a select: the value sent back and the label shown."""

    value: str
    label: str


def notification_outcome(outcome: str) -> str:
    """The log keeps what was done with a notification in English; operators read it in Russian."""
    outcomes = texts.ADMIN["notification_outcomes"]
    if outcome in outcomes:
        return outcomes[outcome]
    # "now succeeded", "stays pending", "unknown status 'x'", "gateway timeout": a key and a value.
    for key in sorted(outcomes, key=len, reverse=True):
        if outcome.startswith(key + " "):
            value = outcome[len(key) + 1:].strip("'\"")
            status = texts.PAYMENTS["statuses"].get(value, value)
            return outcomes[key].format(status=status)
    return outcome
