"""/payments: the resident's payments with filters by account, period and status, and the total paid."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import select_field
from cabinet.components.hint import hint_icon
from cabinet.components.layout import page_shell
from cabinet.components.loading import when_loaded
from cabinet.components.payments import status_badge
from cabinet.state.history import HistoryState


def _history_row(row: rx.Var) -> rx.Component:
    """One payment of the list (a services.payments.HistoryRow), a link to its page."""
    return rx.link(
        rx.flex(
            rx.vstack(
                rx.text(row.provider, weight="medium", size="2"),
                rx.cond(
                    row.parts_text != "",
                    rx.text(row.parts_text, size="1", color=rx.color("accent", 11), id=f"history-parts-{row.id}"),
                ),
                rx.text(
                    texts.DASHBOARD["account_label"],
                    row.account_label,
                    " · ",
                    row.created_text,
                    size="1",
                    color=rx.color("gray", 11),
                ),
                spacing="0",
                min_width="0",
            ),
            rx.spacer(),
            rx.vstack(
                rx.text(row.amount_text, weight="bold", size="3", white_space="nowrap"),
                status_badge(row.status, row.status_label, row.status_color, id=f"history-status-{row.id}"),
                rx.cond(
                    row.refund_text != "",
                    rx.text(
                        row.refund_text,
                        size="1",
                        color=rx.color("amber", 11),
                        white_space="nowrap",
                        id=f"history-refund-{row.id}",
                    ),
                ),
                spacing="1",
                align="end",
            ),
            spacing="3",
            align="center",
            padding="12px",
            width="100%",
            # On a zoomed phone the amount goes under the name rather than over it.
            wrap="wrap",
        ),
        href=f"/payments/{row.id}",
        underline="none",
        color="inherit",
        id=f"history-row-{row.id}",
        border_top=f"1px solid {rx.color('gray', 4)}",
        display="block",
        width="100%",
    )


def _filters() -> rx.Component:
    return rx.grid(
        select_field(
            HistoryState.accounts,
            HistoryState.account_filter,
            HistoryState.set_account_filter,
            id="history-filter-account",
            label=texts.PAYMENTS["history_filter_account"],
        ),
        select_field(
            HistoryState.periods,
            HistoryState.period_filter,
            HistoryState.set_period_filter,
            id="history-filter-period",
            label=texts.PAYMENTS["history_filter_period"],
        ),
        select_field(
            HistoryState.statuses,
            HistoryState.status_filter,
            HistoryState.set_status_filter,
            id="history-filter-status",
            label=texts.PAYMENTS["history_filter_status"],
        ),
        columns=rx.breakpoints(initial="1", sm="3"),
        spacing="3",
        width="100%",
    )


def _rows() -> rx.Component:
    return rx.card(
        rx.cond(
            HistoryState.rows.length() > 0,
            rx.vstack(
                rx.text(HistoryState.total_text, size="2", weight="medium", padding="12px", id="history-total"),
                rx.foreach(HistoryState.rows, _history_row),
                spacing="0",
                width="100%",
                id="history-rows",
            ),
            rx.text(texts.PAYMENTS["history_empty"], padding="12px", id="history-empty"),
        ),
        width="100%",
        size="1",
    )


def history_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.hstack(
                rx.heading(
                    texts.PAYMENTS["history_title"],
                    size=rx.breakpoints(initial="6", sm="7"),
                    as_="h1",
                    id="history-title",
                ),
                hint_icon(texts.PAYMENTS["history_hint"], id="history-title-hint"),
                align="center",
                spacing="2",
            ),
            _filters(),
            when_loaded(HistoryState.loaded, _rows(), id="history-loading"),
            spacing="4",
            width="100%",
        )
    )
