"""Pages behind e-mailed links: registration confirmed, new address confirmed, new password."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import auth_card, form_alert, form_field, invalid_field, password_input, password_rules
from cabinet.components.layout import page_shell
from cabinet.components.loading import when_loaded
from cabinet.state.links import ConfirmState, EmailChangeState, ResetState


def _checking(id: str) -> rx.Component:
    return rx.hstack(rx.spinner(), rx.text(texts.CONFIRM["checking"]), id=id, align="center")


def _problem(message: rx.Var[str], *, id: str) -> rx.Component:
    return rx.callout(message, icon="link-2-off", color_scheme="amber", id=id, width="100%")


def _confirm_sign_in() -> rx.Component:
    """The address from the link, read-only, and its password: one step on to connecting an account."""
    return rx.form(
        rx.vstack(
            rx.text(texts.CONFIRM["password_lead"], size="2", color=rx.color("gray", 11)),
            form_field(
                texts.FIELDS["email"],
                rx.input(
                    value=ConfirmState.confirmed_email,
                    read_only=True,
                    type="email",
                    id="confirm-email",
                    auto_complete="username",
                    size="3",
                    width="100%",
                    variant="soft",
                    color_scheme="gray",
                ),
                field_id="confirm-email",
            ),
            form_field(
                texts.FIELDS["password"],
                rx.input(
                    value=ConfirmState.password,
                    on_change=ConfirmState.set_password,
                    type="password",
                    id="confirm-password",
                    auto_complete="current-password",
                    auto_focus=True,
                    size="3",
                    width="100%",
                    max_length=128,
                    **invalid_field(ConfirmState.password_error, error_id="confirm-password-error"),
                ),
                field_id="confirm-password",
                error=ConfirmState.password_error,
            ),
            rx.button(
                texts.CONFIRM["success_next"],
                type="submit",
                size="3",
                width="100%",
                loading=ConfirmState.busy,
                id="confirm-submit",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=lambda _form: ConfirmState.sign_in,
        reset_on_submit=False,
        width="100%",
    )


def confirm_page() -> rx.Component:
    confirmed = rx.vstack(
        rx.callout(
            texts.CONFIRM["success_title"],
            icon="party-popper",
            color_scheme="grass",
            size="2",
            id="confirm-success",
            width="100%",
        ),
        rx.text(texts.CONFIRM["success_text"], size="3"),
        _confirm_sign_in(),
        spacing="3",
        width="100%",
    )
    problem = rx.vstack(
        _problem(ConfirmState.problem, id="confirm-problem"),
        form_alert(ConfirmState.notice, id="confirm-new-sent", color="grass", icon="mail-check"),
        rx.cond(
            ConfirmState.problem_email != "",
            rx.button(
                texts.CONFIRM["send_new"],
                on_click=ConfirmState.send_new_letter,
                size="3",
                width="100%",
                id="confirm-send-new",
            ),
        ),
        rx.link(texts.CONFIRM["to_login"], href="/login", size="2", id="confirm-login-link"),
        spacing="3",
        width="100%",
    )
    return page_shell(
        auth_card(
            texts.CONFIRM["title"],
            "",
            when_loaded(
                ConfirmState.loaded,
                rx.match(
                    ConfirmState.status, ("confirmed", confirmed), ("problem", problem), _checking("confirm-checking")
                ),
                id="confirm-loading",
                height="120px",
            ),
            id="confirm",
        )
    )


def email_change_page() -> rx.Component:
    confirmed = rx.callout(
        EmailChangeState.success_message,
        icon="mail-check",
        color_scheme="grass",
        id="email-change-success",
        width="100%",
    )
    return page_shell(
        auth_card(
            texts.EMAIL_CHANGE_CONFIRM["title"],
            "",
            rx.match(
                EmailChangeState.status,
                ("confirmed", confirmed),
                ("problem", _problem(EmailChangeState.problem, id="email-change-problem")),
                _checking("email-change-checking"),
            ),
            rx.link(texts.CONFIRM["to_login"], href="/login", size="2", id="email-change-login-link"),
            id="email-change",
        )
    )


def reset_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            form_field(
                texts.FIELDS["new_password"],
                password_input(
                    ResetState.password, ResetState.set_password, id="reset-password", autocomplete="new-password"
                ),
                field_id="reset-password",
                error=ResetState.password_error,
            ),
            password_rules(ResetState.password_marks, id="reset-password-rules"),
            form_field(
                texts.FIELDS["password_repeat"],
                password_input(
                    ResetState.password_repeat,
                    ResetState.set_password_repeat,
                    id="reset-password-repeat",
                    autocomplete="new-password",
                ),
                field_id="reset-password-repeat",
                error=ResetState.password_repeat_error,
            ),
            rx.button(
                texts.RESET["submit"], type="submit", size="3", width="100%", loading=ResetState.busy, id="reset-submit"
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=ResetState.submit,
        reset_on_submit=False,
        width="100%",
    )
    done = rx.vstack(
        rx.callout(texts.RESET["done_text"], icon="check", color_scheme="grass", id="reset-done", width="100%"),
        rx.link(
            rx.button(texts.NAV["sign_in"], size="3", width="100%"), href="/login", id="reset-login-link", width="100%"
        ),
        spacing="3",
        width="100%",
    )
    problem = rx.vstack(
        _problem(ResetState.problem, id="reset-problem"),
        rx.link(texts.RESET["forgot_again"], href="/forgot", size="2", id="reset-forgot-link"),
        spacing="3",
        width="100%",
    )
    return page_shell(
        auth_card(
            texts.RESET["title"],
            texts.RESET["lead"],
            rx.match(
                ResetState.status, ("form", form), ("done", done), ("problem", problem), _checking("reset-checking")
            ),
            id="reset",
        )
    )
