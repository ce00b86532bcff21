"""/admin/audit: the journal's filters, a page of events as wrapping entries (no table to run off a phone), paging."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import field_error, invalid_field, select_field
from cabinet.pages.admin.layout import admin_shell
from cabinet.state.admin.audit import AdminAuditState, AuditRow, ChoiceGroup

state = AdminAuditState
words = texts.AUDIT


def _entry(item: AuditRow) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.text(item.when, size="1", color=rx.color("gray", 11), white_space="nowrap"),
            rx.badge(item.label, color_scheme="gray", variant="soft", class_name="audit-label"),
            rx.cond(item.provider != "", rx.text(item.provider, size="1", color=rx.color("gray", 11))),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.text(item.sentence, size="2", class_name="audit-sentence", overflow_wrap="anywhere"),
        rx.text(
            item.who,
            rx.cond(item.address != "", " · " + item.address, ""),
            size="1",
            color=rx.color("gray", 11),
            overflow_wrap="anywhere",
        ),
        padding_y="10px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
        id=f"admin-audit-row-{item.id}",
        data_action=item.action,
        role="listitem",
    )


def _action_select() -> rx.Component:
    control_id = "admin-audit-filter-action"

    def group(item: ChoiceGroup) -> rx.Component:
        return rx.select.group(
            rx.select.label(item.label),
            rx.foreach(item.choices, lambda choice: rx.select.item(choice.label, value=choice.value)),
        )

    return rx.vstack(
        rx.el.label(
            rx.text(words["filter_action"], size="1", color=rx.color("gray", 11)),
            html_for=control_id,
            id=f"{control_id}-label",
        ),
        rx.select.root(
            rx.select.trigger(id=control_id, width="100%", aria_labelledby=f"{control_id}-label {control_id}"),
            rx.select.content(
                rx.select.item(words["all_actions"], value="all"),
                rx.foreach(state.action_groups, group),
            ),
            value=state.action_filter,
            on_change=state.set_action_filter,
        ),
        spacing="1",
        width="100%",
    )


def _text_filter(label: str, control_id: str, value, on_change, error=None, **props) -> rx.Component:
    extra = invalid_field(error, error_id=f"{control_id}-error") if error is not None else {}
    parts = [
        rx.el.label(rx.text(label, size="1", color=rx.color("gray", 11)), html_for=control_id),
        rx.input(value=value, on_change=on_change, id=control_id, name=control_id, width="100%", **props, **extra),
    ]
    if error is not None:
        parts.append(field_error(error, id=f"{control_id}-error"))
    return rx.vstack(*parts, spacing="1", width="100%")


def _filters() -> rx.Component:
    return rx.form(
        rx.grid(
            _text_filter(
                words["filter_who"],
                "admin-audit-filter-who",
                state.who_filter,
                state.set_who_filter,
                placeholder=words["filter_who_hint"],
            ),
            _action_select(),
            select_field(
                state.providers,
                state.provider_filter,
                state.set_provider_filter,
                id="admin-audit-filter-provider",
                label=words["filter_provider"],
            ),
            _text_filter(
                words["filter_from"],
                "admin-audit-filter-from",
                state.date_from,
                state.set_date_from,
                state.date_from_error,
                type="date",
            ),
            _text_filter(
                words["filter_to"],
                "admin-audit-filter-to",
                state.date_to,
                state.set_date_to,
                state.date_to_error,
                type="date",
            ),
            rx.flex(
                rx.button(words["apply"], type="submit", id="admin-audit-apply"),
                rx.button(
                    words["reset"], type="button", variant="soft", on_click=state.reset_filters, id="admin-audit-reset"
                ),
                spacing="2",
                align="end",
                wrap="wrap",
            ),
            columns=rx.breakpoints(initial="1", sm="2", md="3"),
            spacing="3",
            width="100%",
        ),
        on_submit=state.apply_filters,
        width="100%",
    )


def _pager() -> rx.Component:
    return rx.flex(
        rx.button(
            rx.icon("chevron-left", size=16),
            words["previous"],
            variant="soft",
            disabled=state.page <= 1,
            on_click=state.previous_page,
            id="admin-audit-previous",
        ),
        rx.text(state.page_text, size="2", id="admin-audit-page", aria_live="polite"),
        rx.button(
            words["next"],
            rx.icon("chevron-right", size=16),
            variant="soft",
            disabled=state.page >= state.pages,
            on_click=state.next_page,
            id="admin-audit-next",
        ),
        spacing="3",
        align="center",
        justify="center",
        wrap="wrap",
        width="100%",
    )


def admin_audit_page() -> rx.Component:
    return admin_shell(
        "audit",
        _filters(),
        rx.flex(
            rx.text(state.found_text, weight="medium", id="admin-audit-total"),
            rx.spacer(),
            rx.button(
                rx.icon("download", size=16),
                words["export"],
                variant="soft",
                on_click=state.export_csv,
                id="admin-audit-export",
            ),
            align="center",
            spacing="2",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(
            state.error != "",
            rx.text(state.error, color=rx.color("red", 11), size="2", id="admin-audit-error", role="alert"),
        ),
        rx.card(
            rx.cond(
                state.rows.length() > 0,
                rx.box(
                    rx.foreach(state.rows, _entry),
                    role="list",
                    aria_label=words["table"],
                    id="admin-audit-list",
                    width="100%",
                ),
                rx.text(words["empty"], size="2", id="admin-audit-empty"),
            ),
            width="100%",
        ),
        _pager(),
        loaded=state.loaded,
    )
