"""State of «Смена пароля» in /settings: the current password, the new one twice."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services import password_changes
from cabinet.state.calls import call
from cabinet.state.form_errors import clear_refusals, show_refusal
from cabinet.state.password_rules import rule_marks
from cabinet.state.session import SessionState, current_user_id

# The service's field → this form's error var; a refusal of the form as a whole shows under the new password.
FIELDS = {
    "current_password": "current_password_error",
    "password": "new_password_error",
    "password_repeat": "new_password_repeat_error",
}


class SettingsPasswordState(rx.State):
    current_password: str = ""
    new_password: str = ""
    new_password_repeat: str = ""
    current_password_error: str = ""
    new_password_error: str = ""
    new_password_repeat_error: str = ""
    notice: str = ""
    busy: bool = False

    @rx.var
    def new_password_marks(self) -> list[list[str]]:
        return rule_marks(self.new_password)

    @rx.event
    def load(self) -> None:
        self.current_password = self.new_password = self.new_password_repeat = ""
        clear_refusals(self, fields=FIELDS, fallback="new_password_error")
        self.notice = ""
        self.busy = False

    @rx.event
    def set_current_password(self, value: str) -> None:
        self.current_password, self.current_password_error, self.notice = value[:128], "", ""

    @rx.event
    def set_new_password(self, value: str) -> None:
        self.new_password, self.new_password_error, self.notice = value[:128], "", ""

    @rx.event
    def set_new_password_repeat(self, value: str) -> None:
        self.new_password_repeat, self.new_password_repeat_error = value[:128], ""

    @rx.event(background=True)
    async def submit(self):
        async with self:
            if self.busy:
                return
            user_id = await current_user_id(self)
            # This browser stays signed in; every other one is signed out.
            token = (await self.get_state(SessionState)).session_token
            request = dict(
                user_id=user_id,
                current_session_token=token,
                current_password=self.current_password,
                new_password=self.new_password,
                new_password_repeat=self.new_password_repeat,
                client_address=self.router.session.client_ip or "",
            )
            self.busy = True
            clear_refusals(self, fields=FIELDS, fallback="new_password_error")
        outcome = await call(password_changes.change_password, now=utc_now(), **request)
        async with self:
            self.busy = False
            self.current_password = self.new_password = self.new_password_repeat = ""
            show_refusal(self, outcome, fields=FIELDS, fallback="new_password_error")
            if outcome.ok:
                self.notice = texts.SETTINGS["password_saved"]
