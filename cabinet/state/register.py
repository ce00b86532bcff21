"""State of /register: the sign-up form, then «Письмо отправлено» with a rate-limited resend."""

from __future__ import annotations

import asyncio

import reflex as rx

from cabinet import texts
from cabinet.db import session_scope
from cabinet.clock import utc_now
from cabinet.services import auth
from cabinet.errors import DomainError
from cabinet.services.identity import parse_email
from cabinet.state.hashing import run_hashing
from cabinet.state.password_rules import rule_marks

RESEND_COOLDOWN_SECONDS = 60


def field_for(code: str) -> str:
    """Which field of a sign-up or password form an error code belongs to."""
    if code.startswith("email"):
        return "email"
    if code == "password_mismatch":
        return "password_repeat"
    if code.startswith("password"):
        return "password"
    if code == "consent_required":
        return "consent"
    return "form"


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
        self.resend_notice = ""

    @rx.event(background=True)
    async def submit(self):
        async with self:
            if self.busy:
                return
            self.busy = True
            self.email_error = self.password_error = self.password_repeat_error = ""
            self.consent_error = self.form_error = ""
            values = (self.email, self.password, self.password_repeat, self.consent)
            client = self.router.session.client_ip or ""
        try:
            shown = await run_hashing(_register, *values, client)
        except DomainError as error:
            async with self:
                setattr(self, f"{field_for(error.code)}_error", texts.error_text(error.code, **error.params))
                self.password = self.password_repeat = ""
                self.busy = False
            return
        async with self:
            self.sent_to = shown
            self.password = self.password_repeat = ""
            self.consent = False
            self.busy = False
        yield RegisterState.start_cooldown

    @rx.event(background=True)
    async def resend(self):
        async with self:
            if self.resend_wait > 0 or not self.sent_to:
                return
            address = self.sent_to
            client = self.router.session.client_ip or ""
        await asyncio.to_thread(_resend, address, client)
        async with self:
            self.resend_notice = texts.REGISTER["resent"]
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


def _register(email: str, password: str, password_repeat: str, consent: bool, client: str) -> str:
    with session_scope() as session:
        return auth.register(
            session=session, email=email, password=password, password_repeat=password_repeat,
            consent=consent, now=utc_now(), client_address=client,
        )


def _resend(email: str, client: str) -> None:
    with session_scope() as session:
        auth.resend_confirmation(session=session, email=email, now=utc_now(), client_address=client)
