"""State of the start page: the providers a resident can connect accounts of."""

from __future__ import annotations

import reflex as rx

from cabinet.services.provider_cards import ProviderCard, provider_cards
from cabinet.state.calls import call
from cabinet.state.page_data import PageData, mark_loaded

__all__ = ["ProviderCard", "StartState"]


class StartState(PageData, rx.State):
    providers: list[ProviderCard] = []

    @rx.event
    async def load(self) -> None:
        outcome = await call(provider_cards)
        # The database did not answer: the page shows no providers rather than an error.
        self.providers = outcome.value or []
        await mark_loaded(self)
