"""Pieces the payment pages share: the status badge, a detail line, not found, the pay forms' amount and button."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import invalid_field
from cabinet.components.hint import with_hint


def not_found(id: str) -> rx.Component:
    return rx.callout(texts.error_text("not_found"), icon="search-x", color_scheme="gray", id=id)


def status_badge(status: rx.Var[str], label: rx.Var[str], color: rx.Var[str], *, id: str | rx.Var[str]) -> rx.Component:
    """The status in words and colour; `data-state` carries its code for tests and styles."""
    return rx.badge(label, color_scheme=color, size="2", id=id, data_state=status)


def detail(label: str, value: rx.Var[str], *, id: str) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label), rx.data_list.value(rx.text(value, id=id)))


def amount_input(value: rx.Var[str], on_change, *, id: str | rx.Var[str], error: rx.Var[str], **props) -> rx.Component:
    """The amount in rubles as typed, red with its message read out while it is refused (`<id>-error`)."""
    return rx.input(
        value=value,
        on_change=on_change,
        id=id,
        **invalid_field(error, error_id=f"{id}-error"),
        input_mode="decimal",
        placeholder="1500,00",
        size="3",
        width=rx.breakpoints(initial="100%", sm="220px"),
        **props,
    )


def pay_summary(total: rx.Var[str], receipt_note: rx.Var[str], *, total_id: str, note_id: str) -> rx.Component:
    """«Итого к оплате» with the sum, and where the receipt goes."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(texts.PAYMENTS["summary"], size="3"),
                rx.spacer(),
                rx.text(total, size="6", weight="bold", id=total_id, overflow_wrap="anywhere"),
                align="center",
                width="100%",
                wrap="wrap",
            ),
            rx.text(receipt_note, size="2", color=rx.color("gray", 11), id=note_id, overflow_wrap="anywhere"),
            spacing="1",
            width="100%",
        ),
        width="100%",
        variant="surface",
    )


def pay_button(
    label: rx.Var[str] | str,
    *,
    jump_pending: rx.Var[bool],
    busy: rx.Var[bool],
    on_submit: rx.event.EventSpec,
    on_confirm: rx.event.EventSpec,
    id: str,
    confirm_id: str,
) -> rx.Component:
    """The button to the checkout (`id`), or while a reading's unusual use is asked about, «Да, всё верно —
    передать» (`confirm_id`), which confirms those readings and goes on to the checkout."""
    return rx.cond(
        jump_pending,
        rx.button(
            texts.READINGS["jump_confirm"],
            color_scheme="amber",
            size="3",
            loading=busy,
            on_click=on_confirm,
            id=confirm_id,
            width=rx.breakpoints(initial="100%", sm="auto"),
        ),
        with_hint(
            rx.button(
                rx.icon("lock", size=16),
                label,
                size="3",
                loading=busy,
                on_click=on_submit,
                id=id,
                width=rx.breakpoints(initial="100%", sm="auto"),
            ),
            texts.PAYMENTS["submit_hint"],
        ),
    )


def secure_note() -> rx.Component:
    return rx.hstack(
        rx.icon("shield-check", size=14, color=rx.color("gray", 10)),
        rx.text(texts.PAYMENTS["secure"], size="1", color=rx.color("gray", 11)),
        spacing="1",
        align="center",
    )


def payment_parts(parts: rx.Var[list], *, id_prefix: str, with_inn: bool = False) -> rx.Component:
    """The accounts one payment paid, a line each (`<id_prefix>-<account id>`): provider (and INN), account
    and address, the part's sum and what of it came back."""

    def line(part: rx.Var) -> rx.Component:
        provider = [rx.text(part.provider, weight="medium", size="2")]
        if with_inn:
            provider.append(rx.text(texts.DASHBOARD["inn_label"], part.inn, size="1", color=rx.color("gray", 11)))
        return rx.flex(
            rx.vstack(
                *provider,
                rx.text(
                    texts.DASHBOARD["account_label"],
                    part.account_number,
                    rx.cond(part.address != "", " · " + part.address, ""),
                    size="1",
                    color=rx.color("gray", 11),
                ),
                spacing="0",
                min_width="0",
            ),
            rx.spacer(),
            rx.vstack(
                rx.text(part.amount_text, weight="bold", size="2", white_space="nowrap"),
                rx.cond(
                    part.refunded_text != "",
                    rx.text(part.refunded_text, size="1", color=rx.color("amber", 11), white_space="nowrap"),
                ),
                spacing="0",
                align="end",
            ),
            spacing="3",
            padding_y="8px",
            border_top=f"1px solid {rx.color('gray', 4)}",
            width="100%",
            wrap="wrap",
            id=f"{id_prefix}-{part.account_id}",
        )

    return rx.vstack(rx.foreach(parts, line), spacing="0", width="100%", id=f"{id_prefix}s")
