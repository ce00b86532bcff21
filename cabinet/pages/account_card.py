"""One linked account on the dashboard: what it owes, the actions, its meters with the window, and charts."""

from __future__ import annotations

from typing import Any

import reflex as rx

from cabinet import texts
from cabinet.components.charts import monthly_bars
from cabinet.components.hint import hint_icon, with_hint
from cabinet.components.icons import icon_if, meter_icon
from cabinet.components.loading import loading_placeholder
from cabinet.state.dashboard import AccountCharts, AccountView, DashboardState, MeterChart, MeterView

_BLUE_9 = "#0090ff"
_GRASS_9 = "#46a758"


def _section_title(text: str, hint: str, *, id: str) -> rx.Component:
    return rx.hstack(
        rx.heading(text, size="3", as_="h3"), hint_icon(hint, id=f"{id}-hint"), align="center", spacing="1"
    )


def _bar_chart(points: rx.Var[list[dict[str, Any]]], *, color: str, id: str) -> rx.Component:
    return rx.box(monthly_bars(data=points, color=color, height=180), width="100%", height="180px", id=id)


def _meter(meter: MeterView) -> rx.Component:
    return rx.box(
        rx.hstack(
            meter_icon(meter.kind_code, size=18, color=rx.color("accent", 10), margin_top="2px"),
            rx.vstack(
                rx.hstack(
                    rx.text(meter.kind, weight="medium", size="2"),
                    rx.text(meter.serial, size="1", color=rx.color("gray", 11)),
                    spacing="2",
                    align="baseline",
                    wrap="wrap",
                ),
                rx.text(meter.last_text, size="2", id=f"meter-last-{meter.meter_id}"),
                rx.cond(
                    meter.verification_text != "",
                    rx.badge(
                        meter.verification_text,
                        color_scheme=meter.verification_color,
                        variant=rx.cond(meter.verification_outlined, "outline", "soft"),
                        id=f"meter-verification-{meter.meter_id}",
                        data_state=meter.verification,
                        white_space="normal",
                    ),
                ),
                spacing="1",
                min_width="0",
            ),
            align="start",
            spacing="2",
        ),
        padding_y="8px",
        border_top=f"1px solid {rx.color('gray', 4)}",
        id=f"meter-{meter.meter_id}",
        width="100%",
    )


def _meter_chart(meter: MeterChart) -> rx.Component:
    return rx.vstack(
        rx.text(meter.title, size="2", weight="medium"),
        rx.cond(
            meter.points.length() > 1,
            _bar_chart(meter.points, color=_BLUE_9, id=f"chart-meter-{meter.meter_id}"),
            rx.text(texts.DASHBOARD["chart_empty"], size="1", color=rx.color("gray", 11)),
        ),
        spacing="1",
        width="100%",
    )


def _chart_grid(charts: AccountCharts) -> rx.Component:
    return rx.grid(
        rx.foreach(charts.meters, _meter_chart),
        rx.vstack(
            rx.text(texts.DASHBOARD["chart_payments"], size="2", weight="medium"),
            rx.cond(
                charts.has_payments,
                _bar_chart(charts.payments, color=_GRASS_9, id=f"chart-payments-{charts.account_id}"),
                rx.text(texts.DASHBOARD["chart_no_payments"], size="1", color=rx.color("gray", 11)),
            ),
            spacing="1",
            width="100%",
        ),
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="4",
        padding_top="12px",
        width="100%",
    )


def _charts(account: AccountView) -> rx.Component:
    # The charts arrive after the panel opens (DashboardState.toggle_charts): one entry per opened account.
    charts = rx.foreach(
        DashboardState.charts, lambda entry: rx.cond(entry.account_id == account.account_id, _chart_grid(entry))
    )

    return rx.el.details(
        rx.el.summary(
            with_hint(
                rx.text(texts.DASHBOARD["charts"], as_="span", size="2", weight="medium"),
                texts.DASHBOARD["charts_hint"],
            ),
            cursor="pointer",
            color=rx.color("accent", 11),
            id=f"account-charts-toggle-{account.account_id}",
            on_click=DashboardState.toggle_charts(account.account_id),
        ),
        rx.cond(
            DashboardState.charts_open.contains(account.account_id),
            rx.cond(
                DashboardState.charts_loaded.contains(account.account_id),
                charts,
                loading_placeholder(f"account-charts-loading-{account.account_id}", height="180px"),
            ),
        ),
        open=DashboardState.charts_open.contains(account.account_id),
        id=f"account-charts-{account.account_id}",
        style={"width": "100%"},
    )


