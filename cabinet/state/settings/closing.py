"""State of «Закрыть кабинет» in /settings: the password again and «I understand», then the cabinet is closed."""

from __future__ import annotations

import reflex as rx

from cabinet.clock import utc_now
from cabinet.services import closure
from cabinet.state.calls import call
from cabinet.state.form_errors import clear_refusals, show_refusal
from cabinet.state.session import current_user_id

CLOSED_ROUTE = "/closed"
FIELDS = {"password": "password_error", "confirmed": "confirmed_error"}


class SettingsClosingState(rx.State):
    password: str = ""
    confirmed: bool = False
    password_error: str = ""
    confirmed_error: str = ""
    # A refusal of the closing as a whole (an open payment, a staff account).
    error: str = ""
    busy: bool = False

    @rx.event
    def load(self) -> None:
        self.password, self.confirmed, self.busy = "", False, False
        clear_refusals(self, fields=FIELDS, fallback="error")

    @rx.event
    def set_password(self, value: str) -> None:
        self.password, self.password_error, self.error = value[:128], "", ""

    @rx.event
    def set_confirmed(self, value: bool) -> None:
        self.confirmed, self.confirmed_error, self.error = bool(value), "", ""

    @rx.event(background=True)
    async def submit(self):
        async with self:
            if self.busy:
                return
            user_id = await current_user_id(self)
            if not user_id:
                return
            request = dict(
                user_id=user_id,
                password=self.password,
                confirmed=self.confirmed,
                client_address=self.router.session.client_ip or "",
            )
            self.busy = True
            clear_refusals(self, fields=FIELDS, fallback="error")
        outcome = await call(closure.close_own_cabinet, now=utc_now(), **request)
        async with self:
            self.busy = False
            self.password = ""
            show_refusal(self, outcome, fields=FIELDS, fallback="error")
            if not outcome.ok:
                return
        # Every session of the cabinet is gone already: /closed, a public page, finds this tab's token dead and
        # forgets it (forgetting it here first would let the private page's guard send the tab to sign in).
        return rx.redirect(CLOSED_ROUTE)
