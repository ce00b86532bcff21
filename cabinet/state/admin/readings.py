"""State of /admin/readings: a month's readings of one provider as a CSV for its billing."""

from __future__ import annotations

import datetime as dt

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services.admin import readings_export
from cabinet.services.calendar import local_date
from cabinet.services.ids import parse_id
from cabinet.state.admin.operator import acting_operator_id, not_found, provider_choices
from cabinet.state.calls import call
from cabinet.state.display import Choice
from cabinet.state.page_data import PageData, load_failed, mark_loaded


class AdminReadingsState(PageData, rx.State):
    providers: list[Choice] = []
    # The ids among them the staff member operates: only there may the export mark readings as sent.
    operated: list[str] = []
    provider: str = ""
    month: str = ""
    mark_sent: bool = True
    error: str = ""
    notice: str = ""

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_operator_id(self)
        if not actor:
            return not_found()
        choices = await provider_choices(actor)
        operated = await provider_choices(actor, operated=True)
        if choices is None or operated is None:
            async with self:
                await load_failed(self, texts.ERRORS["unexpected"])
            return
        async with self:
            self.providers = choices
            self.operated = [choice.value for choice in operated]
            if not self.provider and choices:
                self.provider = choices[0].value
            self.month = self.month or local_date(utc_now()).strftime("%Y-%m")
            await mark_loaded(self)

    @rx.var
    def may_mark_sent(self) -> bool:
        return self.provider in self.operated

    @rx.event
    def set_provider(self, value: str) -> None:
        self.provider = value

    @rx.event
    def set_month(self, value: str) -> None:
        self.month = value[:7]
        self.error = ""

    @rx.event
    def set_mark_sent(self, value: bool) -> None:
        self.mark_sent = bool(value)

    @rx.event(background=True)
    async def export_csv(self):
        async with self:
            actor = await acting_operator_id(self)
            # A viewer's export leaves the readings as they are (the service would refuse marking them anyway).
            provider, month, mark_sent = self.provider, self.month, self.mark_sent and self.may_mark_sent
        if not actor:
            return not_found()
        try:
            period = dt.date.fromisoformat(f"{month}-01")
        except ValueError:
            async with self:
                self.error = texts.ADMIN["month_invalid"]
            return
        outcome = await call(
            readings_export.export_readings,
            actor_id=actor,
            provider_id=parse_id(provider) or 0,
            period=period,
            mark_sent=mark_sent,
            now=utc_now(),
        )
        async with self:
            if not outcome.ok:  # the provider was removed, or none was chosen
                self.error = outcome.message
                return
            self.error, self.notice = "", texts.ADMIN["readings_exported"]
        return rx.download(data=outcome.value, filename=f"readings-{provider}-{month}.csv")
