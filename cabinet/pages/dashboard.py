"""«/» for a signed-in resident: what each linked account owes, its meters, charts; the start page otherwise."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.hint import hint_icon, with_hint
from cabinet.components.layout import page_shell
from cabinet.components.loading import when_loaded
from cabinet.pages.account_card import account_card
from cabinet.pages.start import start_content
from cabinet.state.dashboard import DashboardState
from cabinet.state.pay_several import PAY_SEVERAL_PATH
from cabinet.state.session import SessionState


def _empty_state() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.icon("receipt-text", size=40, color=rx.color("accent", 9)),
            rx.heading(texts.DASHBOARD["empty_title"], size="5", as_="h2"),
            rx.text(texts.DASHBOARD["empty_text"], size="3", color=rx.color("gray", 11), max_width="520px"),
            rx.link(
                rx.button(texts.DASHBOARD["empty_action"], size="3"),
                href="/accounts/connect",
                id="dashboard-empty-connect",
            ),
            align="center",
            text_align="center",
            spacing="3",
            padding_y="32px",
        ),
        id="dashboard-empty",
        width="100%",
    )


def _actions() -> rx.Component:
    """«Оплатить несколько счетов» once there are two accounts or more, and «Подключить ещё»."""
    return rx.flex(
        rx.cond(
            DashboardState.several_accounts,
            with_hint(
                rx.link(
                    rx.button(rx.icon("wallet", size=16), texts.DASHBOARD["pay_several"], width="100%"),
                    href=PAY_SEVERAL_PATH,
                    id="pay-several",
                ),
                texts.DASHBOARD["pay_several_hint"],
            ),
        ),
        with_hint(
            rx.link(
                rx.button(rx.icon("plus", size=16), texts.DASHBOARD["connect_more"], variant="soft", width="100%"),
                href="/accounts/connect",
                id="dashboard-connect",
            ),
            texts.DASHBOARD["connect_more_hint"],
        ),
        spacing="2",
        wrap="wrap",
    )


def dashboard_content() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.heading(
                        texts.DASHBOARD["title"],
                        size=rx.breakpoints(initial="6", sm="7"),
                        as_="h1",
                        id="dashboard-title",
                    ),
                    hint_icon(texts.DASHBOARD["lead_hint"], id="dashboard-title-hint"),
                    align="center",
                    spacing="2",
                ),
                rx.text(texts.DASHBOARD["lead"], size="2", color=rx.color("gray", 11)),
                spacing="1",
            ),
            rx.cond(DashboardState.has_accounts, _actions()),
            direction=rx.breakpoints(initial="column", sm="row"),
            justify="between",
            align=rx.breakpoints(initial="start", sm="end"),
            spacing="3",
            width="100%",
        ),
        when_loaded(
            DashboardState.loaded,
            rx.cond(
                DashboardState.has_accounts,
                rx.vstack(
                    rx.foreach(DashboardState.accounts, account_card),
                    spacing="4",
                    width="100%",
                    id="dashboard-accounts",
                ),
                _empty_state(),
            ),
            id="dashboard-loading",
            height="240px",
        ),
        spacing="4",
        width="100%",
    )


def home_page() -> rx.Component:
    """One address for both: the dashboard once signed in, the start page for a visitor."""
    return page_shell(
        rx.cond(
            SessionState.session_checked,
            rx.cond(SessionState.signed_in, dashboard_content(), start_content()),
            rx.center(rx.spinner(size="3"), padding_y="96px"),
        )
    )
