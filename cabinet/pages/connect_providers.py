"""/accounts/connect, choosing the provider: the searchable list and «?», where the number is printed."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.icons import icon_if
from cabinet.state.connect import ConnectState, ProviderCard


def _provider_option(provider: ProviderCard) -> rx.Component:
    chosen = ConnectState.provider_id == provider.id
    return rx.box(
        rx.hstack(
            icon_if(
                chosen,
                "circle-dot",
                "circle",
                size=18,
                flex_shrink="0",
                color=rx.cond(chosen, rx.color("accent", 10), rx.color("gray", 8)),
            ),
            rx.vstack(
                rx.text(provider.name, weight="medium", size="2"),
                rx.text(provider.service, size="1", color=rx.color("gray", 11)),
                spacing="0",
            ),
            align="center",
            spacing="3",
        ),
        on_click=ConnectState.choose_provider(provider.id),
        role="radio",
        aria_checked=rx.cond(chosen, "true", "false"),
        tab_index=0,
        cursor="pointer",
        padding="10px 12px",
        border_radius="8px",
        border=rx.cond(chosen, f"2px solid {rx.color('accent', 8)}", f"1px solid {rx.color('gray', 5)}"),
        background_color=rx.cond(chosen, rx.color("accent", 2), rx.color("gray", 1)),
        id=f"connect-provider-{provider.id}",
        width="100%",
    )


def hint_dialog() -> rx.Component:
    selected = ConnectState.selected
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.icon_button(
                rx.icon("circle-help", size=18),
                variant="soft",
                size="3",
                type="button",
                aria_label=texts.CONNECT["hint_button"],
                title=texts.CONNECT["hint_button"],
                id="connect-number-hint",
            ),
        ),
        rx.dialog.content(
            rx.dialog.title(texts.CONNECT["hint_title"], custom_attrs={"as": "h2"}),
            rx.cond(
                selected,
                rx.vstack(
                    rx.text(selected.name, weight="bold"),
                    rx.text(selected.hint_text, size="2"),
                    rx.data_list.root(
                        rx.data_list.item(
                            rx.data_list.label(texts.CONNECT["hint_format"]),
                            rx.data_list.value(selected.format_description),
                        ),
                        rx.data_list.item(
                            rx.data_list.label(texts.CONNECT["hint_example"]),
                            rx.data_list.value(rx.code(selected.example, size="3")),
                        ),
                        size="2",
                    ),
                    rx.cond(
                        selected.receipt_image != "",
                        rx.image(
                            src=selected.receipt_image,
                            alt=texts.START["receipt_alt"],
                            width="100%",
                            border_radius="8px",
                            border=f"1px solid {rx.color('gray', 5)}",
                            id="connect-hint-image",
                        ),
                    ),
                    spacing="3",
                ),
                # Each provider prints the number elsewhere: say why there is nothing to show yet.
                rx.text(texts.CONNECT["hint_choose_first"], size="2", id="connect-hint-choose-first"),
            ),
            rx.flex(
                rx.dialog.close(rx.button(texts.CONNECT["hint_close"], id="connect-hint-close")),
                justify="end",
                margin_top="16px",
            ),
            max_width="720px",
            id="connect-hint",
        ),
    )


def provider_picker() -> rx.Component:
    return rx.vstack(
        rx.text(texts.CONNECT["provider"], size="2", weight="medium"),
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            value=ConnectState.search,
            on_change=ConnectState.set_search,
            placeholder=texts.CONNECT["provider_search_placeholder"],
            aria_label=texts.CONNECT["provider_search"],
            id="connect-provider-search",
            size="3",
            width="100%",
        ),
        rx.cond(
            ConnectState.visible_providers.length() > 0,
            rx.grid(
                rx.foreach(ConnectState.visible_providers, _provider_option),
                columns={"initial": "1", "sm": "2"},
                spacing="2",
                width="100%",
                role="radiogroup",
                id="connect-providers",
            ),
            rx.text(
                texts.CONNECT["provider_none_found"], size="2", color=rx.color("gray", 11), id="connect-providers-empty"
            ),
        ),
        rx.cond(
            ConnectState.provider_error != "",
            rx.text(ConnectState.provider_error, color=rx.color("red", 11), size="2", id="connect-provider-error"),
        ),
        spacing="2",
        width="100%",
    )
