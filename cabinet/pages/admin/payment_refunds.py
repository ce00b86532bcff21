"""A payment's detail on /admin/payments: its parts with «Вернуть деньги», its refunds, and the refund dialog."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import form_alert, form_field, invalid_field
from cabinet.state.admin.payment_rows import PartRow, RefundRow
from cabinet.state.admin.payments import AdminPaymentsState
from cabinet.state.admin.refunds import AdminRefundState

state, refund = AdminPaymentsState, AdminRefundState
WORDS = texts.ADMIN["refund_dialog"]


def _figure(label: str, value, *, id) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color=rx.color("gray", 11)),
        rx.text(value, size="2", weight="medium", white_space="nowrap", id=id),
        spacing="0",
    )


def _part(part: PartRow) -> rx.Component:
    figures = texts.ADMIN["part_figures"]
    return rx.flex(
        rx.vstack(
            rx.text(part.provider, size="2", weight="medium"),
            rx.text(texts.ADMIN["payment_detail"]["account"], " ", part.account, size="1", color=rx.color("gray", 11)),
            spacing="0",
            min_width="0",
            flex="1",
        ),
        rx.hstack(
            _figure(figures["amount"], part.amount, id=f"admin-part-{part.id}-amount"),
            _figure(figures["refunded"], part.refunded, id=f"admin-part-{part.id}-refunded"),
            _figure(figures["left"], part.left, id=f"admin-part-{part.id}-left"),
            spacing="4",
            wrap="wrap",
        ),
        rx.cond(
            part.may_refund,
            rx.button(
                rx.icon("undo-2", size=16),
                texts.ADMIN["refund_open"],
                variant="soft",
                color_scheme="red",
                on_click=refund.open_for(part.id),
                id=f"admin-refund-open-{part.id}",
            ),
        ),
        direction=rx.breakpoints(initial="column", md="row"),
        align=rx.breakpoints(initial="start", md="center"),
        spacing="3",
        padding_y="10px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
        id=f"admin-part-{part.id}",
    )


def parts_section() -> rx.Component:
    return rx.vstack(
        rx.heading(texts.ADMIN["parts_title"], size="3", as_="h3"),
        rx.cond(state.whole != "", rx.text(state.whole, size="2", weight="medium", id="admin-payment-whole")),
        rx.vstack(rx.foreach(state.parts, _part), spacing="0", width="100%", id="admin-payment-parts"),
        spacing="2",
        width="100%",
    )


def _refund_row(line: RefundRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(line.created, white_space="nowrap"),
        rx.table.cell(line.account),
        rx.table.cell(line.amount, white_space="nowrap", text_align="right"),
        rx.table.cell(rx.badge(line.status_label, color_scheme=line.status_color)),
        rx.table.cell(line.reason, min_width="160px"),
        rx.table.cell(line.requested_by),
        id=f"admin-refund-{line.id}",
    )


def refunds_section() -> rx.Component:
    """The payment's refunds newest first; the table scrolls sideways on a phone rather than squeezing."""
    table = rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(name) for name in texts.ADMIN["refund_columns"]])),
        rx.table.body(rx.foreach(state.refunds, _refund_row)),
        size="1",
        variant="surface",
        width="100%",
    )
    return rx.vstack(
        rx.heading(texts.ADMIN["refunds_title"], size="3", as_="h3"),
        rx.cond(
            state.refunds.length() > 0,
            # Focusable and named: a phone's keyboard user can scroll it (accessibility.css, scroll-region).
            rx.box(
                table,
                overflow_x="auto",
                width="100%",
                class_name="scroll-region",
                tab_index=0,
                role="region",
                aria_label=texts.ADMIN["refunds_title"],
                id="admin-refunds",
            ),
            rx.text(texts.ADMIN["refunds_empty"], size="2", color=rx.color("gray", 11), id="admin-refunds-empty"),
        ),
        spacing="2",
        width="100%",
    )


def _fields() -> rx.Component:
    return rx.vstack(
        form_field(
            WORDS["amount"],
            rx.input(
                value=refund.amount,
                on_change=refund.set_amount,
                id="admin-refund-amount",
                name="amount",
                input_mode="decimal",
                auto_complete="off",
                width="100%",
                **invalid_field(refund.amount_error, error_id="admin-refund-amount-error"),
            ),
            field_id="admin-refund-amount",
            error=refund.amount_error,
            help_text=WORDS["amount_help"],
        ),
        form_field(
            WORDS["reason"],
            rx.text_area(
                value=refund.reason,
                on_change=refund.set_reason,
                id="admin-refund-reason",
                name="reason",
                rows="3",
                width="100%",
                **invalid_field(refund.reason_error, error_id="admin-refund-reason-error"),
            ),
            field_id="admin-refund-reason",
            error=refund.reason_error,
            help_text=WORDS["reason_help"],
        ),
        rx.text(refund.counter, size="1", color=rx.color("gray", 11), align="right", width="100%"),
        spacing="3",
        width="100%",
    )


def refund_dialog() -> rx.Component:
    """One dialog for every part: «Вернуть деньги» fills it with its part; a keyboard and a tap work alike."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(WORDS["title"], custom_attrs={"as": "h2"}),
            rx.dialog.description(refund.part_label, size="2", weight="medium"),
            rx.text(
                refund.left_label, size="2", color=rx.color("gray", 11), id="admin-refund-left", margin_bottom="12px"
            ),
            rx.form(
                rx.vstack(
                    rx.callout(
                        WORDS["warning"],
                        icon="triangle-alert",
                        color_scheme="amber",
                        # Radix writes a callout in amber step 11 on step 3: under 4.5:1; step 12 reads well.
                        color=rx.color("amber", 12),
                        width="100%",
                        id="admin-refund-warning",
                    ),
                    _fields(),
                    form_alert(refund.error, id="admin-refund-error"),
                    rx.flex(
                        rx.dialog.close(
                            rx.button(
                                WORDS["cancel"],
                                type="button",
                                variant="soft",
                                color_scheme="gray",
                                id="admin-refund-cancel",
                            )
                        ),
                        rx.button(
                            WORDS["submit"],
                            type="submit",
                            color_scheme="red",
                            loading=refund.busy,
                            id="admin-refund-submit",
                        ),
                        justify="end",
                        spacing="3",
                        width="100%",
                        wrap="wrap",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=refund.submit,
            ),
            max_width="520px",
            id="admin-refund-dialog",
        ),
        open=refund.is_open,
        on_open_change=refund.set_open,
    )
