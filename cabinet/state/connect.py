"""State of /accounts/connect: pick a provider, type the number from the receipt, prove ownership."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services import account_links
from cabinet.services.ids import parse_id
from cabinet.services.provider_cards import OWNERSHIP_QUESTIONS, ProviderCard
from cabinet.state.calls import call
from cabinet.state.form_errors import clear_refusals, show_refusal
from cabinet.state.session import LOGIN_ROUTE, current_user_id, page_user_id

__all__ = ["OWNERSHIP_QUESTIONS", "ConnectState", "ProviderCard"]
# The service's field → this form's error var.
FIELDS = {
    "provider": "provider_error",
    "number": "number_error",
    "ownership": "ownership_error",
    "nickname": "nickname_error",
}


class ConnectState(rx.State):
    providers: list[ProviderCard] = []
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
    def visible_providers(self) -> list[ProviderCard]:
        query = self.search.strip().lower()
        if not query:
            return self.providers
        return [p for p in self.providers if query in p.name.lower() or query in p.service.lower()]

    @rx.var
    def selected(self) -> ProviderCard | None:
        return next((p for p in self.providers if p.id == self.provider_id), None)

    @rx.var
    def ownership_kind(self) -> str:
        """Which second field the chosen provider asks for (one of OWNERSHIP_QUESTIONS), or ""."""
        chosen = next((p for p in self.providers if p.id == self.provider_id), None)
        return chosen.ownership_question if chosen else ""

    @rx.var
    def linked_message(self) -> str:
        return texts.CONNECT["linked"].format(number=self.linked_number)

    @rx.event
    async def load(self):
        user_id = await page_user_id(self)
        if not user_id:
            return
        outcome = await call(account_links.connect_choices, user_id=user_id)
        self.search = ""
        self.number = self.ownership_answer = self.nickname = ""
        self.linked_number = ""
        show_refusal(self, outcome, fields=FIELDS, fallback="form_error")
        if not outcome.ok:
            return
        self.providers, self.first_account = outcome.value.providers, outcome.value.first_account
        if self.provider_id not in {p.id for p in self.providers}:
            self.provider_id = self.providers[0].id if len(self.providers) == 1 else 0

    @rx.event
    def set_search(self, value: str) -> None:
        self.search = value[:100]

    @rx.event
    def choose_provider(self, provider_id: str) -> None:
        self.provider_id = parse_id(provider_id) or 0
        self.ownership_answer = ""
        clear_refusals(self, fields=FIELDS, fallback="form_error")

    @rx.event
    def set_number(self, value: str) -> None:
        # Only a change clears a field's message: the input may send its last value again (on blur) after
        # the refusal came back. The same holds for the setters below.
        if value[:60] != self.number:
            self.number = value[:60]
            self.number_error = ""

    @rx.event
    def set_ownership_answer(self, value: str) -> None:
        if value[:60] != self.ownership_answer:
            self.ownership_answer = value[:60]
            self.ownership_error = ""

    @rx.event
    def set_nickname(self, value: str) -> None:
        if value[:60] != self.nickname:
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
            clear_refusals(self, fields=FIELDS, fallback="form_error")
            user_id = await current_user_id(self)
            if not user_id:
                return rx.redirect(LOGIN_ROUTE)
            self.busy = True
            request = dict(
                user_id=user_id,
                provider_id=self.provider_id,
                number=self.number,
                ownership_answer=self.ownership_answer,
                nickname=self.nickname,
                client_address=self.router.session.client_ip or "",
            )
        outcome = await call(account_links.connect_account, now=utc_now(), **request)
        async with self:
            self.busy = False
            show_refusal(self, outcome, fields=FIELDS, fallback="form_error")
            if outcome.ok:
                self.linked_number = outcome.value
                self.ownership_answer = ""
