"""The providers a resident may connect accounts of, as ready cards for the start and connect pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from cabinet.config import get_settings
from cabinet.models import OwnershipCheck, Provider
from cabinet.services.providers import list_active_providers
from cabinet.services.receipt_images import shown_receipt_image
from cabinet.services.transactions import transactional

# The second fields a provider may ask for, by the key of their texts (texts.CONNECT["ownership_<key>"]).
OWNERSHIP_QUESTIONS = tuple(check.value for check in OwnershipCheck if check != OwnershipCheck.none)


@dataclass(frozen=True)
class ProviderCard:
    id: int
    name: str
    service: str
    format_description: str
    example: str
    hint_text: str
    receipt_image: str  # "" when there is none, or the stored address may not be shown
    ownership_question: str  # one of OWNERSHIP_QUESTIONS, or "" when the number alone is enough
    unavailable_message: str


def card_of(provider: Provider, *, allowed_hosts: tuple[str, ...]) -> ProviderCard:
    return ProviderCard(
        id=provider.id or 0,
        name=provider.name,
        service=provider.service_description,
        format_description=provider.account_format_description,
        example=provider.account_example,
        hint_text=provider.hint_text,
        receipt_image=shown_receipt_image(provider.receipt_image, allowed_hosts=allowed_hosts),
        ownership_question="" if provider.ownership_check == OwnershipCheck.none else provider.ownership_check.value,
        unavailable_message=provider.unavailable_message,
    )


@transactional()
def provider_cards(*, session: Session) -> list[ProviderCard]:
    """Every active provider, by name."""
    hosts = get_settings().receipt_image_hosts
    return [card_of(provider, allowed_hosts=hosts) for provider in list_active_providers(session=session)]
