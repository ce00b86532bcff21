"""/accounts/<id>/pay: what to pay (the debt or an own amount), readings alongside, the summary and the button."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import checkbox_field, form_alert, form_field
from cabinet.components.hint import hint_icon
from cabinet.components.layout import page_shell
from cabinet.components.loading import when_loaded
from cabinet.components.payments import amount_input, not_found, pay_button, pay_summary, secure_note
from cabinet.components.readings import readings_fields
from cabinet.pages.readings import account_header
from cabinet.state.pay import PayState
from cabinet.state.readings import ReadingsState


def _mode_option(value: str, title: str, body: rx.Component, *, disabled: rx.Var[bool] | bool = False) -> rx.Component:
    """One choice of the amount: a native radio (arrow keys move between the two, Space picks) with
    its title as the label; the body — the debt, or the amount field — sits beside it, not inside."""
    chosen = PayState.mode == value
    radio = rx.el.input(
        type="radio",
        name="pay-mode",
        value=value,
        checked=chosen,
        disabled=disabled,
        on_change=PayState.set_mode(value),
        id=f"pay-mode-{value}",
        width="20px",
        height="20px",
        margin="0",
        flex_shrink="0",
        accent_color=rx.color("accent", 11),
    )
    return rx.box(
        rx.el.label(
            rx.hstack(radio, rx.text(title, weight="medium", size="3"), align="center", spacing="3"),
            cursor=rx.cond(disabled, "default", "pointer"),
        ),
        rx.box(
            body,
            padding_left=rx.breakpoints(initial="0", sm="32px"),
            padding_top="4px",
            width="100%",
            box_sizing="border-box",
        ),
        opacity=rx.cond(disabled, "0.6", "1"),
        padding="12px",
        border_radius="8px",
        border=rx.cond(chosen, f"2px solid {rx.color('accent', 8)}", f"1px solid {rx.color('gray', 5)}"),
        background_color=rx.cond(chosen, rx.color("accent", 2), rx.color("gray", 1)),
        width="100%",
    )


def _debt_body() -> rx.Component:
    return rx.cond(
        PayState.can_pay_debt,
        rx.vstack(
            rx.text(
                PayState.owed_text,
                size=rx.breakpoints(initial="5", sm="6"),
                weight="bold",
                id="pay-debt-amount",
                overflow_wrap="anywhere",
            ),
            rx.text(texts.PAYMENTS["mode_debt_help"], size="1", color=rx.color("gray", 11)),
            spacing="0",
        ),
        rx.text(texts.PAYMENTS["mode_debt_none"], size="2", color=rx.color("gray", 11), id="pay-debt-none"),
    )


def _custom_body() -> rx.Component:
    return rx.vstack(
        rx.text(PayState.custom_help, size="1", color=rx.color("gray", 11)),
        form_field(
            texts.PAYMENTS["amount_field"],
            amount_input(
                PayState.amount,
                PayState.set_amount,
                on_focus=PayState.set_mode("custom"),
                id="pay-amount",
                error=PayState.amount_error,
            ),
            field_id="pay-amount",
            error=PayState.amount_error,
            help_text=texts.PAYMENTS["amount_help"],
        ),
        spacing="2",
        width="100%",
    )


def _modes() -> rx.Component:
    return rx.vstack(
        _mode_option("debt", texts.PAYMENTS["mode_debt"], _debt_body(), disabled=~PayState.can_pay_debt),
        _mode_option("custom", texts.PAYMENTS["mode_custom"], _custom_body()),
        spacing="2",
        width="100%",
        role="radiogroup",
        aria_labelledby="pay-mode-title",
    )


def _readings() -> rx.Component:
    """The readings checkbox and fields while readings are taken; when they are not, when they will be."""
    has_meters = ReadingsState.rows.length() > 0
    checkbox = checkbox_field(
        texts.PAYMENTS["with_readings"],
        checked=PayState.with_readings,
        on_change=PayState.set_with_readings,
        id="pay-with-readings",
        size="3",
        weight="medium",
    )
    return rx.fragment(
        rx.cond(
            has_meters & ~ReadingsState.can_submit,
            # Readings are not taken now: say when, instead of a checkbox that would only refuse.
            rx.text(ReadingsState.window_text, size="2", color=rx.color("gray", 11), id="pay-readings-closed"),
        ),
        rx.cond(
            has_meters & ReadingsState.can_submit,
            rx.vstack(
                # That readings stay saved when the payment is cancelled is news: on a «?» a phone can tap.
                rx.hstack(
                    checkbox,
                    hint_icon(texts.PAYMENTS["with_readings_hint"], id="pay-with-readings-hint"),
                    spacing="1",
                    align="center",
                ),
                rx.cond(PayState.with_readings, readings_fields()),
                spacing="2",
                width="100%",
                padding_top="8px",
            ),
        ),
    )


def _submit() -> rx.Component:
    """«Перейти к оплате», or the question about an unusually large reading first."""
    return pay_button(
        texts.PAYMENTS["submit"],
        jump_pending=ReadingsState.jump_pending & PayState.with_readings,
        busy=PayState.busy,
        on_submit=PayState.submit(False),
        on_confirm=PayState.submit(True),
        id="pay-submit",
        confirm_id="pay-confirm-jump",
    )


def _pay_form() -> rx.Component:
    return rx.vstack(
        rx.heading(texts.PAYMENTS["mode"], size="3", as_="h2", id="pay-mode-title"),
        _modes(),
        _readings(),
        pay_summary(PayState.summary, PayState.receipt_note, total_id="pay-summary", note_id="pay-receipt-email"),
        form_alert(PayState.form_error, id="pay-error"),
        _submit(),
        secure_note(),
        spacing="3",
        width="100%",
    )


def pay_page() -> rx.Component:
    return page_shell(
        when_loaded(
            # The form shows the readings form too: both of this visit.
            PayState.loaded & ReadingsState.loaded,
            rx.cond(
                PayState.not_found,
                not_found("pay-not-found"),
                rx.vstack(
                    account_header(PayState.title, PayState.subtitle, id="pay"),
                    rx.card(_pay_form(), size=rx.breakpoints(initial="2", sm="3"), width="100%", max_width="720px"),
                    spacing="4",
                    width="100%",
                ),
            ),
            id="pay-loading",
        )
    )
