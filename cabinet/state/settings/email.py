"""State of «Смена e-mail» in /settings: the new address and the password; the link goes to the new mailbox."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services import email_changes, profile
from cabinet.state.calls import call
from cabinet.state.form_errors import clear_refusals, show_refusal
from cabinet.state.session import current_user_id, page_user_id

# The service's field → this form's error var; a refusal of the form as a whole shows under the new address.
FIELDS = {"email": "new_email_error", "current_password": "password_error"}


class SettingsEmailState(rx.State):
    email: str = ""
    new_email: str = ""
    password: str = ""
    new_email_error: str = ""
    password_error: str = ""
    notice: str = ""
    busy: bool = False

    @rx.event
    async def load(self):
        user_id = await page_user_id(self)
        if not user_id:
            return
        self.password = self.password_error = self.notice = ""
        self.busy = False
        outcome = await call(profile.profile_of, user_id=user_id)
        if outcome.ok:
            self.email = outcome.value.email
        else:
            self.new_email_error = outcome.message

    @rx.event
    def set_new_email(self, value: str) -> None:
        self.new_email, self.new_email_error, self.notice = value[:320], "", ""

    @rx.event
    def set_password(self, value: str) -> None:
        self.password, self.password_error = value[:128], ""

    @rx.event(background=True)
    async def submit(self):
        async with self:
            if self.busy:
                return
            request = dict(
                user_id=await current_user_id(self),
                new_email=self.new_email,
                password=self.password,
                client_address=self.router.session.client_ip or "",
            )
            self.busy = True
            clear_refusals(self, fields=FIELDS, fallback="new_email_error")
        outcome = await call(email_changes.request_email_change, now=utc_now(), **request)
        async with self:
            self.busy = False
            self.password = ""
            show_refusal(self, outcome, fields=FIELDS, fallback="new_email_error")
            if outcome.ok:
                self.new_email = ""
                self.notice = texts.SETTINGS["email_sent"].format(email=outcome.value)
