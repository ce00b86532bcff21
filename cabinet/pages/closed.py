"""/closed: where a resident lands after closing their cabinet — what happened, and the way back in."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.layout import page_shell


def closed_page() -> rx.Component:
    words = texts.CLOSED
    return page_shell(
        rx.card(
            rx.vstack(
                rx.heading(words["title"], size="6", as_="h1", id="closed-title"),
                rx.text(words["text"], size="3", id="closed-text"),
                rx.text(words["kept"], size="3", color=rx.color("gray", 11)),
                rx.flex(
                    rx.button(rx.link(words["again"], href="/register", id="closed-register"), as_child=True, size="3"),
                    rx.button(
                        rx.link(words["home"], href="/", id="closed-home"), as_child=True, size="3", variant="soft"
                    ),
                    spacing="3",
                    wrap="wrap",
                ),
                spacing="3",
                max_width="640px",
            ),
            size="3",
        )
    )