def _account_title(account: AccountView) -> rx.Component:
    """The nickname (or provider) with the account's number, then the provider and the address."""
    return rx.vstack(
        rx.hstack(
            rx.heading(
                rx.cond(account.nickname != "", account.nickname, account.provider),
                size="4",
                as_="h2",
            ),
            rx.badge(
                texts.DASHBOARD["account_label"],
                account.number,
                variant="surface",
                size="2",
                id=f"account-number-{account.account_id}",
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.cond(account.nickname != "", rx.text(account.provider, size="2", weight="medium")),
        rx.text(account.address, size="2", color=rx.color("gray", 11)),
        spacing="1",
        min_width="0",
    )


def _amount_to_pay(account: AccountView) -> rx.Component:
    """What is owed now (or overpaid), the penalty in it, and as of when."""
    return rx.vstack(
        rx.hstack(
            rx.text(account.to_pay_label, size="2", color=rx.color("gray", 11)),
            hint_icon(texts.DASHBOARD["to_pay_hint"], id=f"account-amount-hint-{account.account_id}"),
            align="center",
            spacing="1",
        ),
        rx.text(
            account.to_pay_text,
            size=rx.breakpoints(initial="6", sm="7"),
            weight="bold",
            color=rx.color(account.to_pay_color, 11),
            id=f"account-to-pay-{account.account_id}",
            data_state=account.to_pay_state,
            # One line wherever it fits; on a zoomed phone it may break rather than be cut.
            overflow_wrap="anywhere",
        ),
        rx.cond(
            account.penalty_text != "",
            rx.text(
                account.penalty_text, size="2", color=rx.color("red", 11), id=f"account-penalty-{account.account_id}"
            ),
        ),
        rx.text(account.as_of_text, size="1", color=rx.color("gray", 11)),
        spacing="0",
        align=rx.breakpoints(initial="start", sm="end"),
        text_align=rx.breakpoints(initial="left", sm="right"),
    )


def _link_button(icon: str, label: str, *, href: str, id: str, hint: str, **button_props) -> rx.Component:
    return with_hint(
        rx.link(
            rx.button(rx.icon(icon, size=16), label, size="3", width="100%", **button_props),
            href=href,
            id=id,
            width=rx.breakpoints(initial="100%", sm="auto"),
            # The pay and readings pages' code is fetched when the button is pointed at or touched.
            custom_attrs={"prefetch": "intent"},
        ),
        hint,
    )


def _actions(account: AccountView) -> rx.Component:
    """«Оплатить», «Передать показания» (when there are meters) and the last payment."""
    return rx.flex(
        _link_button(
            "credit-card",
            texts.DASHBOARD["pay"],
            href=f"/accounts/{account.account_id}/pay",
            id=f"account-pay-{account.account_id}",
            hint=texts.DASHBOARD["pay_hint"],
        ),
        rx.cond(
            account.meters.length() > 0,
            _link_button(
                "gauge",
                texts.DASHBOARD["readings"],
                href=f"/accounts/{account.account_id}/readings",
                id=f"account-readings-{account.account_id}",
                hint=texts.DASHBOARD["readings_hint"],
                variant="soft",
            ),
        ),
        rx.text(
            account.last_payment_text,
            size="2",
            color=rx.color("gray", 11),
            id=f"account-last-payment-{account.account_id}",
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        align=rx.breakpoints(initial="stretch", sm="center"),
        spacing="3",
        wrap="wrap",
        width="100%",
    )


def _meters(account: AccountView) -> rx.Component:
    """The meters with the readings window, then the charts."""
    return rx.vstack(
        rx.flex(
            _section_title(
                texts.DASHBOARD["meters"], texts.DASHBOARD["meters_hint"], id=f"account-meters-{account.account_id}"
            ),
            rx.badge(
                icon_if(account.window_open, "calendar-check", "calendar-clock", size=14),
                account.window_text,
                color_scheme=rx.cond(account.window_open, "grass", "gray"),
                variant="soft",
                size="2",
                white_space="normal",
                id=f"account-window-{account.account_id}",
                data_state=rx.cond(account.window_open, "open", "closed"),
            ),
            justify="between",
            align=rx.breakpoints(initial="start", sm="center"),
            direction=rx.breakpoints(initial="column", sm="row"),
            spacing="2",
            width="100%",
        ),
        rx.foreach(account.meters, _meter),
        _charts(account),
        spacing="1",
        width="100%",
    )


def account_card(account: AccountView) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                _account_title(account),
                _amount_to_pay(account),
                direction=rx.breakpoints(initial="column", sm="row"),
                justify="between",
                spacing="3",
                width="100%",
            ),
            rx.cond(
                account.unavailable != "",
                rx.callout(
                    account.unavailable,
                    icon="triangle-alert",
                    color_scheme="amber",
                    width="100%",
                    id=f"account-unavailable-{account.account_id}",
                ),
            ),
            _actions(account),
            rx.cond(account.meters.length() > 0, _meters(account)),
            spacing="4",
            width="100%",
        ),
        id=f"account-card-{account.account_id}",
        size=rx.breakpoints(initial="2", sm="3"),
        width="100%",
    )
