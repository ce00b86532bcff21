"""«Настройки», the resident's linked accounts: each one renamed or unlinked, and «Подключить ЛС»."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import form_alert
from cabinet.components.hint import hint_icon, with_hint
from cabinet.components.loading import when_loaded
from cabinet.state.settings.accounts import LinkedAccount, SettingsAccountsState


def settings_section(title: str, hint: str, *children: rx.Component, id: str) -> rx.Component:
    """A card of «Настройки» with its heading and the heading's hint."""
    return rx.card(
        rx.vstack(
            # The hint on a «?» of its own: a heading is no button, and a phone has no hover.
            rx.hstack(
                rx.heading(title, size="4", as_="h2", id=f"{id}-title"),
                hint_icon(hint, id=f"{id}-hint"),
                align="center",
                spacing="1",
            ),
            *children,
            spacing="3",
            width="100%",
        ),
        width="100%",
        id=id,
    )


def _unlink_dialog(account: LinkedAccount) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                texts.SETTINGS["unlink"],
                variant="soft",
                color_scheme="red",
                size="2",
                type="button",
                id=f"settings-unlink-{account.account_id}",
            ),
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title(texts.SETTINGS["unlink_title"], custom_attrs={"as": "h2"}),
            rx.alert_dialog.description(
                texts.SETTINGS["unlink_text"].split("{number}")[0],
                rx.text.strong(account.number),
                texts.SETTINGS["unlink_text"].split("{number}")[1],
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button(texts.SETTINGS["unlink_cancel"], variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        texts.SETTINGS["unlink_confirm"],
                        color_scheme="red",
                        on_click=SettingsAccountsState.unlink(account.account_id),
                        id="settings-unlink-confirm",
                    ),
                ),
                spacing="3",
                justify="end",
                margin_top="16px",
            ),
        ),
    )


def _linked_account(account: LinkedAccount) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.vstack(
                rx.text(account.provider, weight="bold", size="2"),
                rx.text(texts.DASHBOARD["account_label"], rx.code(account.number, variant="ghost"), size="2"),
                rx.text(account.address, size="1", color=rx.color("gray", 11)),
                spacing="1",
                flex_grow="1",
            ),
            rx.form(
                # The account's id travels with the form: a submit handler bound to the foreach item
                # would name a variable that does not exist where the form's handler is compiled.
                rx.el.input(type="hidden", name="account_id", value=account.account_id.to_string()),
                rx.hstack(
                    rx.input(
                        name="nickname",
                        default_value=account.nickname,
                        placeholder=texts.SETTINGS["nickname"],
                        aria_label=texts.SETTINGS["nickname"],
                        max_length=40,
                        size="2",
                        id=f"settings-nickname-{account.account_id}",
                    ),
                    rx.button(
                        texts.SETTINGS["nickname_save"],
                        variant="soft",
                        size="2",
                        type="submit",
                        id=f"settings-nickname-save-{account.account_id}",
                    ),
                    _unlink_dialog(account),
                    spacing="2",
                    wrap="wrap",
                ),
                on_submit=SettingsAccountsState.rename,
                reset_on_submit=False,
            ),
            direction={"initial": "column", "sm": "row"},
            spacing="3",
            align={"initial": "stretch", "sm": "center"},
        ),
        padding="12px",
        border=f"1px solid {rx.color('gray', 5)}",
        border_radius="8px",
        width="100%",
        id=f"settings-account-{account.account_id}",
    )


def linked_accounts() -> rx.Component:
    return settings_section(
        texts.SETTINGS["accounts_title"],
        texts.SETTINGS["accounts_hint"],
        with_hint(
            rx.link(
                rx.button(rx.icon("plus", size=16), texts.SETTINGS["connect"], size="3"),
                href="/accounts/connect",
                id="settings-connect",
                width="fit-content",
            ),
            texts.SETTINGS["connect_hint"],
        ),
        form_alert(SettingsAccountsState.notice, id="settings-accounts-notice", color="grass", icon="check"),
        form_alert(SettingsAccountsState.error, id="settings-accounts-error"),
        when_loaded(
            SettingsAccountsState.loaded,
            rx.cond(
                SettingsAccountsState.linked.length() > 0,
                rx.vstack(
                    rx.foreach(SettingsAccountsState.linked, _linked_account),
                    spacing="2",
                    width="100%",
                    id="settings-accounts",
                ),
                rx.text(
                    texts.SETTINGS["accounts_empty"], size="2", color=rx.color("gray", 11), id="settings-accounts-empty"
                ),
            ),
            id="settings-accounts-loading",
            height="96px",
        ),
        id="settings-accounts-section",
    )
