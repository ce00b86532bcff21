"""/settings («Настройки»): «Подключение ЛС», linked accounts, profile, password, e-mail."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import checkbox_field, form_alert, form_field, password_input, password_rules
from cabinet.components.layout import page_shell
from cabinet.pages.settings_accounts import linked_accounts, settings_section
from cabinet.pages.settings_data import closing_section, my_data_section
from cabinet.state.settings.email import SettingsEmailState
from cabinet.state.settings.password import SettingsPasswordState
from cabinet.state.settings.profile import SettingsProfileState


def _form(*children: rx.Component, on_submit) -> rx.Component:
    return rx.form(
        rx.vstack(*children, spacing="3", width="100%"),
        on_submit=on_submit,
        reset_on_submit=False,
        width="100%",
    )


def _checkbox(label: str, checked: rx.Var[bool], on_change, *, id: str) -> rx.Component:
    return checkbox_field(label, checked=checked, on_change=on_change, id=id)


# Which letters the resident gets: (the State's var, also its text's key in texts.SETTINGS; the checkbox's id).
_LETTER_SWITCHES = (
    ("notify_receipts", "settings-notify-receipts"),
    ("notify_reminders", "settings-notify-reminders"),
    ("notify_window_closing", "settings-notify-window-closing"),
    ("notify_verification", "settings-notify-verification"),
    ("notify_new_bill", "settings-notify-new-bill"),
)


def _letter_switches() -> list[rx.Component]:
    state = SettingsProfileState
    return [
        _checkbox(texts.SETTINGS[var], getattr(state, var), getattr(state, f"set_{var}"), id=element_id)
        for var, element_id in _LETTER_SWITCHES
    ]


def _profile() -> rx.Component:
    state = SettingsProfileState
    return settings_section(
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
            *_letter_switches(),
            form_alert(state.notice, id="settings-profile-notice", color="grass", icon="check"),
            rx.button(texts.SETTINGS["profile_save"], type="submit", size="3", id="settings-profile-save"),
            on_submit=state.save,
        ),
        id="settings-profile",
    )


def _password() -> rx.Component:
    state = SettingsPasswordState
    return settings_section(
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
    return settings_section(
        texts.SETTINGS["email_title"],
        texts.SETTINGS["email_hint"],
        rx.text(
            texts.SETTINGS["email_current"],
            ": ",
            rx.text.strong(state.email, id="settings-email-current"),
            size="2",
            overflow_wrap="anywhere",
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
            linked_accounts(),
            rx.grid(_profile(), _password(), columns={"initial": "1", "md": "2"}, spacing="4", width="100%"),
            _email(),
            rx.grid(
                my_data_section(),
                closing_section(),
                columns={"initial": "1", "md": "2"},
                spacing="4",
                width="100%",
                align="start",
            ),
            spacing="4",
            width="100%",
        )
    )
