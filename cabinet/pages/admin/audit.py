"""/admin/audit: the action filter and the latest events as a table."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import select_field
from cabinet.pages.admin.layout import admin_shell
from cabinet.state.admin.audit import AdminAuditState, AuditRow

state = AdminAuditState


def _row(item: AuditRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(item.when, white_space="nowrap"),
        rx.table.cell(item.who),
        rx.table.cell(rx.code(item.action)),
        rx.table.cell(item.target),
        rx.table.cell(rx.text(item.details, size="1"), rx.text(item.address, size="1", color=rx.color("gray", 11))),
        id=f"admin-audit-row-{item.id}",
    )


def admin_audit_page() -> rx.Component:
    return admin_shell(
        "audit",
        rx.box(
            select_field(
                state.actions,
                state.action_filter,
                state.set_action_filter,
                id="admin-audit-filter",
                label=texts.ADMIN["audit_filter"],
            ),
            max_width="320px",
            width="100%",
        ),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(*[rx.table.column_header_cell(title) for title in texts.ADMIN["audit_columns"]])
                ),
                rx.table.body(rx.foreach(state.rows, _row)),
                size="1",
                variant="surface",
                width="100%",
            ),
            # A table wider than a phone scrolls in this box, which the keyboard can reach and scroll.
            overflow_x="auto",
            width="100%",
            class_name="scroll-region",
            tab_index=0,
            role="region",
            aria_label=texts.ADMIN["audit_table"],
        ),
        loaded=state.loaded,
    )
