"""/payments/<id>: one payment's status, why it failed or was canceled, its details and what to do next."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import form_alert
from cabinet.components.layout import page_shell
from cabinet.components.loading import when_loaded
from cabinet.components.payments import detail, not_found, payment_parts, status_badge
from cabinet.state.payment_status import PaymentStatusState


def _details() -> rx.Component:
    payment = PaymentStatusState.payment
    return rx.data_list.root(
        detail(texts.PAYMENTS["amount"], payment.amount_text, id="payment-amount"),
        # A payment of several accounts lists them below instead: its first account alone would mislead.
        rx.cond(
            ~payment.several,
            rx.fragment(
                detail(texts.PAYMENTS["provider"], payment.provider, id="payment-provider"),
                detail(texts.PAYMENTS["account"], payment.account_number, id="payment-account"),
            ),
        ),
        detail(texts.PAYMENTS["created"], payment.created_text, id="payment-created"),
        rx.cond(payment.paid_text != "", detail(texts.PAYMENTS["paid"], payment.paid_text, id="payment-paid")),
        rx.cond(
            payment.gateway_id != "", detail(texts.PAYMENTS["gateway_id"], payment.gateway_id, id="payment-gateway-id")
        ),
        rx.cond(
            payment.refunded_amount_text != "",
            detail(texts.PAYMENTS["refunded"], payment.refunded_amount_text, id="payment-refunded"),
        ),
        orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
        size="2",
    )


def _parts() -> rx.Component:
    payment = PaymentStatusState.payment
    return rx.cond(
        payment.several,
        rx.vstack(
            rx.heading(texts.PAYMENTS["parts_title"], size="4", as_="h2"),
            payment_parts(payment.parts, id_prefix="payment-part"),
            spacing="2",
            width="100%",
        ),
    )


def _refund(refund: rx.Var) -> rx.Component:
    """One refund (a services.payments.RefundView): its sum and status, why, when, and of which account."""
    return rx.vstack(
        rx.hstack(
            rx.text(refund.amount_text, weight="bold", size="3"),
            rx.badge(
                refund.status_label, color_scheme=refund.status_color, size="2", id=f"payment-refund-{refund.id}-status"
            ),
            align="center",
            spacing="2",
            wrap="wrap",
        ),
        rx.text(refund.reason, size="2"),
        rx.text(
            refund.created_text,
            rx.cond(
                PaymentStatusState.payment.several,
                " · " + texts.PAYMENTS["refund_account"] + refund.account_number,
                "",
            ),
            size="1",
            color=rx.color("gray", 11),
        ),
        spacing="1",
        padding_y="8px",
        border_top=f"1px solid {rx.color('gray', 4)}",
        width="100%",
        id=f"payment-refund-{refund.id}",
    )


def _refunds() -> rx.Component:
    payment = PaymentStatusState.payment
    return rx.cond(
        payment.refunds.length() > 0,
        rx.vstack(
            rx.heading(texts.PAYMENTS["refunds_title"], size="4", as_="h2"),
            rx.foreach(payment.refunds, _refund),
            spacing="2",
            width="100%",
            id="payment-refunds",
        ),
    )


def _actions() -> rx.Component:
    payment = PaymentStatusState.payment
    return rx.flex(
        rx.cond(
            payment.has_receipt,
            rx.link(
                rx.button(rx.icon("receipt", size=16), texts.PAYMENTS["receipt_link"], size="3", width="100%"),
                href=f"/payments/{payment.id}/receipt",
                id="payment-receipt-link",
            ),
        ),
        rx.cond(
            payment.can_retry,
            rx.button(
                rx.icon("rotate-ccw", size=16),
                texts.PAYMENTS["retry"],
                size="3",
                loading=PaymentStatusState.busy,
                on_click=PaymentStatusState.retry,
                id="payment-retry",
            ),
        ),
        rx.cond(
            payment.can_pay_again,
            rx.link(
                rx.button(rx.icon("rotate-ccw", size=16), texts.PAYMENTS["pay_again"], size="3", width="100%"),
                href=payment.pay_again_href,
                id="payment-pay-again",
            ),
        ),
        rx.cond(
            payment.confirmation_url != "",
            # A plain <a>: the checkout is a whole other page, not a route of the app.
            rx.el.a(
                rx.button(texts.PAYMENTS["to_checkout"], size="3", variant="soft", width="100%"),
                href=payment.confirmation_url,
                id="payment-checkout-link",
            ),
        ),
        rx.link(
            rx.button(texts.PAYMENTS["to_dashboard"], size="3", variant="soft", width="100%"),
            href="/",
            id="payment-to-dashboard",
        ),
        rx.link(
            rx.button(texts.PAYMENTS["to_history"], size="3", variant="outline", width="100%"),
            href="/payments",
            id="payment-to-history",
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        spacing="3",
        wrap="wrap",
        width="100%",
    )


def _payment_card() -> rx.Component:
    payment = PaymentStatusState.payment
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(texts.PAYMENTS["status_title"], payment.id, size="6", as_="h1", id="payment-title"),
                status_badge(payment.status, payment.status_label, payment.status_color, id="payment-status"),
                rx.cond(PaymentStatusState.checking, rx.spinner(size="2", id="payment-checking")),
                align="center",
                spacing="3",
                wrap="wrap",
            ),
            rx.text(payment.status_text, size="3", id="payment-status-text"),
            rx.cond(
                payment.reason_text != "",
                rx.callout(
                    payment.reason_text,
                    icon="info",
                    color_scheme=payment.reason_color,
                    id="payment-reason",
                    width="100%",
                ),
            ),
            _details(),
            _parts(),
            _refunds(),
            form_alert(PaymentStatusState.error, id="payment-error"),
            _actions(),
            spacing="4",
            width="100%",
        ),
        size=rx.breakpoints(initial="2", sm="4"),
        width="100%",
        max_width="720px",
    )


def payment_status_page() -> rx.Component:
    return page_shell(
        when_loaded(
            PaymentStatusState.loaded,
            rx.cond(PaymentStatusState.not_found, not_found("payment-not-found"), _payment_card()),
            id="payment-loading",
        )
    )
