"""/admin/staff: «Сотрудники» — the list, the invitation form and one member's changes above the list;
provider staff see only their own card and the way to «Настройки»."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import checkbox_field, field_error, form_alert, form_field, invalid_field, select_field
from cabinet.pages.admin.layout import admin_shell
from cabinet.state.admin.staff import AdminStaffState, StaffRow
from cabinet.state.display import Choice

state = AdminStaffState
T = texts.STAFF
STATUS_COLORS = {"invited": "amber", "active": "grass", "blocked": "red"}


def _status(row: StaffRow) -> rx.Component:
    return rx.badge(
        row.status,
        color_scheme=rx.match(row.status_key, ("invited", "amber"), ("blocked", "red"), "grass"),
        id=f"admin-staff-status-{row.id}",
    )


def _member_row(row: StaffRow) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.vstack(
                rx.text(row.email, weight="medium", size="2", id=f"admin-staff-email-{row.id}", word_break="break-all"),
                rx.text(row.name, size="1", color=rx.color("gray", 11)),
                spacing="0",
                min_width="0",
                flex="1",
            ),
            _status(row),
            rx.cond(
                row.editable,
                rx.button(
                    T["edit"],
                    size="2",
                    variant="soft",
                    on_click=state.open_member(row.id),
                    id=f"admin-staff-edit-{row.id}",
                ),
            ),
            spacing="2",
            align="center",
            width="100%",
        ),
        rx.text(rx.text.strong(row.role), " · ", row.providers, size="2", id=f"admin-staff-role-{row.id}"),
        spacing="1",
        padding="10px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
        id=f"admin-staff-row-{row.id}",
    )


def _provider_boxes(chosen, on_change, *, prefix: str, error, error_id: str) -> rx.Component:
    def box(choice: Choice) -> rx.Component:
        return checkbox_field(
            choice.label,
            checked=chosen.contains(choice.value),
            on_change=lambda checked: on_change(choice.value, checked),
            id=f"{prefix}-{choice.value}",
        )

    return rx.vstack(
        rx.text(T["providers"], size="2", weight="medium", id=f"{prefix}-label"),
        rx.flex(
            rx.foreach(state.providers, box),
            direction="column",
            gap="2",
            role="group",
            aria_labelledby=f"{prefix}-label",
            aria_describedby=rx.cond(error != "", error_id, ""),
        ),
        field_error(error, id=error_id),
        spacing="1",
        width="100%",
    )


def _role_select(value, on_change, *, id: str, error) -> rx.Component:
    return rx.vstack(
        select_field(state.role_choices, value, on_change, id=id, label=T["role"]),
        field_error(error, id=f"{id}-error"),
        spacing="1",
        width="100%",
    )


def _invite_form() -> rx.Component:
    return rx.card(
        rx.el.form(
            rx.vstack(
                rx.heading(T["invite_title"], size="4", as_="h2"),
                rx.text(T["invite_lead"], size="2", color=rx.color("gray", 11)),
                form_alert(state.invite_notice, id="admin-staff-invite-notice", color="grass", icon="mail-check"),
                form_alert(state.invite_error, id="admin-staff-invite-error"),
                form_field(
                    T["email"],
                    rx.input(
                        value=state.invite_email,
                        on_change=state.set_invite_email,
                        type="email",
                        id="admin-staff-invite-email",
                        placeholder=texts.FIELDS["email_placeholder"],
                        auto_complete="off",
                        size="3",
                        width="100%",
                        max_length=320,
                        **invalid_field(state.invite_email_error, error_id="admin-staff-invite-email-error"),
                    ),
                    field_id="admin-staff-invite-email",
                    error=state.invite_email_error,
                ),
                _role_select(
                    state.invite_role,
                    state.set_invite_role,
                    id="admin-staff-invite-role",
                    error=state.invite_role_error,
                ),
                _provider_boxes(
                    state.invite_providers,
                    state.set_invite_provider,
                    prefix="admin-staff-invite-provider",
                    error=state.invite_providers_error,
                    error_id="admin-staff-invite-providers-error",
                ),
                rx.button(
                    rx.icon("send", size=16),
                    T["invite"],
                    type="submit",
                    size="3",
                    loading=state.inviting,
                    id="admin-staff-invite-submit",
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=lambda _form: state.invite,
            width="100%",
        ),
        width="100%",
        id="admin-staff-invite",
    )


def _member_actions() -> rx.Component:
    """Save, block or unblock, remove (asked once more), close."""
    return rx.cond(
        state.confirm_remove,
        rx.vstack(
            rx.text(state.remove_question, size="2", id="admin-staff-remove-question"),
            rx.hstack(
                rx.button(T["remove_yes"], color_scheme="red", on_click=state.remove, id="admin-staff-remove-yes"),
                rx.button(
                    texts.ADMIN["cancel"], variant="soft", on_click=state.ask_remove(False), id="admin-staff-remove-no"
                ),
                spacing="2",
            ),
            spacing="2",
        ),
        rx.flex(
            rx.button(T["save"], type="submit", id="admin-staff-save"),
            rx.cond(
                state.selected_blocked,
                rx.button(
                    T["unblock"],
                    type="button",
                    color_scheme="grass",
                    variant="soft",
                    on_click=state.set_blocked(False),
                    id="admin-staff-unblock",
                ),
                rx.button(
                    T["block"],
                    type="button",
                    color_scheme="red",
                    variant="soft",
                    on_click=state.set_blocked(True),
                    id="admin-staff-block",
                ),
            ),
            rx.button(
                T["remove"],
                type="button",
                color_scheme="red",
                variant="outline",
                on_click=state.ask_remove(True),
                id="admin-staff-remove",
            ),
            rx.button(T["cancel"], type="button", variant="ghost", on_click=state.close_member, id="admin-staff-close"),
            spacing="2",
            wrap="wrap",
        ),
    )


def _member_panel() -> rx.Component:
    return rx.card(
        rx.el.form(
            rx.vstack(
                rx.heading(state.edit_title, size="4", as_="h2", id="admin-staff-edit-title"),
                form_alert(state.edit_error, id="admin-staff-edit-error"),
                _role_select(
                    state.edit_role, state.set_edit_role, id="admin-staff-edit-role", error=state.edit_role_error
                ),
                _provider_boxes(
                    state.edit_providers,
                    state.set_edit_provider,
                    prefix="admin-staff-edit-provider",
                    error=state.edit_providers_error,
                    error_id="admin-staff-edit-providers-error",
                ),
                _member_actions(),
                spacing="3",
                width="100%",
            ),
            on_submit=lambda _form: state.save_member,
            width="100%",
        ),
        width="100%",
        id="admin-staff-detail",
    )


def _admin_view() -> rx.Component:
    return rx.vstack(
        rx.text(T["lead"], size="2", color=rx.color("gray", 11)),
        form_alert(state.notice, id="admin-staff-notice", color="grass", icon="circle-check"),
        rx.cond(state.selected != 0, _member_panel()),
        rx.card(
            rx.vstack(
                rx.heading(T["list_title"], size="4", as_="h2"),
                rx.vstack(rx.foreach(state.rows, _member_row), spacing="0", width="100%", id="admin-staff-list"),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
        _invite_form(),
        spacing="4",
        width="100%",
    )


def _own_view() -> rx.Component:
    return rx.vstack(
        rx.text(T["own_lead"], size="2", color=rx.color("gray", 11)),
        rx.card(
            rx.vstack(rx.foreach(state.rows, _member_row), spacing="0", width="100%"),
            width="100%",
            id="admin-staff-own",
        ),
        rx.link(
            rx.button(rx.icon("settings", size=16), T["to_settings"], variant="soft", size="3"),
            href="/settings",
            id="admin-staff-settings-link",
        ),
        spacing="4",
        width="100%",
    )


def admin_staff_page() -> rx.Component:
    return admin_shell("staff", rx.cond(state.is_admin_view, _admin_view(), _own_view()), loaded=state.loaded)
