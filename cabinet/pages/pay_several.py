"""/pay, «Оплатить несколько счетов»: every linked account, its «Оплатить», sum and readings; one total, one button."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import checkbox_field, field_error, form_alert, form_field
from cabinet.components.hint import hint_icon
from cabinet.components.layout import page_shell
from cabinet.components.loading import when_loaded
from cabinet.components.payments import amount_input, pay_button, pay_summary, secure_note
from cabinet.components.readings import meter_field, window_notice
from cabinet.state.pay_several import PaySeveralState
from cabinet.state.several_rows import SeveralRow


def _heading(row: SeveralRow) -> rx.Component:
    """The account's name and provider, number and address; what it owes beside them (under them on a phone)."""
    return rx.flex(
        rx.vstack(
            rx.heading(row.title, size="4", as_="h2", id=f"pay-several-title-{row.account_id}"),
            rx.text(row.subtitle, size="2", color=rx.color("gray", 11)),
            spacing="1",
            min_width="0",
        ),
        rx.text(
            row.owed_text,
            size="3",
            weight="medium",
            white_space="nowrap",
            id=f"pay-several-owed-{row.account_id}",
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        justify="between",
        align=rx.breakpoints(initial="start", sm="start"),
        spacing="2",
        width="100%",
    )


def _amount(row: SeveralRow) -> rx.Component:
    field_id = f"pay-several-amount-{row.account_id}"
    return form_field(
        texts.PAYMENTS["amount_field"],
        amount_input(
            row.amount,
            lambda value: PaySeveralState.set_amount(row.account_id, value),
            id=field_id,
            error=row.amount_error,
        ),
        field_id=field_id,
        error=row.amount_error,
        help_text=texts.PAYMENTS["amount_help"],
    )


def _readings(row: SeveralRow) -> rx.Component:
    """«Передать показания» opening the account's meters; when readings are not taken now, when they will be."""
    has_meters = row.meters.length() > 0
    toggle_id = f"pay-several-with-readings-{row.account_id}"
    return rx.fragment(
        rx.cond(
            has_meters & ~row.can_send_readings,
            rx.text(
                row.window_text,
                size="2",
                color=rx.color("gray", 11),
                id=f"pay-several-readings-closed-{row.account_id}",
            ),
        ),
        rx.cond(
            has_meters & row.can_send_readings,
            rx.vstack(
                rx.hstack(
                    checkbox_field(
                        texts.PAY_SEVERAL["with_readings"],
                        checked=row.with_readings,
                        on_change=lambda checked: PaySeveralState.set_with_readings(row.account_id, checked),
                        id=toggle_id,
                        labelled_by=f"{toggle_id}-label pay-several-title-{row.account_id}",
                        weight="medium",
                    ),
                    # That readings stay saved when the payment is canceled is news: on a «?» a phone can tap.
                    hint_icon(texts.PAY_SEVERAL["with_readings_hint"], id=f"{toggle_id}-hint"),
                    spacing="1",
                    align="center",
                ),
                field_error(row.readings_error, id=f"{toggle_id}-error"),
                rx.cond(
                    row.with_readings,
                    rx.vstack(
                        window_notice(
                            row.window_open,
                            row.window_text,
                            row.window_color,
                            row.window_mode,
                            id=f"pay-several-window-{row.account_id}",
                        ),
                        rx.foreach(
                            row.meters,
                            lambda meter: meter_field(
                                meter, on_value=PaySeveralState.set_reading, on_replaced=PaySeveralState.set_replaced
                            ),
                        ),
                        spacing="0",
                        width="100%",
                    ),
                ),
                spacing="2",
                width="100%",
            ),
        ),
    )


def _account(row: SeveralRow) -> rx.Component:
    choose_id = f"pay-several-choose-{row.account_id}"
    return rx.card(
        rx.vstack(
            _heading(row),
            checkbox_field(
                texts.PAY_SEVERAL["choose"],
                checked=row.chosen,
                on_change=lambda checked: PaySeveralState.set_chosen(row.account_id, checked),
                id=choose_id,
                # «Оплатить» alone, three times over, would not tell a screen reader which account.
                labelled_by=f"{choose_id}-label pay-several-title-{row.account_id}",
                size="3",
                weight="medium",
            ),
            rx.cond(
                row.chosen,
                rx.vstack(_amount(row), _readings(row), spacing="3", width="100%"),
                rx.text(texts.PAY_SEVERAL["not_chosen"], size="2", color=rx.color("gray", 11)),
            ),
            spacing="3",
            width="100%",
        ),
        size=rx.breakpoints(initial="2", sm="3"),
        width="100%",
        id=f"pay-several-account-{row.account_id}",
        data_chosen=rx.cond(row.chosen, "true", "false"),
        # A chosen account stands out: the sum it adds is in the total below. An unchosen one keeps a quiet stripe
        # of the same width: a transparent one let the card's own outline start 4 px further right.
        border_left=rx.cond(row.chosen, f"4px solid {rx.color('accent', 9)}", f"4px solid {rx.color('gray', 6)}"),
    )


def _checkout() -> rx.Component:
    """What the list comes to and the one button; refusals of the list as a whole above it.

    On a card, as on the one-account form: the alerts' red words want its plain background to be read.
    """
    return rx.card(
        rx.vstack(
            form_alert(PaySeveralState.accounts_error, id="pay-several-accounts-error"),
            pay_summary(
                PaySeveralState.total_text,
                PaySeveralState.receipt_note,
                total_id="pay-several-total",
                note_id="pay-several-receipt-email",
            ),
            form_alert(PaySeveralState.form_error, id="pay-several-error"),
            pay_button(
                PaySeveralState.submit_text,
                jump_pending=PaySeveralState.jump_pending,
                busy=PaySeveralState.busy,
                on_submit=PaySeveralState.submit(False),
                on_confirm=PaySeveralState.submit(True),
                id="pay-several-submit",
                confirm_id="pay-several-confirm-jump",
            ),
            secure_note(),
            spacing="3",
            width="100%",
        ),
        size=rx.breakpoints(initial="2", sm="3"),
        width="100%",
    )


def _form() -> rx.Component:
    return rx.vstack(
        rx.text(PaySeveralState.custom_help, size="2", color=rx.color("gray", 11), id="pay-several-limits"),
        rx.vstack(
            rx.foreach(PaySeveralState.accounts, _account),
            spacing="3",
            width="100%",
            id="pay-several-accounts",
        ),
        _checkout(),
        spacing="3",
        width="100%",
        max_width="720px",
    )


def _too_few() -> rx.Component:
    """One account: its own pay form, or connect another; none: connect one."""
    one = PaySeveralState.own_form_href != ""
    return rx.callout.root(
        rx.callout.icon(rx.icon("info")),
        rx.callout.text(
            rx.text(texts.PAY_SEVERAL["few_title"], weight="bold", as_="span"),
            " ",
            rx.cond(one, texts.PAY_SEVERAL["few_one"], texts.PAY_SEVERAL["few_none"]),
        ),
        rx.flex(
            rx.cond(
                one,
                rx.link(
                    rx.button(texts.PAY_SEVERAL["pay_one"], size="3", width="100%"),
                    href=PaySeveralState.own_form_href,
                    id="pay-several-own-form",
                ),
            ),
            rx.link(
                rx.button(texts.PAY_SEVERAL["connect"], size="3", variant="soft", width="100%"),
                href="/accounts/connect",
                id="pay-several-connect",
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            spacing="3",
        ),
        color_scheme="gray",
        id="pay-several-few",
        width="100%",
        max_width="720px",
    )


def _header() -> rx.Component:
    return rx.vstack(
        rx.link(
            rx.hstack(rx.icon("arrow-left", size=16), texts.READINGS["back"], spacing="1", align="center"),
            href="/",
            size="2",
            id="pay-several-back",
        ),
        rx.heading(
            texts.PAY_SEVERAL["title"], size=rx.breakpoints(initial="6", sm="7"), as_="h1", id="pay-several-title"
        ),
        rx.text(texts.PAY_SEVERAL["lead"], size="2", color=rx.color("gray", 11), id="pay-several-lead"),
        spacing="2",
        width="100%",
    )


def pay_several_page() -> rx.Component:
    return page_shell(
        rx.vstack(
            _header(),
            when_loaded(
                PaySeveralState.loaded,
                rx.cond(PaySeveralState.enough_accounts, _form(), _too_few()),
                id="pay-several-loading",
            ),
            spacing="4",
            width="100%",
        )
    )
