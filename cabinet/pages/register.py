"""/register: e-mail, password twice, consent; then «Письмо отправлено на …»."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import (
    auth_card,
    checkbox_field,
    field_error,
    form_alert,
    form_field,
    password_input,
    password_rules,
)
from cabinet.components.layout import page_shell
from cabinet.state.register import RegisterState


def _email_field() -> rx.Component:
    return form_field(
        texts.FIELDS["email"],
        rx.input(
            value=RegisterState.email,
            on_change=RegisterState.set_email,
            on_blur=RegisterState.check_email,
            type="email",
            id="register-email",
            auto_complete="email",
            placeholder=texts.FIELDS["email_placeholder"],
            size="3",
            width="100%",
        ),
        field_id="register-email",
        error=RegisterState.email_error,
        help_text=texts.FIELDS["email_help"],
    )


def _password_fields() -> list[rx.Component]:
    return [
        form_field(
            texts.FIELDS["password"],
            password_input(
                RegisterState.password,
                RegisterState.set_password,
                id="register-password",
                autocomplete="new-password",
            ),
            field_id="register-password",
            error=RegisterState.password_error,
        ),
        password_rules(RegisterState.password_marks, id="register-password-rules"),
        form_field(
            texts.FIELDS["password_repeat"],
            password_input(
                RegisterState.password_repeat,
                RegisterState.set_password_repeat,
                id="register-password-repeat",
                autocomplete="new-password",
            ),
            field_id="register-password-repeat",
            error=RegisterState.password_repeat_error,
        ),
    ]


def _consent() -> rx.Component:
    return rx.vstack(
        checkbox_field(
            texts.REGISTER["consent_before"],
            rx.link(texts.REGISTER["consent_link"], href="/policy", target="_blank", id="register-policy-link"),
            texts.REGISTER["consent_after"],
            checked=RegisterState.consent,
            on_change=RegisterState.set_consent,
            id="register-consent",
        ),
        field_error(RegisterState.consent_error, id="register-consent-error"),
        spacing="1",
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _email_field(),
            *_password_fields(),
            _consent(),
            form_alert(RegisterState.form_error, id="register-error"),
            rx.button(
                texts.REGISTER["submit"],
                type="submit",
                size="3",
                width="100%",
                loading=RegisterState.busy,
                id="register-submit",
            ),
            rx.text(
                texts.REGISTER["have_account"],
                " ",
                rx.link(texts.NAV["sign_in"], href="/login", id="register-login-link"),
                size="2",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=RegisterState.submit,
        reset_on_submit=False,
        width="100%",
    )


def _sent() -> rx.Component:
    return rx.vstack(
        rx.callout(
            RegisterState.sent_message,
            icon="mail-check",
            color_scheme="grass",
            id="register-sent-address",
            width="100%",
        ),
        rx.text(texts.REGISTER["sent_hint"], size="2", color=rx.color("gray", 11)),
        form_alert(RegisterState.resend_notice, id="register-resent", color="grass", icon="check"),
        form_alert(RegisterState.form_error, id="register-resend-error"),
        rx.button(
            RegisterState.resend_label,
            on_click=RegisterState.resend,
            disabled=RegisterState.resend_wait > 0,
            variant="soft",
            size="3",
            width="100%",
            id="register-resend",
        ),
        rx.button(
            texts.REGISTER["other_address"],
            on_click=RegisterState.start_over,
            variant="ghost",
            size="2",
            id="register-start-over",
        ),
        spacing="3",
        width="100%",
    )


def register_page() -> rx.Component:
    return page_shell(
        rx.cond(
            RegisterState.sent_to != "",
            auth_card(texts.REGISTER["sent_title"], "", _sent(), id="register-sent"),
            auth_card(texts.REGISTER["title"], texts.REGISTER["lead"], _form(), id="register"),
        )
    )
