"""Puts a service's refusal next to the input it names, on a form whose error vars are named per input."""

from __future__ import annotations

import reflex as rx

from cabinet.state.calls import Outcome


def clear_refusals(state: rx.State, *, fields: dict[str, str], fallback: str) -> None:
    for name in {*fields.values(), fallback}:
        setattr(state, name, "")


def show_refusal(state: rx.State, outcome: Outcome, *, fields: dict[str, str], fallback: str) -> None:
    """Sets every error var of the form: the outcome's message on the one for its field, "" on the others.

    `fields` maps the service's field names to the State's error vars; a refusal for any other field
    (FORM, or a field this form does not show) goes to `fallback`, so no refusal is ever lost.
    """
    clear_refusals(state, fields=fields, fallback=fallback)
    if not outcome.ok:
        setattr(state, fields.get(outcome.field, fallback), outcome.message)
