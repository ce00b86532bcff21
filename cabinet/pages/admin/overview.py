"""/admin: the overview's figures as cards, and «Напоминания»: the reminders per provider, month and kind."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.pages.admin.layout import admin_shell
from cabinet.state.admin.lines import Figure
from cabinet.state.admin.overview import AdminOverviewState, ReminderLine

state = AdminOverviewState


def _figure(item: Figure) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(item.label, size="2", color=rx.color("gray", 11)),
            rx.text(item.value, size="6", weight="bold", id=f"admin-figure-{item.key}"),
            spacing="1",
        ),
        width="100%",
    )


def _reminder_row(line: ReminderLine) -> rx.Component:
    return rx.table.row(
        rx.table.cell(line.provider),
        rx.table.cell(line.month),
        rx.table.cell(line.kind),
        rx.table.cell(line.total, text_align="right"),
        rx.table.cell(line.sent, text_align="right"),
        rx.table.cell(line.failed, text_align="right", id=f"admin-reminders-failed-{line.key}"),
        id=f"admin-reminders-row-{line.key}",
    )


def _reminders() -> rx.Component:
    """A compact table; it scrolls sideways on a phone rather than squeezing the words."""
    columns = texts.ADMIN["reminder_counts_columns"]
    table = rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(name) for name in columns])),
        rx.table.body(rx.foreach(state.reminders, _reminder_row)),
        size="1",
        variant="surface",
        width="100%",
    )
    return rx.card(
        rx.vstack(
            rx.heading(texts.ADMIN["reminder_counts_title"], size="4", as_="h2"),
            rx.cond(
                state.reminders.length() > 0,
                # Focusable and named: a phone's keyboard user can scroll it (accessibility.css, scroll-region).
                rx.box(
                    table,
                    overflow_x="auto",
                    width="100%",
                    class_name="scroll-region",
                    tab_index=0,
                    role="region",
                    aria_label=texts.ADMIN["reminder_counts_title"],
                ),
                rx.text(texts.ADMIN["reminder_counts_empty"], size="2", color=rx.color("gray", 11)),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="admin-reminders",
    )


def admin_overview_page() -> rx.Component:
    return admin_shell(
        "overview",
        rx.grid(
            rx.foreach(state.figures, _figure),
            columns=rx.breakpoints(initial="1", sm="2", md="3"),
            spacing="3",
            width="100%",
        ),
        _reminders(),
        loaded=state.loaded,
    )
