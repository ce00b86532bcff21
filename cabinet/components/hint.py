"""A hover/focus hint: the instruction's step 7 promises one on every section."""

from __future__ import annotations

import reflex as rx


def with_hint(child: rx.Component, text: str) -> rx.Component:
    """Wraps `child` in a tooltip that opens on hover and on keyboard focus."""
    return rx.tooltip(child, content=text, delay_duration=200)


def hint_icon(text: str, *, id: str) -> rx.Component:
    """A focusable «?» that shows `text`."""
    return with_hint(
        rx.icon_button(
            rx.icon("circle-help", size=16),
            variant="ghost",
            size="1",
            radius="full",
            aria_label=text,
            id=id,
            type="button",
        ),
        text,
    )
