"""State of the start page: the providers a resident can connect accounts of."""

from __future__ import annotations

import reflex as rx

from cabinet.services.provider_cards import ProviderCard, provider_cards
from cabinet.state.calls import call

__all__ = ["ProviderCard", "StartState"]


class StartState(rx.State):
    providers: list[ProviderCard] = []
    loaded: bool = False

    @rx.event
    async def load(self) -> None:
        outcome = await call(provider_cards)
        # The database did not answer: the page shows no providers rather than an error.
        self.providers = outcome.value or []
        self.loaded = True
