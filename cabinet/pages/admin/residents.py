"""/admin/residents: the search, the found residents and one resident's detail above them."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import form_alert, form_field, invalid_field
from cabinet.pages.admin.layout import admin_shell, clickable_row, detail_lines
from cabinet.state.admin.residents import AdminResidentsState, ResidentRow

state = AdminResidentsState


def _resident_row(row: ResidentRow) -> rx.Component:
    return clickable_row(
        rx.vstack(
            rx.text(row.email, weight="medium", size="2"),
            rx.text(row.name, " ", row.created, size="1", color=rx.color("gray", 11)),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.badge(row.state, color_scheme="gray"),
        on_click=state.open_resident(row.id),
        id=f"admin-resident-row-{row.id}",
    )


def _actions() -> rx.Component:
    """Blocking and the letter only for staff who may change this resident (services/admin/residents.py)."""
    return rx.flex(
        rx.cond(state.detail_may_change, _changing_actions()),
        rx.button(texts.ADMIN["close"], variant="ghost", on_click=state.close_resident, id="admin-resident-close"),
        spacing="2",
        wrap="wrap",
    )


def _changing_actions() -> rx.Component:
    return rx.fragment(
        rx.cond(
            state.detail_blocked,
            rx.button(
                texts.ADMIN["unblock"],
                color_scheme="grass",
                on_click=state.set_blocked(False),
                id="admin-resident-unblock",
            ),
            rx.button(
                texts.ADMIN["block"],
                color_scheme="red",
                variant="soft",
                on_click=state.set_blocked(True),
                id="admin-resident-block",
            ),
        ),
        rx.cond(
            ~state.detail_confirmed,
            rx.button(
                texts.ADMIN["resend_confirmation"],
                variant="soft",
                on_click=state.resend_confirmation,
                id="admin-resident-resend",
            ),
        ),
    )


def _closing_form() -> rx.Component:
    """A platform administrator closes the cabinet on the resident's written request, after one more «sure?»."""
    words = texts.ADMIN
    return rx.vstack(
        rx.heading(words["closing_title"], size="3", as_="h3"),
        rx.text(words["closing_lead"], size="2", color=rx.color("gray", 11)),
        form_field(
            words["closing_reason"],
            rx.input(
                value=state.closing_reason,
                on_change=state.set_closing_reason,
                placeholder=words["closing_reason_placeholder"],
                id="admin-resident-closing-reason",
                width="100%",
                **invalid_field(state.closing_reason_error, error_id="admin-resident-closing-reason-error"),
            ),
            field_id="admin-resident-closing-reason",
            error=state.closing_reason_error,
        ),
        rx.alert_dialog.root(
            rx.alert_dialog.trigger(
                rx.button(words["closing_open"], color_scheme="red", variant="soft", id="admin-resident-closing-open")
            ),
            rx.alert_dialog.content(
                rx.alert_dialog.title(words["closing_confirm_title"]),
                rx.alert_dialog.description(words["closing_lead"], size="2"),
                rx.flex(
                    rx.alert_dialog.cancel(rx.button(words["closing_cancel"], variant="soft", color_scheme="gray")),
                    rx.alert_dialog.action(
                        rx.button(
                            words["closing_confirm"],
                            color_scheme="red",
                            on_click=state.close_cabinet,
                            id="admin-resident-closing-confirm",
                        )
                    ),
                    spacing="3",
                    justify="end",
                    margin_top="1em",
                    wrap="wrap",
                ),
            ),
        ),
        spacing="2",
        width="100%",
        align="start",
        id="admin-resident-closing",
    )


def _column(title_key: str, items) -> rx.Component:
    return rx.vstack(rx.heading(texts.ADMIN[title_key], size="3", as_="h3"), detail_lines(items), width="100%")


def _resident_detail() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(state.detail_title, size="4", as_="h2", id="admin-resident-title"),
                rx.badge(state.detail_state, id="admin-resident-state"),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            rx.text(state.detail_sessions, size="2", color=rx.color("gray", 11)),
            form_alert(state.notice, id="admin-resident-notice", color="grass", icon="circle-check"),
            rx.cond(
                state.detail_closure != "",
                rx.callout(
                    state.detail_closure,
                    icon="archive-x",
                    color_scheme="gray",
                    width="100%",
                    id="admin-resident-closure",
                ),
            ),
            form_alert(state.error, id="admin-resident-error"),
            _actions(),
            rx.grid(
                _column("resident_links", state.detail_links),
                _column("resident_payments", state.detail_payments),
                _column("resident_sign_ins", state.detail_sign_ins),
                columns=rx.breakpoints(initial="1", md="3"),
                spacing="4",
                width="100%",
            ),
            rx.cond(state.detail_may_close, _closing_form()),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="admin-resident-detail",
    )


def admin_residents_page() -> rx.Component:
    return admin_shell(
        "residents",
        rx.el.form(
            rx.hstack(
                rx.input(
                    value=state.query,
                    on_change=state.set_query,
                    placeholder=texts.ADMIN["residents_search"],
                    id="admin-residents-query",
                    width="100%",
                    size="3",
                ),
                rx.button(
                    rx.icon("search", size=16),
                    texts.ADMIN["search"],
                    size="3",
                    type="submit",
                    id="admin-residents-search",
                ),
                width="100%",
                spacing="2",
            ),
            on_submit=lambda _form: state.search,
            width="100%",
        ),
        rx.cond(state.selected != 0, _resident_detail()),
        rx.card(
            rx.cond(
                state.rows.length() > 0,
                rx.vstack(rx.foreach(state.rows, _resident_row), spacing="0", width="100%"),
                rx.text(texts.ADMIN["residents_empty"], size="2", id="admin-residents-empty"),
            ),
            width="100%",
        ),
        loaded=state.loaded,
    )
