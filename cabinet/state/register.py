"""State of /register: the sign-up form, then «Письмо отправлено» with a rate-limited resend."""

from __future__ import annotations

import asyncio

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.errors import DomainError
from cabinet.services import signups
from cabinet.services.identity import parse_email
from cabinet.state.calls import call
from cabinet.state.form_errors import clear_refusals, show_refusal
from cabinet.state.password_rules import rule_marks

RESEND_COOLDOWN_SECONDS = 60
# The service's field → this form's error var.
FIELDS = {
    "email": "email_error",
    "password": "password_error",
    "password_repeat": "password_repeat_error",
    "consent": "consent_error",
}


class RegisterState(rx.State):
    email: str = ""
    password: str = ""
    password_repeat: str = ""
    consent: bool = False
    email_error: str = ""
    password_error: str = ""
    password_repeat_error: str = ""
    consent_error: str = ""
    form_error: str = ""
    busy: bool = False
    sent_to: str = ""
    resend_wait: int = 0
    resend_notice: str = ""

    @rx.var
    def password_marks(self) -> list[list[str]]:
        return rule_marks(self.password)

    @rx.var
    def sent_message(self) -> str:
        return texts.REGISTER["sent_text"].format(email=self.sent_to)

    @rx.var
    def resend_label(self) -> str:
        if self.resend_wait > 0:
            return texts.REGISTER["resend_wait"].format(seconds=self.resend_wait)
        return texts.REGISTER["resend"]

    @rx.event
    def set_email(self, value: str) -> None:
        self.email = value[:320]
        self.email_error = ""

    @rx.event
    def check_email(self, _value: str = "") -> None:
        """on_blur: say at once when the address cannot be right."""
        if self.email.strip():
            try:
                parse_email(self.email)
            except DomainError as error:
                self.email_error = texts.error_text(error.code)

    @rx.event
    def set_password(self, value: str) -> None:
        self.password = value[:128]
        self.password_error = ""

    @rx.event
    def set_password_repeat(self, value: str) -> None:
        self.password_repeat = value[:128]
        self.password_repeat_error = ""

    @rx.event
    def set_consent(self, value: bool) -> None:
        self.consent = bool(value)
        self.consent_error = ""

    @rx.event
    def start_over(self) -> None:
        self.sent_to = ""
        self.resend_notice = self.form_error = ""

    @rx.event(background=True)
    async def submit(self):
        async with self:
            if self.busy:
                return
            self.busy = True
            clear_refusals(self, fields=FIELDS, fallback="form_error")
            request = dict(
                email=self.email,
                password=self.password,
                password_repeat=self.password_repeat,
                consent=self.consent,
                client_address=self.router.session.client_ip or "",
            )
        outcome = await call(signups.register, now=utc_now(), **request)
        async with self:
            show_refusal(self, outcome, fields=FIELDS, fallback="form_error")
            self.password = self.password_repeat = ""
            self.busy = False
            if not outcome.ok:
                return
            self.sent_to = outcome.value
            self.consent = False
        yield RegisterState.start_cooldown

    @rx.event(background=True)
    async def resend(self):
        async with self:
            if self.resend_wait > 0 or not self.sent_to:
                return
            address = self.sent_to
            client = self.router.session.client_ip or ""
        outcome = await call(signups.resend_confirmation, email=address, now=utc_now(), client_address=client)
        async with self:
            self.resend_notice = texts.REGISTER["resent"] if outcome.ok else ""
            self.form_error = outcome.message
        yield RegisterState.start_cooldown

    @rx.event(background=True)
    async def start_cooldown(self):
        async with self:
            self.resend_wait = RESEND_COOLDOWN_SECONDS
        while True:
            await asyncio.sleep(1)
            async with self:
                self.resend_wait = max(0, self.resend_wait - 1)
                if self.resend_wait == 0:
                    return
