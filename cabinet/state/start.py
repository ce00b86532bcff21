"""State of the start page: the providers a resident can connect accounts of."""

from __future__ import annotations

import dataclasses

import reflex as rx

from cabinet.db import session_scope
from cabinet.config import get_settings
from cabinet.services.providers import list_active_providers
from cabinet.services.receipt_images import shown_receipt_image


@dataclasses.dataclass(frozen=True)
class ProviderCard:
    id: int
    name: str
    service: str
    format_description: str
    example: str
    receipt_image: str
    hint_text: str


class StartState(rx.State):
    providers: list[ProviderCard] = []
    loaded: bool = False

    @rx.event
    def load(self) -> None:
        with session_scope() as session:
            self.providers = [
                ProviderCard(
                    id=provider.id or 0,
                    name=provider.name,
                    service=provider.service_description,
                    format_description=provider.account_format_description,
                    example=provider.account_example,
                    receipt_image=shown_receipt_image(provider.receipt_image, allowed_hosts=get_settings().receipt_image_hosts),
                    hint_text=provider.hint_text,
                )
                for provider in list_active_providers(session=session)
            ]
        self.loaded = True
