"""State of the «Задать вопрос» dialog shown on every page."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services import questions
from cabinet.services.ids import parse_id
from cabinet.state.calls import call
from cabinet.state.display import Choice
from cabinet.state.session import current_user_id

NO_ACCOUNT = "none"
# The dialog's inputs with a place for an error; a refusal for anything else shows under the message.
FIELDS = ("topic", "account", "email", "message")


class QuestionState(rx.State):
    is_open: bool = False
    signed_in: bool = False
    accounts: list[Choice] = []
    topic: str = "payment"
    account: str = NO_ACCOUNT
    email: str = ""
    message: str = ""
    errors: dict[str, str] = {}
    sent: str = ""
    busy: bool = False

    @rx.var
    def counter(self) -> str:
        return f"{len(self.message)}{texts.QUESTIONS['counter']}"

    @rx.var
    def topics(self) -> list[Choice]:
        return [Choice(key, label) for key, label in texts.QUESTIONS["topics"].items()]

    @rx.event(background=True)
    async def open_dialog(self):
        async with self:
            user_id = await current_user_id(self)
            self.is_open, self.sent, self.errors = True, "", {}
            self.signed_in = bool(user_id)
        if not user_id:
            return
        outcome = await call(questions.question_targets, user_id=user_id)
        async with self:
            self.accounts = [Choice(NO_ACCOUNT, texts.QUESTIONS["no_account_choice"])] + [
                Choice(str(target.account_id), target.label) for target in outcome.value or []
            ]
            if self.account not in {choice.value for choice in self.accounts}:
                self.account = NO_ACCOUNT

    @rx.event
    def set_open(self, value: bool) -> None:
        self.is_open = bool(value)

    @rx.event
    def set_topic(self, value: str) -> None:
        self.topic = value
        self.errors = {key: text for key, text in self.errors.items() if key != "topic"}

    @rx.event
    def set_account(self, value: str) -> None:
        self.account = value

    @rx.event
    def set_email(self, value: str) -> None:
        self.email = value[:320]
        self.errors = {key: text for key, text in self.errors.items() if key != "email"}

    @rx.event
    def set_message(self, value: str) -> None:
        self.message = value[: questions.MESSAGE_MAX + 100]
        self.errors = {key: text for key, text in self.errors.items() if key != "message"}

    @rx.event
    def write_another(self) -> None:
        self.sent = ""

    @rx.event(background=True)
    async def send(self):
        async with self:
            if self.busy:
                return
            account_id = None if self.account == NO_ACCOUNT else parse_id(self.account)
            if self.account != NO_ACCOUNT and account_id is None:
                self.errors = {"account": texts.error_text("not_found")}
                return
            request = dict(
                user_id=await current_user_id(self) or None,
                contact_email=self.email,
                topic=self.topic,
                message=self.message,
                account_id=account_id,
                client_address=self.router.session.client_ip or "",
            )
            self.busy, self.errors = True, {}
        outcome = await call(questions.ask_question, now=utc_now(), **request)
        async with self:
            self.busy = False
            if not outcome.ok:
                field = outcome.field if outcome.field in FIELDS else "message"
                self.errors = {field: outcome.message}
                return
            self.message = ""
            self.sent = texts.QUESTIONS["sent"].format(recipient=outcome.value)
