"""/accounts/connect: choose the provider, type the account number, «?» shows where it is printed."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import form_alert, form_field
from cabinet.components.hint import with_hint
from cabinet.components.layout import page_shell
from cabinet.pages.connect_providers import hint_dialog, provider_picker
from cabinet.state.connect import OWNERSHIP_QUESTIONS, ConnectState


def _ownership_field() -> rx.Component:
    def field(kind: str) -> rx.Component:
        return form_field(
            texts.CONNECT[f"ownership_{kind}"],
            rx.input(
                value=ConnectState.ownership_answer,
                on_change=ConnectState.set_ownership_answer,
                id="connect-ownership",
                size="3",
                width="100%",
                input_mode="decimal" if kind == "last_bill" else ("numeric" if kind == "pin" else "text"),
                auto_complete="off",
                type="password" if kind == "pin" else "text",
            ),
            field_id="connect-ownership",
            error=ConnectState.ownership_error,
            help_text=texts.CONNECT[f"ownership_{kind}_help"],
        )

    return rx.match(ConnectState.ownership_kind, *[(kind, field(kind)) for kind in OWNERSHIP_QUESTIONS], rx.fragment())


def _number_field() -> rx.Component:
    return form_field(
        texts.CONNECT["number"],
        rx.hstack(
            rx.input(
                value=ConnectState.number,
                on_change=ConnectState.set_number,
                id="connect-number",
                size="3",
                width="100%",
                auto_complete="off",
                placeholder=rx.cond(ConnectState.selected, ConnectState.selected.example, ""),
            ),
            hint_dialog(),
            width="100%",
            spacing="2",
        ),
        field_id="connect-number",
        error=ConnectState.number_error,
        help_text=texts.CONNECT["number_help"],
    )


def _nickname_field() -> rx.Component:
    return form_field(
        texts.CONNECT["nickname"],
        rx.input(
            value=ConnectState.nickname,
            on_change=ConnectState.set_nickname,
            id="connect-nickname",
            size="3",
            width="100%",
            max_length=40,
        ),
        field_id="connect-nickname",
        error=ConnectState.nickname_error,
        help_text=texts.CONNECT["nickname_help"],
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            provider_picker(),
            rx.cond(
                ConnectState.selected & (ConnectState.selected.unavailable_message != ""),
                rx.callout(
                    ConnectState.selected.unavailable_message, icon="construction", color_scheme="amber", width="100%"
                ),
            ),
            _number_field(),
            _ownership_field(),
            _nickname_field(),
            form_alert(ConnectState.form_error, id="connect-error"),
            rx.button(
                texts.CONNECT["submit"],
                type="submit",
                size="3",
                loading=ConnectState.busy,
                id="connect-submit",
                width=rx.breakpoints(initial="100%", sm="auto"),
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=ConnectState.submit,
        reset_on_submit=False,
        width="100%",
    )


def _linked() -> rx.Component:
    return rx.vstack(
        rx.cond(
            ConnectState.first_account,
            rx.callout.root(
                rx.callout.icon(rx.icon("party-popper")),
                rx.vstack(
                    rx.callout.text(texts.CONNECT["congratulations_title"], weight="bold"),
                    rx.callout.text(texts.CONNECT["congratulations_text"]),
                    spacing="1",
                ),
                color_scheme="grass",
                size="2",
                id="connect-congratulations",
                width="100%",
            ),
            rx.callout(
                ConnectState.linked_message, icon="check", color_scheme="grass", id="connect-linked", width="100%"
            ),
        ),
        rx.flex(
            rx.link(rx.button(texts.CONNECT["to_dashboard"], size="3"), href="/", id="connect-to-dashboard"),
            rx.button(
                texts.CONNECT["connect_more"],
                variant="soft",
                size="3",
                on_click=ConnectState.connect_another,
                id="connect-more",
            ),
            spacing="3",
            wrap="wrap",
        ),
        spacing="4",
        width="100%",
    )


def connect_page() -> rx.Component:
    return page_shell(
        rx.card(
            rx.vstack(
                with_hint(
                    rx.heading(
                        texts.CONNECT["title"],
                        size=rx.breakpoints(initial="5", sm="6"),
                        as_="h1",
                        id="connect-title",
                        tab_index=0,
                        width="fit-content",
                    ),
                    texts.CONNECT["lead"],
                ),
                rx.cond(
                    ConnectState.linked_number != "",
                    _linked(),
                    rx.vstack(
                        rx.text(
                            rx.cond(ConnectState.first_account, texts.CONNECT["lead_first"], texts.CONNECT["lead"]),
                            size="3",
                            color=rx.color("gray", 11),
                        ),
                        _form(),
                        spacing="4",
                        width="100%",
                    ),
                ),
                spacing="4",
                width="100%",
            ),
            size={"initial": "2", "sm": "4"},
            max_width="760px",
            margin_x="auto",
        )
    )
