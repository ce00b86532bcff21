"""/payments/<id>/receipt: the printable receipt of a succeeded payment."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.layout import page_shell
from cabinet.components.loading import when_loaded
from cabinet.components.payments import detail, payment_parts
from cabinet.state.receipt import ReceiptState


def _details() -> rx.Component:
    """Who paid, to whom and for what. One account: its provider, INN, number and address as lines of
    their own; several: a line each under the list (`receipt-part-<account id>`)."""
    payment = ReceiptState.payment
    recipient = [
        (texts.PAYMENTS["provider"], payment.provider, "receipt-provider"),
        (texts.DASHBOARD["inn_label"].strip(), payment.inn, "receipt-inn"),
        (texts.PAYMENTS["account"], payment.account_number, "receipt-account"),
        (texts.PAYMENTS["receipt_address"], payment.address, "receipt-address"),
    ]
    rows = [
        (texts.PAYMENTS["receipt_purpose"], payment.description, "receipt-purpose"),
        (texts.PAYMENTS["paid"], payment.paid_text, "receipt-paid"),
        (texts.PAYMENTS["gateway_id"], payment.gateway_id, "receipt-gateway-id"),
    ]
    return rx.fragment(
        rx.data_list.root(
            detail(texts.PAYMENTS["receipt_payer"], payment.payer, id="receipt-payer"),
            rx.cond(~payment.several, rx.fragment(*[detail(label, value, id=id) for label, value, id in recipient])),
            *[detail(label, value, id=id) for label, value, id in rows],
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            size="2",
        ),
        rx.cond(
            payment.several,
            rx.vstack(
                rx.text(texts.PAYMENTS["receipt_parts"], weight="medium", size="2"),
                payment_parts(payment.parts, id_prefix="receipt-part", with_inn=True),
                spacing="1",
                width="100%",
            ),
        ),
    )


def _sums() -> rx.Component:
    """The sum paid and, once money came back, how much."""
    payment = ReceiptState.payment
    return rx.fragment(
        rx.hstack(
            rx.text(texts.PAYMENTS["amount"], size="4"),
            rx.spacer(),
            rx.text(payment.amount_text, size="6", weight="bold", id="receipt-amount"),
            width="100%",
            align="center",
            border_top=f"2px solid {rx.color('gray', 6)}",
            padding_top="12px",
        ),
        rx.cond(
            payment.refunded_amount_text != "",
            rx.hstack(
                rx.text(texts.PAYMENTS["refunded"], size="3"),
                rx.spacer(),
                rx.text(payment.refunded_amount_text, size="4", weight="bold", id="receipt-refunded"),
                width="100%",
                align="center",
            ),
        ),
    )


def _receipt_card() -> rx.Component:
    payment = ReceiptState.payment
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.image(src="/logo.svg", width="28px", height="28px", alt=""),
                rx.text(texts.PRODUCT_NAME, weight="bold", size="4"),
                align="center",
                spacing="2",
            ),
            rx.heading(texts.PAYMENTS["receipt_title"], payment.id, size="5", as_="h1", id="receipt-title"),
            _details(),
            _sums(),
            rx.text(texts.PAYMENTS["receipt_note"], payment.receipt_email, ".", size="1", color=rx.color("gray", 11)),
            rx.button(
                rx.icon("printer", size=16),
                texts.PAYMENTS["receipt_print"],
                variant="soft",
                on_click=ReceiptState.print_receipt,
                id="receipt-print",
                class_name="no-print",
            ),
            spacing="3",
            width="100%",
        ),
        size="4",
        width="100%",
        max_width="640px",
        margin_x="auto",
        id="receipt",
    )


def receipt_page() -> rx.Component:
    return page_shell(
        when_loaded(
            ReceiptState.loaded,
            rx.cond(
                ReceiptState.not_found,
                rx.callout(
                    texts.PAYMENTS["receipt_unavailable"], icon="info", color_scheme="gray", id="receipt-unavailable"
                ),
                _receipt_card(),
            ),
            id="receipt-loading",
        )
    )
