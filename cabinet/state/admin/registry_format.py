"""State of /admin/registry/format: the registry file's format, for the provider chosen, and its sample file."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services.admin import registry_help
from cabinet.services.admin.registry_help import ColumnHelp
from cabinet.services.ids import parse_id
from cabinet.state.admin.operator import acting_operator_id, not_found, provider_choices
from cabinet.state.admin.registry import AdminRegistryState, sample_download
from cabinet.state.calls import call
from cabinet.state.display import Choice
from cabinet.state.page_data import PageData, load_failed, mark_loaded


class AdminRegistryFormatState(PageData, rx.State):
    providers: list[Choice] = []
    provider: str = ""
    rules: list[str] = []
    columns: list[ColumnHelp] = []
    example: str = ""
    steps: list[str] = []
    error: str = ""

    @rx.var
    def provider_name(self) -> str:
        return next((choice.label for choice in self.providers if choice.value == self.provider), "")

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_operator_id(self)
            # Opened from «Реестр»: the provider chosen there.
            chosen = (await self.get_state(AdminRegistryState)).provider or self.provider
        if not actor:
            return not_found()
        choices = await provider_choices(actor)
        if choices is None:
            async with self:
                await load_failed(self, texts.ERRORS["unexpected"])
            return
        values = [choice.value for choice in choices]
        provider = chosen if chosen in values else (values[0] if values else "")
        outcome = await call(registry_help.registry_format, actor_id=actor, provider_id=provider, now=utc_now())
        async with self:
            if not outcome.ok:
                await load_failed(self, outcome.message)
                return
            self.providers, self.provider, self.error = choices, provider, ""
            self._show(outcome.value)
            await mark_loaded(self)

    def _show(self, described: registry_help.RegistryFormat) -> None:
        self.rules, self.columns = described.rules, described.columns
        self.example, self.steps = described.example, described.steps

    @rx.event(background=True)
    async def set_provider(self, value: str):
        async with self:
            actor = await acting_operator_id(self)
            self.provider = str(parse_id(value) or "")
            provider = self.provider
        if not actor:
            return not_found()
        outcome = await call(registry_help.registry_format, actor_id=actor, provider_id=provider, now=utc_now())
        async with self:
            if provider != self.provider:  # chosen again meanwhile: that choice's answer shows
                return
            if not outcome.ok:
                self.error = outcome.message
                return
            self.error = ""
            self._show(outcome.value)

    @rx.event(background=True)
    async def download_sample(self):
        """«Скачать пример для …»: the chosen provider's sample registry."""
        return await sample_download(self)
