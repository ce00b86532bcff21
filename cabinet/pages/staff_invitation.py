"""/staff/invitation/<token>: the invited person's address, a new password twice, then on to the admin pages."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import auth_card, form_field, password_input, password_rules
from cabinet.components.layout import page_shell
from cabinet.components.loading import when_loaded
from cabinet.state.staff_invitation import StaffInvitationState

state = StaffInvitationState
T = texts.STAFF_INVITATION


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            form_field(
                texts.FIELDS["email"],
                rx.input(
                    value=state.email,
                    read_only=True,
                    type="email",
                    id="staff-invitation-email",
                    auto_complete="username",
                    size="3",
                    width="100%",
                    variant="soft",
                    color_scheme="gray",
                ),
                field_id="staff-invitation-email",
            ),
            form_field(
                texts.FIELDS["new_password"],
                password_input(
                    state.password, state.set_password, id="staff-invitation-password", autocomplete="new-password"
                ),
                field_id="staff-invitation-password",
                error=state.password_error,
            ),
            password_rules(state.password_marks, id="staff-invitation-password-rules"),
            form_field(
                texts.FIELDS["password_repeat"],
                password_input(
                    state.password_repeat,
                    state.set_password_repeat,
                    id="staff-invitation-password-repeat",
                    autocomplete="new-password",
                ),
                field_id="staff-invitation-password-repeat",
                error=state.password_repeat_error,
            ),
            rx.button(
                T["submit"], type="submit", size="3", width="100%", loading=state.busy, id="staff-invitation-submit"
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=lambda _form: state.submit,
        reset_on_submit=False,
        width="100%",
    )


def _problem() -> rx.Component:
    return rx.vstack(
        rx.callout(state.problem, icon="link-2-off", color_scheme="amber", id="staff-invitation-problem", width="100%"),
        rx.text(T["ask_again"], size="2", color=rx.color("gray", 11)),
        rx.link(T["to_login"], href="/login", size="2", id="staff-invitation-login-link"),
        spacing="3",
        width="100%",
    )


def staff_invitation_page() -> rx.Component:
    checking = rx.hstack(
        rx.spinner(), rx.text(texts.CONFIRM["checking"]), id="staff-invitation-checking", align="center"
    )
    return page_shell(
        auth_card(
            T["title"],
            T["lead"],
            when_loaded(
                state.loaded,
                rx.match(state.status, ("form", _form()), ("problem", _problem()), checking),
                id="staff-invitation-loading",
                height="200px",
            ),
            id="staff-invitation",
        )
    )
