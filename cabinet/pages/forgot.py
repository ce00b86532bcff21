"""/forgot: ask for a password-reset link."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import auth_card, form_field
from cabinet.components.layout import page_shell
from cabinet.state.forgot import ForgotState


def forgot_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            form_field(
                texts.FIELDS["email"],
                rx.input(
                    value=ForgotState.email,
                    on_change=ForgotState.set_email,
                    type="email",
                    id="forgot-email",
                    auto_complete="email",
                    placeholder=texts.FIELDS["email_placeholder"],
                    size="3",
                    width="100%",
                ),
                field_id="forgot-email",
                error=ForgotState.email_error,
            ),
            rx.button(
                texts.FORGOT["submit"],
                type="submit",
                size="3",
                width="100%",
                loading=ForgotState.busy,
                id="forgot-submit",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=ForgotState.submit,
        reset_on_submit=False,
        width="100%",
    )
    sent = rx.callout(ForgotState.sent_message, icon="mail-check", color_scheme="grass", id="forgot-sent", width="100%")
    return page_shell(
        auth_card(
            texts.FORGOT["title"],
            texts.FORGOT["lead"],
            rx.cond(ForgotState.sent_to != "", sent, form),
            rx.link(texts.FORGOT["back"], href="/login", size="2", id="forgot-login-link"),
            id="forgot",
        )
    )
