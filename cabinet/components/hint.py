"""Hints: the instruction's step 7 promises one on every section, on a phone as on a desktop."""

from __future__ import annotations

from typing import Any

import reflex as rx


class _Hint(rx.Component):
    """assets/hint.jsx: a Radix popover opened by hover, keyboard focus or a tap, all in the browser."""

    library = "$/public/hint.jsx"
    tag = "Hint"

    text: rx.Var[str]
    text_id: rx.Var[str]


def tap_hint(trigger: rx.Component, text: str | rx.Var[str], *, text_id: str | rx.Var[str]) -> rx.Component:
    """`trigger` (a button) opens `text` on hover, keyboard focus and a tap; a tap elsewhere or Escape closes it.

    The bubble's id is `text_id`; the button points at it with aria-controls and, while open, aria-describedby.
    """
    return _Hint.create(trigger, text=text, text_id=text_id)


def with_hint(child: rx.Component, text: str) -> rx.Component:
    """Wraps `child` in a tooltip that opens on hover and on keyboard focus.

    Only for a hint that adds to what `child` already says in words: a tap on a link or a button
    must do what it says, so a phone shows no tooltip. A hint that carries information of its own
    belongs on a button of its own (`hint_icon`, or `tap_hint` as the demo badge does).
    """
    return rx.tooltip(child, content=text, delay_duration=200)


def hint_icon(text: str | rx.Var[str], *, id: str | rx.Var[str], **button_props: Any) -> rx.Component:
    """A «?» button that shows `text` in a bubble with the id `<id>-text`."""
    return tap_hint(
        rx.icon_button(
            rx.icon("circle-help", size=16),
            variant="ghost",
            size="1",
            radius="full",
            aria_label=text,
            id=id,
            type="button",
            **button_props,
        ),
        text,
        text_id=f"{id}-text" if isinstance(id, str) else id + "-text",
    )
