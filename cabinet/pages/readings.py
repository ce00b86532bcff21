"""/accounts/<id>/readings: hand in meter readings without paying."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.layout import page_shell
from cabinet.components.loading import when_loaded
from cabinet.components.readings import readings_form
from cabinet.state.readings import ReadingsState


def _not_found() -> rx.Component:
    return rx.callout(texts.error_text("not_found"), icon="search-x", color_scheme="gray", id="readings-not-found")


def account_header(title: rx.Var[str], subtitle: rx.Var[str], *, id: str) -> rx.Component:
    """Back link, the account's name and its provider, number and address."""
    return rx.vstack(
        rx.link(
            rx.hstack(rx.icon("arrow-left", size=16), texts.READINGS["back"], spacing="1", align="center"),
            href="/",
            size="2",
            id=f"{id}-back",
        ),
        rx.heading(title, size=rx.breakpoints(initial="6", sm="7"), as_="h1", id=f"{id}-title"),
        rx.text(subtitle, size="2", color=rx.color("gray", 11), id=f"{id}-account"),
        spacing="2",
        width="100%",
    )


def readings_page() -> rx.Component:
    return page_shell(
        when_loaded(
            ReadingsState.loaded,
            rx.cond(
                ReadingsState.not_found,
                _not_found(),
                rx.vstack(
                    account_header(ReadingsState.title, ReadingsState.subtitle, id="readings"),
                    rx.card(
                        rx.vstack(
                            rx.heading(texts.READINGS["title"], size="4", as_="h2"),
                            rx.text(texts.READINGS["lead"], size="2", color=rx.color("gray", 11)),
                            rx.cond(
                                ReadingsState.rows.length() > 0,
                                readings_form(),
                                rx.text(texts.READINGS["no_meters"], id="readings-no-meters"),
                            ),
                            spacing="3",
                            width="100%",
                        ),
                        size=rx.breakpoints(initial="2", sm="3"),
                        width="100%",
                        max_width="720px",
                    ),
                    spacing="4",
                    width="100%",
                ),
            ),
            id="readings-loading",
        )
    )
