"""State of the dashboard («/» for a signed-in resident): a card per linked account."""

from __future__ import annotations

import reflex as rx

from cabinet.clock import utc_now
from cabinet.services import dashboard_view
from cabinet.services.dashboard_view import AccountCharts as AccountCharts  # laid out by the dashboard page
from cabinet.services.dashboard_view import AccountView
from cabinet.services.dashboard_view import MeterChart as MeterChart  # the dashboard page lays out a MeterChart
from cabinet.services.dashboard_view import MeterView as MeterView  # the dashboard page lays out a MeterView
from cabinet.services.ids import parse_id
from cabinet.state.calls import call
from cabinet.state.page_data import PageData, load_failed, mark_loaded
from cabinet.state.session import current_user_id, page_user_id


class DashboardState(PageData, rx.State):
    accounts: list[AccountView] = []
    # Accounts whose charts are open: charts are asked for, drawn (and their library fetched) only then.
    charts_open: list[int] = []
    # The charts asked for on this visit, one entry per account opened.
    charts: list[AccountCharts] = []

    @rx.var
    def has_accounts(self) -> bool:
        return len(self.accounts) > 0

    @rx.var
    def several_accounts(self) -> bool:
        """Two accounts or more: «Оплатить несколько счетов» pays them in one go."""
        return len(self.accounts) >= 2

    @rx.var
    def charts_loaded(self) -> list[int]:
        return [charts.account_id for charts in self.charts]

    @rx.event
    async def toggle_charts(self, account_id: int):
        account_id = parse_id(account_id)
        if account_id is None or account_id not in [account.account_id for account in self.accounts]:
            return  # only a card on this page opens: a made-up id neither asks the database nor grows the list
        if account_id in self.charts_open:
            self.charts_open = [opened for opened in self.charts_open if opened != account_id]
            return
        self.charts_open = [*self.charts_open, account_id]
        if account_id in self.charts_loaded:
            return
        yield  # the panel opens at once, with a placeholder until its charts arrive
        user_id = await current_user_id(self)
        if not user_id:
            return
        outcome = await call(dashboard_view.charts_of, user_id=user_id, account_id=account_id, now=utc_now())
        if outcome.ok:
            self.charts = [*self.charts, outcome.value]
        else:  # the database did not answer: the panel closes rather than wait for ever; a click asks again
            self.charts_open = [opened for opened in self.charts_open if opened != account_id]

    @rx.event
    async def load(self):
        # A plain event, not a background one: the page's figures arrive in one update, and the
        # tab's state is taken and given back once (this is the most frequent event there is).
        # The database work still runs on a thread, so the event loop serves other tabs meanwhile.
        self.charts_open, self.charts = [], []  # the page opens with every chart closed, as after a reload
        user_id = await page_user_id(self)
        if not user_id:
            return
        outcome = await call(dashboard_view.dashboard_of, user_id=user_id, now=utc_now())
        # A failure is logged by call(); the page says so rather than claim there are no accounts.
        if outcome.ok:
            self.accounts = outcome.value
            await mark_loaded(self)
        else:
            await load_failed(self, outcome.message)
