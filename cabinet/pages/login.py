"""/login: e-mail, password, «Запомнить меня»."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import auth_card, checkbox_field, form_alert, form_field, password_input
from cabinet.components.layout import page_shell
from cabinet.state.login import LoginState


def _remember_and_forgot() -> rx.Component:
    return rx.hstack(
        checkbox_field(
            texts.FIELDS["remember"],
            checked=LoginState.remember,
            on_change=LoginState.set_remember,
            id="login-remember",
            title=texts.FIELDS["remember_help"],
        ),
        rx.spacer(),
        rx.link(texts.LOGIN["forgot"], href="/forgot", size="2", id="login-forgot-link"),
        width="100%",
        align="center",
    )


def _resend_confirmation() -> rx.Component:
    """Shown after «not confirmed»: a new letter to the address that tried."""
    return rx.cond(
        LoginState.unconfirmed_email != "",
        rx.button(
            texts.LOGIN["resend_confirmation"],
            on_click=LoginState.resend_confirmation,
            type="button",
            variant="soft",
            width="100%",
            id="login-resend-confirmation",
        ),
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            form_alert(LoginState.notice, id="login-notice", color="grass", icon="mail-check"),
            form_field(
                texts.FIELDS["email"],
                rx.input(
                    value=LoginState.email,
                    on_change=LoginState.set_email,
                    type="email",
                    id="login-email",
                    auto_complete="username",
                    placeholder=texts.FIELDS["email_placeholder"],
                    size="3",
                    width="100%",
                ),
                field_id="login-email",
            ),
            form_field(
                texts.FIELDS["password"],
                password_input(
                    LoginState.password, LoginState.set_password, id="login-password", autocomplete="current-password"
                ),
                field_id="login-password",
            ),
            _remember_and_forgot(),
            form_alert(LoginState.error, id="login-error"),
            _resend_confirmation(),
            rx.button(
                texts.LOGIN["submit"], type="submit", size="3", width="100%", loading=LoginState.busy, id="login-submit"
            ),
            rx.text(
                texts.LOGIN["no_account"],
                " ",
                rx.link(texts.NAV["register"], href="/register", id="login-register-link"),
                size="2",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=LoginState.submit,
        reset_on_submit=False,
        width="100%",
    )


def login_page() -> rx.Component:
    return page_shell(auth_card(texts.LOGIN["title"], texts.LOGIN["lead"], _form(), id="login"))
