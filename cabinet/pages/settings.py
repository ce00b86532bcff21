"""/settings («Настройки»): «Подключение ЛС», linked accounts, profile, password, e-mail."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import form_alert, form_field, password_input, password_rules
from cabinet.components.hint import with_hint
from cabinet.components.layout import page_shell
from cabinet.state.settings.accounts import LinkedAccount, SettingsAccountsState
from cabinet.state.settings.email import SettingsEmailState
from cabinet.state.settings.password import SettingsPasswordState
from cabinet.state.settings.profile import SettingsProfileState


def _section(title: str, hint: str, *children: rx.Component, id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            with_hint(rx.heading(title, size="4", as_="h2", tab_index=0, width="fit-content", id=f"{id}-title"), hint),
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
            rx.alert_dialog.title(texts.SETTINGS["unlink_title"]),
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


def _accounts() -> rx.Component:
    return _section(
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
        id="settings-accounts-section",
    )


def _form(*children: rx.Component, on_submit) -> rx.Component:
    return rx.form(
        rx.vstack(*children, spacing="3", width="100%"),
        on_submit=on_submit,
        reset_on_submit=False,
        width="100%",
    )


def _checkbox(label: str, checked: rx.Var[bool], on_change, *, id: str) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.checkbox(checked=checked, on_change=on_change, id=id),
            rx.text(label, size="2"),
            spacing="2",
            align="center",
        ),
    )


def _profile() -> rx.Component:
    state = SettingsProfileState
    return _section(
        texts.SETTINGS["profile_title"],
        texts.SETTINGS["profile_hint"],
        _form(
            form_field(
                texts.SETTINGS["full_name"],
                rx.input(
                    value=state.full_name,
                    on_change=state.set_full_name,
                    id="settings-full-name",
                    auto_complete="name",
                    size="3",
                    width="100%",
                ),
                field_id="settings-full-name",
                error=state.full_name_error,
            ),
            form_field(
                texts.SETTINGS["phone"],
                rx.input(
                    value=state.phone,
                    on_change=state.set_phone,
                    type="tel",
                    id="settings-phone",
                    auto_complete="tel",
                    size="3",
                    width="100%",
                ),
                field_id="settings-phone",
                error=state.phone_error,
                help_text=texts.SETTINGS["phone_help"],
            ),
            _checkbox(
                texts.SETTINGS["notify_receipts"],
                state.notify_receipts,
                state.set_notify_receipts,
                id="settings-notify-receipts",
            ),
            _checkbox(
                texts.SETTINGS["notify_reminders"],
                state.notify_reminders,
                state.set_notify_reminders,
                id="settings-notify-reminders",
            ),
            form_alert(state.notice, id="settings-profile-notice", color="grass", icon="check"),
            rx.button(texts.SETTINGS["profile_save"], type="submit", size="3", id="settings-profile-save"),
            on_submit=state.save,
        ),
        id="settings-profile",
    )


def _password() -> rx.Component:
    state = SettingsPasswordState
    return _section(
        texts.SETTINGS["password_title"],
        texts.SETTINGS["password_hint"],
        _form(
            form_field(
                texts.FIELDS["current_password"],
                password_input(
                    state.current_password,
                    state.set_current_password,
                    id="settings-current-password",
                    autocomplete="current-password",
                ),
                field_id="settings-current-password",
                error=state.current_password_error,
            ),
            form_field(
                texts.FIELDS["new_password"],
                password_input(
                    state.new_password, state.set_new_password, id="settings-new-password", autocomplete="new-password"
                ),
                field_id="settings-new-password",
                error=state.new_password_error,
            ),
            password_rules(state.new_password_marks, id="settings-new-password-rules"),
            form_field(
                texts.FIELDS["password_repeat"],
                password_input(
                    state.new_password_repeat,
                    state.set_new_password_repeat,
                    id="settings-new-password-repeat",
                    autocomplete="new-password",
                ),
                field_id="settings-new-password-repeat",
                error=state.new_password_repeat_error,
            ),
            form_alert(state.notice, id="settings-password-notice", color="grass", icon="check"),
            rx.button(
                texts.SETTINGS["password_save"],
                type="submit",
                size="3",
                loading=state.busy,
                id="settings-password-save",
            ),
            on_submit=state.submit,
        ),
        id="settings-password",
    )


def _email() -> rx.Component:
    state = SettingsEmailState
    return _section(
        texts.SETTINGS["email_title"],
        texts.SETTINGS["email_hint"],
        rx.text(
            texts.SETTINGS["email_current"], ": ", rx.text.strong(state.email, id="settings-email-current"), size="2"
        ),
        _form(
            form_field(
                texts.SETTINGS["email_new"],
                rx.input(
                    value=state.new_email,
                    on_change=state.set_new_email,
                    type="email",
                    id="settings-new-email",
                    auto_complete="email",
                    size="3",
                    width="100%",
                ),
                field_id="settings-new-email",
                error=state.new_email_error,
            ),
            form_field(
                texts.SETTINGS["email_password"],
                password_input(
                    state.password, state.set_password, id="settings-email-password", autocomplete="current-password"
                ),
                field_id="settings-email-password",
                error=state.password_error,
            ),
            form_alert(state.notice, id="settings-email-notice", color="grass", icon="mail-check"),
            rx.button(
                texts.SETTINGS["email_save"], type="submit", size="3", loading=state.busy, id="settings-email-save"
            ),
            on_submit=state.submit,
        ),
        id="settings-email",
    )


def settings_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.heading(texts.SETTINGS["title"], size="7", as_="h1", id="settings-title"),
            _accounts(),
            rx.grid(_profile(), _password(), columns={"initial": "1", "md": "2"}, spacing="4", width="100%"),
            _email(),
            spacing="4",
            width="100%",
        )
    )
