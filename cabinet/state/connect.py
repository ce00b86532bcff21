"""State of /accounts/connect: pick a provider, type the number from the receipt, prove ownership."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from cabinet import texts
from cabinet.db import session_scope
from cabinet.models import OwnershipCheck
from cabinet.clock import utc_now
from cabinet.services import accounts
from cabinet.errors import DomainError
from cabinet.services.ids import parse_id
from cabinet.config import get_settings
from cabinet.services.providers import list_active_providers
from cabinet.services.receipt_images import shown_receipt_image
from cabinet.state.session import current_user_id


@dataclasses.dataclass(frozen=True)
class ProviderChoice:
    id: int
    name: str
    service: str
    format_description: str
    example: str
    hint_text: str
    receipt_image: str
    ownership_check: str
    unavailable_message: str


def _choice(provider) -> ProviderChoice:
    return ProviderChoice(
        id=provider.id or 0,
        name=provider.name,
        service=provider.service_description,
        format_description=provider.account_format_description,
        example=provider.account_example,
        hint_text=provider.hint_text,
        receipt_image=shown_receipt_image(provider.receipt_image, allowed_hosts=get_settings().receipt_image_hosts),
        ownership_check=provider.ownership_check.value,
        unavailable_message=provider.unavailable_message,
    )


def field_for(code: str) -> str:
    if code.startswith("provider"):
        return "provider"
    if code.startswith("ownership"):
        return "ownership"
    if code.startswith("nickname"):
        return "nickname"
    if code.startswith("account"):
        return "number"
    return "form"


class ConnectState(rx.State):
    providers: list[ProviderChoice] = []
    search: str = ""
    provider_id: int = 0
    number: str = ""
    ownership_answer: str = ""
    nickname: str = ""
    provider_error: str = ""
    number_error: str = ""
    ownership_error: str = ""
    nickname_error: str = ""
    form_error: str = ""
    first_account: bool = False
    linked_number: str = ""
    busy: bool = False

    @rx.var
    def visible_providers(self) -> list[ProviderChoice]:
        query = self.search.strip().lower()
        if not query:
            return self.providers
        return [p for p in self.providers if query in p.name.lower() or query in p.service.lower()]

    @rx.var
    def selected(self) -> ProviderChoice | None:
        return next((p for p in self.providers if p.id == self.provider_id), None)

    @rx.var
    def ownership_kind(self) -> str:
        chosen = next((p for p in self.providers if p.id == self.provider_id), None)
        return chosen.ownership_check if chosen else OwnershipCheck.none.value

    @rx.var
    def linked_message(self) -> str:
        return texts.CONNECT["linked"].format(number=self.linked_number)

    @rx.event
    async def load(self):
        user_id = await current_user_id(self)
        if not user_id:
            return
        with session_scope() as session:
            self.providers = [_choice(p) for p in list_active_providers(session=session)]
            self.first_account = not accounts.links_of(session=session, user_id=user_id)
        self.search = ""
        self.number = self.ownership_answer = self.nickname = ""
        self.linked_number = ""
        self._clear_errors()
        if self.provider_id not in {p.id for p in self.providers}:
            self.provider_id = self.providers[0].id if len(self.providers) == 1 else 0

    def _clear_errors(self) -> None:
        self.provider_error = self.number_error = self.ownership_error = ""
        self.nickname_error = self.form_error = ""

    @rx.event
    def set_search(self, value: str) -> None:
        self.search = value[:100]

    @rx.event
    def choose_provider(self, provider_id: str) -> None:
        self.provider_id = parse_id(provider_id) or 0
        self.ownership_answer = ""
        self._clear_errors()

    @rx.event
    def set_number(self, value: str) -> None:
        self.number = value[:60]
        self.number_error = ""

    @rx.event
    def set_ownership_answer(self, value: str) -> None:
        self.ownership_answer = value[:60]
        self.ownership_error = ""

    @rx.event
    def set_nickname(self, value: str) -> None:
        self.nickname = value[:60]
        self.nickname_error = ""

    @rx.event
    def connect_another(self) -> None:
        self.linked_number = ""
        self.number = self.ownership_answer = self.nickname = ""
        self.first_account = False

    @rx.event(background=True)
    async def submit(self):
        async with self:
            if self.busy:
                return
            self._clear_errors()
            if not self.provider_id:
                self.provider_error = texts.error_text("provider_required")
                return
            if not self.number.strip():
                self.number_error = texts.error_text("account_required")
                return
            user_id = await current_user_id(self)
            if not user_id:
                return rx.redirect("/login")
            self.busy = True
            request = dict(
                user_id=user_id, provider_id=self.provider_id, number=self.number,
                ownership_answer=self.ownership_answer, nickname=self.nickname,
                client_address=self.router.session.client_ip or "",
            )
        try:
            number = await asyncio.to_thread(_link, request)
        except DomainError as error:
            async with self:
                self.busy = False
                setattr(self, f"{field_for(error.code)}_error", texts.error_text(error.code, **error.params))
            return
        async with self:
            self.busy = False
            self.linked_number = number
            self.ownership_answer = ""


def _link(request: dict) -> str:
    # A wrong ownership answer is kept although linking is refused: it counts towards the limit.
    with session_scope(commit_on=(DomainError,)) as session:
        link = accounts.link_account(session=session, now=utc_now(), **request)
        return session.get(accounts.ProviderAccount, link.account_id).number
