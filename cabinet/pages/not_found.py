"""The «page not found» page; also what anyone sees at an address that is not theirs."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.layout import page_shell


def not_found_page() -> rx.Component:
    return page_shell(
        rx.center(
            rx.vstack(
                rx.text("404", size="9", weight="bold", color=rx.color("gray", 10), aria_hidden="true"),
                rx.heading(texts.NOT_FOUND["title"], size="6", as_="h1", id="not-found-title"),
                rx.text(texts.NOT_FOUND["text"], color=rx.color("gray", 11)),
                rx.link(rx.button(texts.NOT_FOUND["home"], size="3"), href="/", id="not-found-home"),
                align="center",
                spacing="3",
                text_align="center",
            ),
            padding_y="64px",
        )
    )
