"""State of /staff/invitation/<token>: the invited address, a new password twice, then signed in and on to /admin."""

from __future__ import annotations

import reflex as rx

from cabinet.clock import utc_now
from cabinet.services.admin import staff
from cabinet.services.tokens import LINK
from cabinet.state.calls import call
from cabinet.state.form_errors import clear_refusals, show_refusal
from cabinet.state.page_data import PageData, mark_loaded
from cabinet.state.password_rules import NEW_PASSWORD_FIELDS, NewPasswordForm, link_token
from cabinet.state.session import adopt_session

ADMIN_ROUTE = "/admin"
FIELDS = NEW_PASSWORD_FIELDS


class StaffInvitationState(PageData, NewPasswordForm, rx.State):
    status: str = "checking"  # checking | form | problem
    problem: str = ""
    email: str = ""

    @rx.event(background=True)
    async def load(self):
        async with self:
            self.status, self.problem, self.email = "checking", "", ""
            self._clear_password_form()
            token = link_token(self.router.url.path)
        outcome = await call(staff.check_invitation, raw_token=token, now=utc_now())
        async with self:
            if outcome.ok:
                self.status, self.email = "form", outcome.value
            else:
                self.status, self.problem = "problem", outcome.message
            await mark_loaded(self)

    @rx.event(background=True)
    async def submit(self):
        async with self:
            if self.busy or self.status != "form":
                return
            self.busy = True
            clear_refusals(self, fields=FIELDS, fallback="password_error")
            request = dict(
                raw_token=link_token(self.router.url.path),
                password=self.password,
                password_repeat=self.password_repeat,
                client_address=self.router.session.client_ip or "",
                user_agent=self.router.headers.user_agent or "",
            )
        outcome = await call(staff.accept_invitation, now=utc_now(), **request)
        async with self:
            self.busy = False
            if outcome.field == LINK:
                self.status, self.problem = "problem", outcome.message
                self.password = self.password_repeat = ""
                return
            if not outcome.ok:
                show_refusal(self, outcome, fields=FIELDS, fallback="password_error")
                return
            self.password = self.password_repeat = ""
            await adopt_session(self, token=outcome.value, remember=False)
        yield rx.redirect(ADMIN_ROUTE)
