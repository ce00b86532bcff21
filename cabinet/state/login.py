"""State of /login: credentials, «Запомнить меня», lock-out and unconfirmed-address messages."""

from __future__ import annotations

import datetime as dt

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.errors import DomainError
from cabinet.services import auth, signups
from cabinet.state.calls import call
from cabinet.state.local_time import format_local_time
from cabinet.state.session import adopt_session, page_user_id, safe_next_path


def refusal_text(error: DomainError) -> str:
    """The refusal in Russian, a lock-out's end shown in the residents' time."""
    params = {
        name: format_local_time(value) if isinstance(value, dt.datetime) else value
        for name, value in error.params.items()
    }
    return texts.error_text(error.code, **params)


class LoginState(rx.State):
    email: str = ""
    password: str = ""
    remember: bool = True
    error: str = ""
    notice: str = ""
    unconfirmed_email: str = ""
    busy: bool = False

    @rx.event
    def set_email(self, value: str) -> None:
        self.email = value[:320]
        self.error = ""

    @rx.event
    def set_password(self, value: str) -> None:
        self.password = value[:128]
        self.error = ""

    @rx.event
    def set_remember(self, value: bool) -> None:
        self.remember = bool(value)

    @rx.event
    async def load(self):
        """Someone already signed in goes straight on; otherwise the form without old messages.

        The password is not touched here: every attempt clears it, and on a slow connection this
        may run after the resident has already typed.
        """
        if await page_user_id(self):
            return rx.redirect(self._next_path())
        self.error = ""
        self.unconfirmed_email = ""
        self.notice = ""
        # Arriving from the confirmation page: the address is already known.
        if suggested := self.router.url.query_parameters.get("email", ""):
            self.email = suggested[:320]

    def _next_path(self) -> str:
        return safe_next_path(self.router.url.query_parameters.get("next", "/"))

    @rx.event(background=True)
    async def submit(self):
        async with self:
            if self.busy:
                return
            self.busy = True
            self.error = self.notice = self.unconfirmed_email = ""
            email, password, remember = self.email, self.password, self.remember
            client = self.router.session.client_ip or ""
            agent = self.router.headers.user_agent or ""
            target = self._next_path()
        outcome = await call(
            auth.sign_in,
            email=email,
            password=password,
            remember=remember,
            now=utc_now(),
            client_address=client,
            user_agent=agent,
        )
        async with self:
            self.password = ""
            self.busy = False
            if not outcome.ok:
                self.error = refusal_text(outcome.error)
                # Only «not confirmed» names the address: it offers a new letter to it.
                self.unconfirmed_email = str(outcome.error.params.get("email", ""))
                return
            await adopt_session(self, token=outcome.value, remember=remember)
        yield rx.redirect(target)

    @rx.event(background=True)
    async def resend_confirmation(self):
        async with self:
            address = self.unconfirmed_email
            client = self.router.session.client_ip or ""
        if not address:
            return
        outcome = await call(signups.resend_confirmation, email=address, now=utc_now(), client_address=client)
        async with self:
            self.error = outcome.message
            if outcome.ok:
                self.notice = texts.LOGIN["confirmation_sent"].format(email=address)
                self.unconfirmed_email = ""
