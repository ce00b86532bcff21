"""The start page: what the cabinet is, how to begin, which providers are connected."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.loading import when_loaded
from cabinet.config import get_settings
from cabinet.state.start import ProviderCard, StartState


def _step(number: int, title: str, text: str) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.center(
                rx.text(str(number), weight="bold", color="white"),
                width="32px",
                height="32px",
                min_width="32px",
                border_radius="50%",
                background_color=rx.color("accent", 9),
            ),
            rx.vstack(
                rx.text(title, weight="bold", size="3"),
                rx.text(text, size="2", color=rx.color("gray", 11)),
                spacing="1",
            ),
            align="start",
            spacing="3",
        ),
        id=f"start-step-{number}",
        size="2",
    )


def _provider(card: ProviderCard) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(card.name, size="4", as_="h3"),
            rx.text(card.service, size="2", color=rx.color("gray", 11)),
            rx.data_list.root(
                rx.data_list.item(
                    rx.data_list.label(texts.START["account_format"]),
                    rx.data_list.value(card.format_description),
                ),
                rx.data_list.item(
                    rx.data_list.label(texts.START["account_example"]),
                    rx.data_list.value(rx.code(card.example, variant="ghost", size="3")),
                ),
                orientation={"initial": "vertical", "sm": "horizontal"},
                size="2",
            ),
            rx.cond(
                card.receipt_image != "",
                rx.el.details(
                    rx.el.summary(
                        texts.START["receipt_summary"],
                        cursor="pointer",
                        color=rx.color("accent", 11),
                        font_size="14px",
                    ),
                    rx.vstack(
                        rx.text(card.hint_text, size="2"),
                        rx.image(
                            src=card.receipt_image,
                            alt=texts.START["receipt_alt"],
                            width="100%",
                            max_width="640px",
                            border_radius="8px",
                            border=f"1px solid {rx.color('gray', 5)}",
                            loading="lazy",
                        ),
                        spacing="2",
                        padding_top="8px",
                    ),
                ),
            ),
            spacing="2",
            width="100%",
        ),
        id=f"start-provider-{card.id}",
        width="100%",
    )


def start_content() -> rx.Component:
    support = get_settings().support_email
    return rx.vstack(
        rx.vstack(
            rx.heading(texts.START["title"], size={"initial": "7", "sm": "8"}, as_="h1", id="start-title"),
            rx.text(texts.START["lead"], size="4", color=rx.color("gray", 11), max_width="720px"),
            spacing="3",
            padding_y="16px",
        ),
        rx.heading(texts.START["steps_title"], size="5", as_="h2"),
        rx.grid(
            *[_step(index, title, text) for index, (title, text) in enumerate(texts.START["steps"], start=1)],
            columns={"initial": "1", "sm": "2"},
            spacing="3",
            width="100%",
            id="start-steps",
        ),
        rx.heading(texts.START["providers_title"], size="5", as_="h2", padding_top="16px"),
        rx.text(texts.START["providers_lead"], size="2", color=rx.color("gray", 11)),
        when_loaded(
            StartState.loaded,
            rx.cond(
                StartState.providers.length() > 0,
                rx.grid(
                    rx.foreach(StartState.providers, _provider),
                    columns={"initial": "1", "md": "2"},
                    spacing="3",
                    width="100%",
                    id="start-providers",
                ),
                rx.callout(texts.START["providers_empty"], icon="info", id="start-providers-empty"),
            ),
            id="start-loading",
            height="120px",
        ),
        rx.card(
            rx.vstack(
                rx.heading(texts.START["support_title"], size="4", as_="h2"),
                rx.text(
                    texts.START["support_text"],
                    " ",
                    rx.link(support, href=f"mailto:{support}", id="start-support-link"),
                    size="2",
                ),
                spacing="2",
            ),
            width="100%",
            margin_top="16px",
        ),
        spacing="3",
        width="100%",
    )
