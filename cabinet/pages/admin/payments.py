"""/admin/payments: the filters, the total, the list (a row per part of a payment) and one payment's detail above
it, with its parts, refunds and the refund dialog (payment_refunds.py)."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import form_alert, select_field
from cabinet.pages.admin.layout import admin_shell, clickable_row, detail_lines
from cabinet.pages.admin.payment_refunds import parts_section, refund_dialog, refunds_section
from cabinet.state.admin.payment_rows import AdminPaymentRow
from cabinet.state.admin.payments import AdminPaymentsState

state = AdminPaymentsState
STATUS_COLORS = (("succeeded", "grass"), ("canceled", "gray"), ("failed", "red"), ("waiting_for_capture", "blue"))


def _payment_row(row: AdminPaymentRow) -> rx.Component:
    return clickable_row(
        rx.vstack(
            rx.text(row.provider, " · ", row.account, size="2", weight="medium"),
            rx.text(row.created, " · ", row.payer, size="1", color=rx.color("gray", 11)),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.vstack(
            rx.text(row.amount, weight="bold", white_space="nowrap"),
            rx.cond(
                row.refunded != "",
                rx.text(
                    row.refunded,
                    size="1",
                    color=rx.color("gray", 11),
                    white_space="nowrap",
                    id=f"admin-payment-refunded-{row.key}",
                ),
            ),
            rx.hstack(
                rx.cond(
                    row.several,
                    rx.badge(
                        texts.ADMIN["payment_several"],
                        variant="outline",
                        color_scheme="gray",
                        title=texts.ADMIN["payment_several_hint"],
                        id=f"admin-payment-several-{row.key}",
                    ),
                ),
                rx.badge(row.status_label, color_scheme=rx.match(row.status, *STATUS_COLORS, "amber")),
                spacing="1",
                wrap="wrap",
                justify="end",
            ),
            align="end",
            spacing="1",
        ),
        on_click=state.open_payment(row.id),
        id=f"admin-payment-row-{row.key}",
    )


def _payment_detail() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.data_list.root(
                rx.foreach(
                    state.detail,
                    lambda line: rx.data_list.item(
                        rx.data_list.label(line.primary), rx.data_list.value(line.secondary)
                    ),
                ),
                size="2",
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            ),
            form_alert(state.refund_notice, id="admin-refund-message", color="grass", icon="circle-check"),
            form_alert(state.notice, id="admin-payment-notice", color="grass", icon="circle-check"),
            form_alert(state.error, id="admin-payment-error"),
            rx.hstack(
                rx.cond(
                    state.detail_may_check,
                    rx.button(
                        rx.icon("refresh-cw", size=16),
                        texts.ADMIN["check_gateway"],
                        on_click=state.check_at_gateway,
                        id="admin-payment-check",
                    ),
                ),
                rx.button(
                    texts.ADMIN["close"], variant="ghost", on_click=state.close_payment, id="admin-payment-close"
                ),
                spacing="2",
            ),
            parts_section(),
            refunds_section(),
            rx.heading(texts.ADMIN["notifications"], size="3", as_="h3"),
            detail_lines(state.notifications),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="admin-payment-detail",
    )


def admin_payments_page() -> rx.Component:
    return admin_shell(
        "payments",
        rx.grid(
            select_field(
                state.providers,
                state.provider_filter,
                state.set_provider_filter,
                id="admin-payments-filter-provider",
                label=texts.ADMIN["payments_filter_provider"],
            ),
            select_field(
                state.statuses,
                state.status_filter,
                state.set_status_filter,
                id="admin-payments-filter-status",
                label=texts.ADMIN["payments_filter_status"],
            ),
            select_field(
                state.periods,
                state.period_filter,
                state.set_period_filter,
                id="admin-payments-filter-period",
                label=texts.ADMIN["payments_filter_period"],
            ),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        rx.flex(
            rx.text(state.total_text, weight="medium", id="admin-payments-total"),
            rx.spacer(),
            rx.button(
                rx.icon("download", size=16),
                texts.ADMIN["export_csv"],
                variant="soft",
                on_click=state.export_csv,
                id="admin-payments-export",
            ),
            align="center",
            spacing="2",
            width="100%",
        ),
        rx.cond(state.selected != 0, _payment_detail(), form_alert(state.error, id="admin-payments-error")),
        rx.card(
            rx.cond(
                state.rows.length() > 0,
                rx.vstack(rx.foreach(state.rows, _payment_row), spacing="0", width="100%"),
                rx.text(texts.ADMIN["payments_empty"], size="2", id="admin-payments-empty"),
            ),
            width="100%",
        ),
        refund_dialog(),
        loaded=state.loaded,
    )
