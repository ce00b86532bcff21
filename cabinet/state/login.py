"""State of /login: credentials, «Запомнить меня», lock-out and unconfirmed-address messages."""

from __future__ import annotations

import asyncio
import datetime as dt

import reflex as rx

from cabinet import texts
from cabinet.db import session_scope
from cabinet.clock import utc_now
from cabinet.services import auth
from cabinet.errors import DomainError
from cabinet.state.hashing import run_hashing
from cabinet.state.local_time import format_local_time
from cabinet.state.session import adopt_session, current_user_id, safe_next_path


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
        if await current_user_id(self):
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
        try:
            token = await run_hashing(_sign_in, email, password, remember, client, agent)
        except DomainError as error:
            async with self:
                self.password = ""
                self.busy = False
                if error.code == "email_not_confirmed":
                    self.unconfirmed_email = str(error.params.get("email", ""))
                params = dict(error.params)
                if isinstance(params.get("until"), dt.datetime):
                    params["until"] = format_local_time(params["until"])
                self.error = texts.error_text(error.code, **params)
            return
        async with self:
            self.password = ""
            self.busy = False
            await adopt_session(self, token=token, remember=remember)
        yield rx.redirect(target)

    @rx.event(background=True)
    async def resend_confirmation(self):
        async with self:
            address = self.unconfirmed_email
            client = self.router.session.client_ip or ""
        if not address:
            return
        await asyncio.to_thread(_resend, address, client)
        async with self:
            self.error = ""
            self.notice = texts.LOGIN["confirmation_sent"].format(email=address)
            self.unconfirmed_email = ""


def _sign_in(email: str, password: str, remember: bool, client: str, agent: str) -> str:
    # A failed attempt is kept although sign-in is refused: it counts towards the lock-out.
    with session_scope(commit_on=(DomainError,)) as session:
        return auth.sign_in(
            session=session, email=email, password=password, remember=remember,
            now=utc_now(), client_address=client, user_agent=agent,
        )


def _resend(email: str, client: str) -> None:
    with session_scope() as session:
        auth.resend_confirmation(session=session, email=email, now=utc_now(), client_address=client)
