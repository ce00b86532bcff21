"""State of /payments: the resident's payments under three filters, and what of them was paid."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services import payments
from cabinet.state.calls import call
from cabinet.state.display import Choice
from cabinet.state.page_data import PageData, load_failed, mark_loaded
from cabinet.state.session import page_user_id


class HistoryState(PageData, rx.State):
    rows: list[payments.HistoryRow] = []
    accounts: list[payments.FilterOption] = []
    account_filter: str = "all"
    period_filter: str = "all"
    status_filter: str = "all"
    total_text: str = ""

    @rx.var
    def periods(self) -> list[Choice]:
        return [Choice(key, label) for key, label in texts.PAYMENTS["history_periods"].items()]

    @rx.var
    def statuses(self) -> list[Choice]:
        return [Choice("all", texts.PAYMENTS["history_filter_all_statuses"])] + [
            Choice(key, label) for key, label in texts.PAYMENTS["statuses"].items()
        ]

    @rx.event
    async def load(self):
        # A plain event, as the dashboard's: the rows arrive in one update before the chain's last.
        user_id = await page_user_id(self)
        if not user_id:
            return
        filters = dict(
            account_filter=self.account_filter, period_filter=self.period_filter, status_filter=self.status_filter
        )
        outcome = await call(payments.history, user_id=user_id, now=utc_now(), **filters)
        if not outcome.ok:
            await load_failed(self, outcome.message)
            return
        history: payments.History = outcome.value
        self.rows, self.accounts, self.total_text = history.rows, history.accounts, history.total_text
        self.account_filter, self.period_filter = history.account_filter, history.period_filter
        self.status_filter = history.status_filter
        await mark_loaded(self)

    @rx.event
    def set_account_filter(self, value: str):
        self.account_filter = value
        return HistoryState.load

    @rx.event
    def set_period_filter(self, value: str):
        self.period_filter = value
        return HistoryState.load

    @rx.event
    def set_status_filter(self, value: str):
        self.status_filter = value
        return HistoryState.load
