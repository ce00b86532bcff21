"""State of the pages behind e-mailed links: /confirm/<token>, /confirm-email/<token>, /reset/<token>."""

from __future__ import annotations

import asyncio
import urllib.parse

import reflex as rx

from cabinet import texts
from cabinet.config import get_settings
from cabinet.db import session_scope
from cabinet.clock import utc_now
from cabinet.services import auth
from cabinet.errors import DomainError
from cabinet.state.hashing import run_hashing
from cabinet.state.password_rules import rule_marks
from cabinet.state.register import field_for


CONNECT_ROUTE = "/accounts/connect"


def _token_from_path(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def _problem_text(error: DomainError) -> str:
    return texts.error_text(error.code, support=get_settings().support_email)


class ConfirmState(rx.State):
    """Following the registration link: success, or why not and a way to get a new letter."""

    status: str = "checking"  # checking | confirmed | problem
    problem: str = ""
    problem_email: str = ""
    notice: str = ""
    confirmed_email: str = ""

    @rx.var
    def next_href(self) -> str:
        """Connecting an account needs a signed-in resident: sign in first, then straight there."""
        query = urllib.parse.urlencode({"next": CONNECT_ROUTE, "email": self.confirmed_email})
        return f"/login?{query}"

    @rx.event(background=True)
    async def load(self):
        async with self:
            self.status, self.problem, self.problem_email, self.notice = "checking", "", "", ""
            token = _token_from_path(self.router.url.path)
            client = self.router.session.client_ip or ""
        try:
            email = await asyncio.to_thread(_confirm, token, client)
        except DomainError as error:
            async with self:
                self.status = "problem"
                self.problem = _problem_text(error)
                # A used link of an already confirmed address needs no new letter.
                if error.code in ("token_expired", "token_used"):
                    self.problem_email = str(error.params.get("email", ""))
            return
        async with self:
            self.status = "confirmed"
            self.confirmed_email = email

    @rx.event(background=True)
    async def send_new_letter(self):
        async with self:
            address = self.problem_email
            client = self.router.session.client_ip or ""
        if not address:
            return
        await asyncio.to_thread(_resend, address, client)
        async with self:
            self.notice = texts.CONFIRM["new_sent"].format(email=address)
            self.problem_email = ""


class EmailChangeState(rx.State):
    """Following the link sent to a new address."""

    status: str = "checking"
    problem: str = ""
    new_email: str = ""

    @rx.var
    def success_message(self) -> str:
        return texts.EMAIL_CHANGE_CONFIRM["success_text"].format(email=self.new_email)

    @rx.event(background=True)
    async def load(self):
        async with self:
            self.status, self.problem = "checking", ""
            token = _token_from_path(self.router.url.path)
            client = self.router.session.client_ip or ""
        try:
            address = await asyncio.to_thread(_confirm_email_change, token, client)
        except DomainError as error:
            async with self:
                self.status = "problem"
                self.problem = _problem_text(error)
            return
        async with self:
            self.status = "confirmed"
            self.new_email = address


class ResetState(rx.State):
    """Setting a new password from the reset link."""

    status: str = "checking"  # checking | form | done | problem
    problem: str = ""
    password: str = ""
    password_repeat: str = ""
    password_error: str = ""
    password_repeat_error: str = ""
    busy: bool = False

    @rx.var
    def password_marks(self) -> list[list[str]]:
        return rule_marks(self.password)

    @rx.event
    def set_password(self, value: str) -> None:
        self.password = value[:128]
        self.password_error = ""

    @rx.event
    def set_password_repeat(self, value: str) -> None:
        self.password_repeat = value[:128]
        self.password_repeat_error = ""

    @rx.event
    def load(self) -> None:
        self.password = self.password_repeat = self.password_error = self.password_repeat_error = ""
        try:
            with session_scope() as session:
                auth.check_reset_link(
                    session=session, raw_token=_token_from_path(self.router.url.path), now=utc_now()
                )
        except DomainError as error:
            self.status, self.problem = "problem", _problem_text(error)
            return
        self.status = "form"

    @rx.event(background=True)
    async def submit(self):
        async with self:
            if self.busy:
                return
            self.busy = True
            self.password_error = self.password_repeat_error = ""
            token = _token_from_path(self.router.url.path)
            values = (self.password, self.password_repeat)
            client = self.router.session.client_ip or ""
        try:
            await run_hashing(_reset, token, *values, client)
        except DomainError as error:
            async with self:
                self.busy = False
                self.password = self.password_repeat = ""
                if error.code.startswith("token"):
                    self.status, self.problem = "problem", _problem_text(error)
                else:
                    setattr(self, f"{field_for(error.code)}_error", texts.error_text(error.code, **error.params))
            return
        async with self:
            self.busy = False
            self.password = self.password_repeat = ""
            self.status = "done"


def _confirm(token: str, client: str) -> str:
    with session_scope() as session:
        return auth.confirm_email(session=session, raw_token=token, now=utc_now(), client_address=client).email


def _confirm_email_change(token: str, client: str) -> str:
    with session_scope() as session:
        return auth.confirm_email_change(session=session, raw_token=token, now=utc_now(), client_address=client).email


def _resend(email: str, client: str) -> None:
    with session_scope() as session:
        auth.resend_confirmation(session=session, email=email, now=utc_now(), client_address=client)


def _reset(token: str, password: str, password_repeat: str, client: str) -> None:
    with session_scope() as session:
        auth.reset_password(
            session=session, raw_token=token, password=password, password_repeat=password_repeat,
            now=utc_now(), client_address=client,
        )
