"""State of the pages behind e-mailed links: /confirm/<token>, /confirm-email/<token>, /reset/<token>."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services import auth, email_changes, password_changes, signups
from cabinet.services.tokens import LINK
from cabinet.state.calls import call
from cabinet.state.form_errors import clear_refusals, show_refusal
from cabinet.state.login import refusal_text
from cabinet.state.page_data import PageData, mark_loaded
from cabinet.state.password_rules import NEW_PASSWORD_FIELDS, NewPasswordForm, link_token
from cabinet.state.session import adopt_session, page_user_id

CONNECT_ROUTE = "/accounts/connect"
# A refusal of the link itself shows instead of the reset form.
RESET_FIELDS = NEW_PASSWORD_FIELDS


class ConfirmState(PageData, rx.State):
    """Following the registration link: the password of that address, then on to connecting an account."""

    status: str = "checking"  # checking | confirmed | problem
    problem: str = ""
    problem_email: str = ""
    notice: str = ""
    # Set only by the confirmed link, never from the browser: the address the password is checked for.
    confirmed_email: str = ""
    password: str = ""
    password_error: str = ""
    busy: bool = False

    @rx.event
    def set_password(self, value: str) -> None:
        self.password = value[:128]
        self.password_error = ""

    @rx.event(background=True)
    async def load(self):
        async with self:
            self.status, self.problem, self.problem_email, self.notice = "checking", "", "", ""
            self.confirmed_email = self.password = self.password_error = ""
            token = link_token(self.router.url.path)
            client = self.router.session.client_ip or ""
            signed_in = await page_user_id(self)
        outcome = await call(signups.confirm_signup, raw_token=token, now=utc_now(), client_address=client)
        async with self:
            if not outcome.ok:
                # Opened again in the tab that already signed in with it: straight on, as the first time.
                if signed_in and outcome.error.params.get("user_id") == signed_in:
                    return rx.redirect(CONNECT_ROUTE)
                self.status, self.problem = "problem", outcome.message
                # The service names the address only when a new letter would help.
                self.problem_email = str(outcome.error.params.get("email", ""))
                await mark_loaded(self)
                return
            confirmed: signups.ConfirmedSignup = outcome.value
            if confirmed.user_id == signed_in:
                return rx.redirect(CONNECT_ROUTE)
            self.status, self.confirmed_email = "confirmed", confirmed.email
            await mark_loaded(self)

    @rx.event(background=True)
    async def sign_in(self):
        """The one step the link leaves: the password, checked (and locked out) as on /login."""
        async with self:
            # Only for the address this visit's link confirmed.
            if self.busy or not self.loaded or self.status != "confirmed":
                return
            self.busy, self.password_error = True, ""
            email, password = self.confirmed_email, self.password
            client = self.router.session.client_ip or ""
            agent = self.router.headers.user_agent or ""
        outcome = await call(
            auth.sign_in,
            email=email,
            password=password,
            remember=True,  # as /login's «Запомнить меня», ticked there by default
            now=utc_now(),
            client_address=client,
            user_agent=agent,
        )
        async with self:
            self.password, self.busy = "", False
            if not outcome.ok:
                self.password_error = refusal_text(outcome.error)
                return
            await adopt_session(self, token=outcome.value, remember=True)
        yield rx.redirect(CONNECT_ROUTE)

    @rx.event(background=True)
    async def send_new_letter(self):
        async with self:
            address = self.problem_email
            client = self.router.session.client_ip or ""
        if not address:
            return
        outcome = await call(signups.resend_confirmation, email=address, now=utc_now(), client_address=client)
        async with self:
            if not outcome.ok:
                self.problem = outcome.message
                return
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
            token = link_token(self.router.url.path)
            client = self.router.session.client_ip or ""
        outcome = await call(email_changes.confirm_email_change, raw_token=token, now=utc_now(), client_address=client)
        async with self:
            if not outcome.ok:
                self.status, self.problem = "problem", outcome.message
                return
            self.status = "confirmed"
            self.new_email = outcome.value


class ResetState(NewPasswordForm, rx.State):
    """Setting a new password from the reset link."""

    status: str = "checking"  # checking | form | done | problem
    problem: str = ""

    @rx.event
    async def load(self) -> None:
        self._clear_password_form()
        token = link_token(self.router.url.path)
        outcome = await call(password_changes.check_reset_link, raw_token=token, now=utc_now())
        self.status, self.problem = ("form", "") if outcome.ok else ("problem", outcome.message)

    @rx.event(background=True)
    async def submit(self):
        async with self:
            if self.busy:
                return
            self.busy = True
            clear_refusals(self, fields=RESET_FIELDS, fallback="password_error")
            request = dict(
                raw_token=link_token(self.router.url.path),
                password=self.password,
                password_repeat=self.password_repeat,
                client_address=self.router.session.client_ip or "",
            )
        outcome = await call(password_changes.reset_password, now=utc_now(), **request)
        async with self:
            self.busy = False
            self.password = self.password_repeat = ""
            if outcome.field == LINK:
                self.status, self.problem = "problem", outcome.message
            elif outcome.ok:
                self.status = "done"
            else:
                show_refusal(self, outcome, fields=RESET_FIELDS, fallback="password_error")
