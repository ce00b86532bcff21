"""State of /admin: the overview's figures."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.money import format_rubles
from cabinet.services.admin import overview
from cabinet.state.admin.lines import Figure
from cabinet.state.admin.operator import acting_operator_id, not_found
from cabinet.state.calls import call
from cabinet.state.page_data import PageData, load_failed, mark_loaded


def _figures(summary: overview.Overview) -> list[Figure]:
    labels = texts.ADMIN["overview_figures"]
    today = f"{summary.payments_today} · {format_rubles(summary.paid_today_kopecks)}"
    month = f"{summary.payments_month} · {format_rubles(summary.paid_month_kopecks)}"
    figures = [
        Figure("residents", labels["residents"], str(summary.residents)),
        Figure("linked", labels["linked"], str(summary.linked_accounts)),
        Figure("today", labels["today"], today),
        Figure("month", labels["month"], month),
        Figure("readings", labels["readings"], str(summary.readings_this_month)),
    ]
    if summary.outbox_shown:  # the mail queue is the platform's, not a provider's
        figures.append(Figure("outbox", labels["outbox"], f"{summary.outbox_queued} / {summary.outbox_failed}"))
    return figures


class AdminOverviewState(PageData, rx.State):
    figures: list[Figure] = []

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_operator_id(self)
        if not actor:
            return not_found()
        outcome = await call(overview.overview, actor_id=actor, now=utc_now())
        async with self:
            if not outcome.ok:
                return await load_failed(self, outcome.message)
            self.figures = _figures(outcome.value)
            await mark_loaded(self)
