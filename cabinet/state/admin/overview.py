"""State of /admin: the overview's figures and the reminders' counts (services/admin/reminder_counts.py)."""

from __future__ import annotations

import dataclasses

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.money import format_rubles
from cabinet.services.admin import overview, reminder_counts
from cabinet.services.calendar import month_label
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


@dataclasses.dataclass(frozen=True)
class ReminderLine:
    """One row of «Напоминания»: a provider's reminders of one kind in one month, as the table shows them."""

    key: str
    provider: str
    month: str
    kind: str
    total: int
    sent: int
    failed: int


def _reminder_lines(counts: list[reminder_counts.ReminderCount]) -> list[ReminderLine]:
    kinds = texts.ADMIN["reminder_kinds"]
    return [
        ReminderLine(
            f"{row.provider_id}-{row.month:%Y-%m}-{row.kind.value}",
            row.provider_name,
            month_label(row.month),
            kinds[row.kind.value],
            row.total,
            row.sent,
            row.failed,
        )
        for row in counts
    ]


class AdminOverviewState(PageData, rx.State):
    figures: list[Figure] = []
    reminders: list[ReminderLine] = []

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

    @rx.event(background=True)
    async def load_reminders(self):
        """The «Напоминания» table; the figures above do not wait for it."""
        async with self:
            actor = await acting_operator_id(self)
        if not actor:
            return not_found()
        outcome = await call(reminder_counts.reminder_counts, actor_id=actor, now=utc_now())
        async with self:
            self.reminders = _reminder_lines(outcome.value) if outcome.ok else []
