"""Paying: the pay form, a payment's status, the history of payments, the printable receipt."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.icons import icon_if
from cabinet.components.forms import form_alert, form_field, select_field
from cabinet.components.hint import hint_icon, with_hint
from cabinet.components.layout import page_shell
from cabinet.components.readings import readings_fields
from cabinet.pages.readings import account_header
from cabinet.state.payments import HistoryRow, HistoryState, PaymentStatusState, PayState, ReceiptState
from cabinet.state.readings import ReadingsState

STATUS_COLORS = (("succeeded", "grass"), ("canceled", "gray"), ("failed", "red"), ("waiting_for_capture", "blue"))


def _loading() -> rx.Component:
    return rx.center(rx.spinner(size="3"), padding_y="96px")


def _not_found(id: str) -> rx.Component:
    return rx.callout(texts.error_text("not_found"), icon="search-x", color_scheme="gray", id=id)


def _status_badge(status: rx.Var[str], label: rx.Var[str], *, id: str | rx.Var[str]) -> rx.Component:
    return rx.badge(label, color_scheme=rx.match(status, *STATUS_COLORS, "amber"), size="2", id=id, data_state=status)


# --- /accounts/<id>/pay ---------------------------------------------------------------------------


def _mode_option(value: str, title: str, body: rx.Component, *, disabled: rx.Var[bool] | bool = False) -> rx.Component:
    chosen = PayState.mode == value
    return rx.box(
        rx.hstack(
            icon_if(chosen, "circle-dot", "circle", size=18, flex_shrink="0",
                    color=rx.cond(chosen, rx.color("accent", 10), rx.color("gray", 8))),
            rx.vstack(rx.text(title, weight="medium", size="3"), body, spacing="1", width="100%"),
            align="start",
            spacing="3",
            width="100%",
        ),
        on_click=rx.cond(disabled, rx.noop(), PayState.set_mode(value)),
        role="radio",
        aria_checked=rx.cond(chosen, "true", "false"),
        aria_disabled=rx.cond(disabled, "true", "false"),
        tab_index=0,
        cursor=rx.cond(disabled, "default", "pointer"),
        opacity=rx.cond(disabled, "0.6", "1"),
        padding="12px",
        border_radius="8px",
        border=rx.cond(chosen, f"2px solid {rx.color('accent', 8)}", f"1px solid {rx.color('gray', 5)}"),
        background_color=rx.cond(chosen, rx.color("accent", 2), rx.color("gray", 1)),
        id=f"pay-mode-{value}",
        width="100%",
    )


def _pay_form() -> rx.Component:
    debt_body = rx.cond(
        PayState.can_pay_debt,
        rx.vstack(
            rx.text(PayState.owed_text, size="6", weight="bold", id="pay-debt-amount"),
            rx.text(texts.PAYMENTS["mode_debt_help"], size="1", color=rx.color("gray", 10)),
            spacing="0",
        ),
        rx.text(texts.PAYMENTS["mode_debt_none"], size="2", color=rx.color("gray", 11), id="pay-debt-none"),
    )
    custom_body = rx.vstack(
        rx.text(PayState.custom_help, size="1", color=rx.color("gray", 10)),
        form_field(
            texts.PAYMENTS["amount_field"],
            rx.input(value=PayState.amount, on_change=PayState.set_amount, on_focus=PayState.set_mode("custom"),
                     id="pay-amount", input_mode="decimal", placeholder="1500,00", size="3",
                     width=rx.breakpoints(initial="100%", sm="220px")),
            field_id="pay-amount",
            error=PayState.amount_error,
            help_text=texts.PAYMENTS["amount_help"],
        ),
        spacing="2",
        width="100%",
    )
    return rx.vstack(
        rx.heading(texts.PAYMENTS["mode"], size="3", as_="h2"),
        rx.vstack(
            _mode_option("debt", texts.PAYMENTS["mode_debt"], debt_body, disabled=~PayState.can_pay_debt),
            _mode_option("custom", texts.PAYMENTS["mode_custom"], custom_body),
            spacing="2",
            width="100%",
            role="radiogroup",
        ),
        rx.cond(
            (ReadingsState.rows.length() > 0) & ~ReadingsState.can_submit,
            # Readings are not taken now: say when, instead of a checkbox that would only refuse.
            rx.text(ReadingsState.window_text, size="2", color=rx.color("gray", 11), id="pay-readings-closed"),
        ),
        rx.cond(
            (ReadingsState.rows.length() > 0) & ReadingsState.can_submit,
            rx.vstack(
                with_hint(
                    rx.el.label(
                        rx.hstack(
                            rx.checkbox(checked=PayState.with_readings, on_change=PayState.set_with_readings,
                                        id="pay-with-readings", size="3"),
                            rx.text(texts.PAYMENTS["with_readings"], size="3", weight="medium"),
                            spacing="2",
                            align="center",
                        ),
                        cursor="pointer",
                    ),
                    texts.PAYMENTS["with_readings_hint"],
                ),
                rx.cond(PayState.with_readings, readings_fields()),
                spacing="2",
                width="100%",
                padding_top="8px",
            ),
        ),
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text(texts.PAYMENTS["summary"], size="3"),
                    rx.spacer(),
                    rx.text(PayState.summary, size="6", weight="bold", id="pay-summary"),
                    align="center",
                    width="100%",
                ),
                rx.text(PayState.receipt_note, size="2", color=rx.color("gray", 11), id="pay-receipt-email"),
                spacing="1",
                width="100%",
            ),
            width="100%",
            variant="surface",
        ),
        form_alert(PayState.form_error, id="pay-error"),
        rx.cond(
            ReadingsState.jump_pending & PayState.with_readings,
            rx.button(texts.READINGS["jump_confirm"], color_scheme="amber", size="3", loading=PayState.busy,
                      on_click=PayState.submit(True), id="pay-confirm-jump",
                      width=rx.breakpoints(initial="100%", sm="auto")),
            with_hint(
                rx.button(rx.icon("lock", size=16), texts.PAYMENTS["submit"], size="3", loading=PayState.busy,
                          on_click=PayState.submit(False), id="pay-submit",
                          width=rx.breakpoints(initial="100%", sm="auto")),
                texts.PAYMENTS["submit_hint"],
            ),
        ),
        rx.hstack(
            rx.icon("shield-check", size=14, color=rx.color("gray", 10)),
            rx.text(texts.PAYMENTS["secure"], size="1", color=rx.color("gray", 10)),
            spacing="1",
            align="center",
        ),
        spacing="3",
        width="100%",
    )


def pay_page() -> rx.Component:
    return page_shell(
        rx.cond(
            PayState.loaded,
            rx.cond(
                PayState.not_found,
                _not_found("pay-not-found"),
                rx.vstack(
                    account_header(PayState.title, PayState.subtitle, id="pay"),
                    rx.card(_pay_form(), size=rx.breakpoints(initial="2", sm="3"), width="100%", max_width="720px"),
                    spacing="4",
                    width="100%",
                ),
            ),
            _loading(),
        )
    )


# --- /payments/<id> --------------------------------------------------------------------------------


def _detail(label: str, value: rx.Var[str], *, id: str) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label), rx.data_list.value(rx.text(value, id=id)))


def payment_status_page() -> rx.Component:
    payment = PaymentStatusState.payment
    details = rx.data_list.root(
        _detail(texts.PAYMENTS["amount"], payment.amount_text, id="payment-amount"),
        _detail(texts.PAYMENTS["provider"], payment.provider, id="payment-provider"),
        _detail(texts.PAYMENTS["account"], payment.account_number, id="payment-account"),
        _detail(texts.PAYMENTS["created"], payment.created_text, id="payment-created"),
        rx.cond(payment.paid_text != "", _detail(texts.PAYMENTS["paid"], payment.paid_text, id="payment-paid")),
        rx.cond(payment.gateway_id != "", _detail(texts.PAYMENTS["gateway_id"], payment.gateway_id, id="payment-gateway-id")),
        orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
        size="2",
    )
    actions = rx.flex(
        rx.cond(payment.status == "succeeded",
                rx.link(rx.button(rx.icon("receipt", size=16), texts.PAYMENTS["receipt_link"], size="3", width="100%"),
                        href=f"/payments/{payment.id}/receipt", id="payment-receipt-link")),
        rx.cond(payment.status == "failed",
                rx.button(rx.icon("rotate-ccw", size=16), texts.PAYMENTS["retry"], size="3",
                          loading=PaymentStatusState.busy, on_click=PaymentStatusState.retry, id="payment-retry")),
        rx.cond(payment.status == "canceled",
                rx.link(rx.button(rx.icon("rotate-ccw", size=16), texts.PAYMENTS["pay_again"], size="3", width="100%"),
                        href=f"/accounts/{payment.account_id}/pay", id="payment-pay-again")),
        rx.cond(payment.confirmation_url != "",
                # A plain <a>: the checkout is a whole other page, not a route of the app.
                rx.el.a(rx.button(texts.PAYMENTS["to_checkout"], size="3", variant="soft", width="100%"),
                        href=payment.confirmation_url, id="payment-checkout-link")),
        rx.link(rx.button(texts.PAYMENTS["to_dashboard"], size="3", variant="soft", width="100%"), href="/",
                id="payment-to-dashboard"),
        rx.link(rx.button(texts.PAYMENTS["to_history"], size="3", variant="outline", width="100%"), href="/payments",
                id="payment-to-history"),
        direction=rx.breakpoints(initial="column", sm="row"),
        spacing="3",
        wrap="wrap",
        width="100%",
    )
    return page_shell(
        rx.cond(
            PaymentStatusState.loaded,
            rx.cond(
                PaymentStatusState.not_found,
                _not_found("payment-not-found"),
                rx.card(
                    rx.vstack(
                        rx.hstack(
                            rx.heading(texts.PAYMENTS["status_title"], payment.id, size="6", as_="h1",
                                       id="payment-title"),
                            _status_badge(payment.status, payment.status_label, id="payment-status"),
                            rx.cond(PaymentStatusState.checking, rx.spinner(size="2", id="payment-checking")),
                            align="center",
                            spacing="3",
                            wrap="wrap",
                        ),
                        rx.text(payment.status_text, size="3", id="payment-status-text"),
                        rx.cond(payment.reason_text != "",
                                rx.callout(payment.reason_text, icon="info",
                                           color_scheme=rx.cond(payment.status == "failed", "red", "gray"),
                                           id="payment-reason", width="100%")),
                        details,
                        form_alert(PaymentStatusState.error, id="payment-error"),
                        actions,
                        spacing="4",
                        width="100%",
                    ),
                    size=rx.breakpoints(initial="2", sm="4"),
                    width="100%",
                    max_width="720px",
                ),
            ),
            _loading(),
        )
    )


# --- /payments -----------------------------------------------------------------------------------------


def _history_row(row: HistoryRow) -> rx.Component:
    return rx.link(
        rx.flex(
            rx.vstack(
                rx.text(row.provider, weight="medium", size="2"),
                rx.text(texts.DASHBOARD["account_label"], row.account_label, " · ", row.created_text, size="1",
                        color=rx.color("gray", 11)),
                spacing="0",
                min_width="0",
            ),
            rx.spacer(),
            rx.vstack(
                rx.text(row.amount_text, weight="bold", size="3", white_space="nowrap"),
                _status_badge(row.status, row.status_label, id=f"history-status-{row.id}"),
                spacing="1",
                align="end",
            ),
            spacing="3",
            align="center",
            padding="12px",
            width="100%",
        ),
        href=f"/payments/{row.id}",
        underline="none",
        color="inherit",
        id=f"history-row-{row.id}",
        border_top=f"1px solid {rx.color('gray', 4)}",
        display="block",
        width="100%",
    )


def history_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            rx.hstack(
                rx.heading(texts.PAYMENTS["history_title"], size=rx.breakpoints(initial="6", sm="7"), as_="h1",
                           id="history-title"),
                hint_icon(texts.PAYMENTS["history_hint"], id="history-title-hint"),
                align="center",
                spacing="2",
            ),
            rx.grid(
                select_field(HistoryState.accounts, HistoryState.account_filter, HistoryState.set_account_filter,
                        id="history-filter-account", label=texts.PAYMENTS["history_filter_account"]),
                select_field(HistoryState.periods, HistoryState.period_filter, HistoryState.set_period_filter,
                        id="history-filter-period", label=texts.PAYMENTS["history_filter_period"]),
                select_field(HistoryState.statuses, HistoryState.status_filter, HistoryState.set_status_filter,
                        id="history-filter-status", label=texts.PAYMENTS["history_filter_status"]),
                columns=rx.breakpoints(initial="1", sm="3"),
                spacing="3",
                width="100%",
            ),
            rx.cond(
                HistoryState.loaded,
                rx.card(
                    rx.cond(
                        HistoryState.rows.length() > 0,
                        rx.vstack(
                            rx.text(HistoryState.total_text, size="2", weight="medium", padding="12px",
                                    id="history-total"),
                            rx.foreach(HistoryState.rows, _history_row),
                            spacing="0",
                            width="100%",
                            id="history-rows",
                        ),
                        rx.text(texts.PAYMENTS["history_empty"], padding="12px", id="history-empty"),
                    ),
                    width="100%",
                    size="1",
                ),
                _loading(),
            ),
            spacing="4",
            width="100%",
        )
    )


# --- /payments/<id>/receipt ----------------------------------------------------------------------------


def receipt_page() -> rx.Component:
    payment = ReceiptState.payment
    rows = [
        (texts.PAYMENTS["receipt_payer"], payment.payer, "receipt-payer"),
        (texts.PAYMENTS["provider"], payment.provider, "receipt-provider"),
        (texts.DASHBOARD["inn_label"].strip(), payment.inn, "receipt-inn"),
        (texts.PAYMENTS["account"], payment.account_number, "receipt-account"),
        (texts.PAYMENTS["receipt_address"], payment.address, "receipt-address"),
        (texts.PAYMENTS["receipt_purpose"], payment.description, "receipt-purpose"),
        (texts.PAYMENTS["paid"], payment.paid_text, "receipt-paid"),
        (texts.PAYMENTS["gateway_id"], payment.gateway_id, "receipt-gateway-id"),
    ]
    return page_shell(
        rx.cond(
            ReceiptState.loaded,
            rx.cond(
                ReceiptState.not_found,
                rx.callout(texts.PAYMENTS["receipt_unavailable"], icon="info", color_scheme="gray",
                           id="receipt-unavailable"),
                rx.card(
                    rx.vstack(
                        rx.hstack(
                            rx.image(src="/logo.svg", width="28px", height="28px", alt=""),
                            rx.text(texts.PRODUCT_NAME, weight="bold", size="4"),
                            align="center",
                            spacing="2",
                        ),
                        rx.heading(texts.PAYMENTS["receipt_title"], payment.id, size="5", as_="h1",
                                   id="receipt-title"),
                        rx.data_list.root(
                            *[_detail(label, value, id=id) for label, value, id in rows],
                            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
                            size="2",
                        ),
                        rx.hstack(
                            rx.text(texts.PAYMENTS["amount"], size="4"),
                            rx.spacer(),
                            rx.text(payment.amount_text, size="6", weight="bold", id="receipt-amount"),
                            width="100%",
                            align="center",
                            border_top=f"2px solid {rx.color('gray', 6)}",
                            padding_top="12px",
                        ),
                        rx.text(texts.PAYMENTS["receipt_note"], payment.receipt_email, ".",
                                size="1", color=rx.color("gray", 11)),
                        rx.button(rx.icon("printer", size=16), texts.PAYMENTS["receipt_print"], variant="soft",
                                  on_click=ReceiptState.print_receipt, id="receipt-print", class_name="no-print"),
                        spacing="3",
                        width="100%",
                    ),
                    size="4",
                    width="100%",
                    max_width="640px",
                    margin_x="auto",
                    id="receipt",
                ),
            ),
            _loading(),
        )
    )
