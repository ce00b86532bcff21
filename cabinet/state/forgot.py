"""State of /forgot: asks for the address and answers the same whether it has an account or not."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services import password_changes
from cabinet.state.calls import call


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
            self.busy = True
            email, client = self.email, self.router.session.client_ip or ""
        outcome = await call(password_changes.request_password_reset, email=email, now=utc_now(), client_address=client)
        async with self:
            self.busy = False
            self.email_error = outcome.message
            if outcome.ok:
                self.sent_to = outcome.value
