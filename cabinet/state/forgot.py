"""State of /forgot: asks for the address and answers the same whether it has an account or not."""

from __future__ import annotations

import asyncio

import reflex as rx

from cabinet import texts
from cabinet.db import session_scope
from cabinet.models import utc_now
from cabinet.services import auth
from cabinet.services.errors import DomainError
from cabinet.services.identity import parse_email


class ForgotState(rx.State):
    email: str = ""
    email_error: str = ""
    sent_to: str = ""
    busy: bool = False

    @rx.var
    def sent_message(self) -> str:
        return texts.FORGOT["sent"].format(email=self.sent_to)

    @rx.event
    def set_email(self, value: str) -> None:
        self.email = value[:320]
        self.email_error = ""

    @rx.event
    def load(self) -> None:
        self.sent_to = ""
        self.email_error = ""

    @rx.event(background=True)
    async def submit(self):
        async with self:
            if self.busy:
                return
            try:
                address = parse_email(self.email).display
            except DomainError as error:
                self.email_error = texts.error_text(error.code)
                return
            self.busy = True
            client = self.router.session.client_ip or ""
        await asyncio.to_thread(_request, address, client)
        async with self:
            self.busy = False
            self.sent_to = address


def _request(email: str, client: str) -> None:
    with session_scope() as session:
        auth.request_password_reset(session=session, email=email, now=utc_now(), client_address=client)
