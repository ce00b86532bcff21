"""State of /settings: linked accounts, profile, password and e-mail change."""

from __future__ import annotations

import dataclasses

import reflex as rx

from cabinet import texts
from cabinet.db import session_scope
from cabinet.models import User
from cabinet.clock import utc_now
from cabinet.services import accounts, auth
from cabinet.errors import DomainError
from cabinet.services.ids import parse_id
from cabinet.services.profile import display_phone, update_profile
from cabinet.state.hashing import run_hashing
from cabinet.state.password_rules import rule_marks
from cabinet.state.session import SessionState, current_user_id


@dataclasses.dataclass(frozen=True)
class LinkedAccount:
    account_id: int
    number: str
    provider: str
    address: str
    nickname: str


class SettingsState(rx.State):
    linked: list[LinkedAccount] = []
    accounts_notice: str = ""
    accounts_error: str = ""

    full_name: str = ""
    phone: str = ""
    notify_receipts: bool = True
    notify_reminders: bool = True
    full_name_error: str = ""
    # Typed but not saved yet: a reload of the page must not replace it with what is stored.
    profile_edited: bool = False
    phone_error: str = ""
    profile_notice: str = ""

    current_password: str = ""
    new_password: str = ""
    new_password_repeat: str = ""
    current_password_error: str = ""
    new_password_error: str = ""
    new_password_repeat_error: str = ""
    password_notice: str = ""

    email: str = ""
    new_email: str = ""
    email_password: str = ""
    new_email_error: str = ""
    email_password_error: str = ""
    email_notice: str = ""
    busy: str = ""

    @rx.var
    def new_password_marks(self) -> list[list[str]]:
        return rule_marks(self.new_password)

    async def _user_id(self) -> int:
        return await current_user_id(self)

    @rx.event
    async def load(self):
        user_id = await self._user_id()
        if not user_id:
            return
        with session_scope() as session:
            user = session.get(User, user_id)
            self._show_links(session, user_id)
            # A reconnect (another worker took over) loads the page again: keep what was typed.
            if not self.profile_edited:
                self.full_name, self.phone = user.full_name, display_phone(user.phone)
                self.notify_receipts = user.notify_payment_receipts
                self.notify_reminders = user.notify_reading_reminders
            self.email = user.email
        for name in ("accounts_notice", "accounts_error", "profile_notice",
                     "current_password", "new_password", "new_password_repeat", "current_password_error",
                     "new_password_error", "new_password_repeat_error", "password_notice",
                     "email_password", "email_password_error", "email_notice", "busy"):
            setattr(self, name, "")

    def _show_links(self, session, user_id: int) -> None:
        self.linked = [
            LinkedAccount(
                account_id=account.id or 0, number=account.number, provider=provider.name,
                address=account.address, nickname=link.nickname,
            )
            for link, account, provider in accounts.links_of(session=session, user_id=user_id)
        ]

    # --- accounts ---

    @rx.event
    async def rename(self, account_id: int, form: dict):
        user_id = await self._user_id()
        self.accounts_notice = self.accounts_error = ""
        try:
            with session_scope() as session:
                accounts.rename_link(session=session, user_id=user_id, account_id=parse_id(account_id) or 0,
                                     nickname=str(form.get("nickname", "")), now=utc_now())
                self._show_links(session, user_id)
        except DomainError as error:
            self.accounts_error = texts.error_text(error.code, **error.params)
            return
        self.accounts_notice = texts.SETTINGS["nickname_saved"]

    @rx.event
    async def unlink(self, account_id: int):
        user_id = await self._user_id()
        self.accounts_notice = self.accounts_error = ""
        # From the browser: anything not an id is looked up as 0, which is «not found».
        account_id = parse_id(account_id) or 0
        try:
            with session_scope() as session:
                number = accounts.require_linked_account(session=session, user_id=user_id, account_id=account_id).number
                accounts.unlink_account(session=session, user_id=user_id, account_id=account_id, now=utc_now(),
                                        client_address=self.router.session.client_ip or "")
                self._show_links(session, user_id)
        except DomainError as error:
            self.accounts_error = texts.error_text(error.code, **error.params)
            return
        self.accounts_notice = texts.SETTINGS["unlinked"].format(number=number)

    # --- profile ---

    @rx.event
    def set_full_name(self, value: str) -> None:
        self.full_name, self.full_name_error, self.profile_notice = value[:250], "", ""
        self.profile_edited = True

    @rx.event
    def set_phone(self, value: str) -> None:
        self.phone, self.phone_error, self.profile_notice = value[:40], "", ""
        self.profile_edited = True

    @rx.event
    def set_notify_receipts(self, value: bool) -> None:
        self.notify_receipts, self.profile_notice = bool(value), ""
        self.profile_edited = True

    @rx.event
    def set_notify_reminders(self, value: bool) -> None:
        self.notify_reminders, self.profile_notice = bool(value), ""
        self.profile_edited = True

    @rx.event
    async def save_profile(self):
        user_id = await self._user_id()
        self.full_name_error = self.phone_error = self.profile_notice = ""
        try:
            with session_scope() as session:
                user = update_profile(
                    session=session, user_id=user_id, full_name=self.full_name, phone=self.phone,
                    notify_payment_receipts=self.notify_receipts, notify_reading_reminders=self.notify_reminders,
                    now=utc_now(), client_address=self.router.session.client_ip or "",
                )
                self.full_name, self.phone = user.full_name, display_phone(user.phone)
                self.profile_edited = False
        except DomainError as error:
            target = "phone_error" if error.code.startswith("phone") else "full_name_error"
            setattr(self, target, texts.error_text(error.code, **error.params))
            return
        self.profile_notice = texts.SETTINGS["profile_saved"]

    # --- password ---

    @rx.event
    def set_current_password(self, value: str) -> None:
        self.current_password, self.current_password_error, self.password_notice = value[:128], "", ""

    @rx.event
    def set_new_password(self, value: str) -> None:
        self.new_password, self.new_password_error, self.password_notice = value[:128], "", ""

    @rx.event
    def set_new_password_repeat(self, value: str) -> None:
        self.new_password_repeat, self.new_password_repeat_error = value[:128], ""

    @rx.event(background=True)
    async def change_password(self):
        async with self:
            if self.busy:
                return
            session_state = await self.get_state(SessionState)
            user_id = await current_user_id(self)
            token = session_state.session_token
            values = (self.current_password, self.new_password, self.new_password_repeat)
            client = self.router.session.client_ip or ""
            self.busy = "password"
            self.current_password_error = self.new_password_error = self.new_password_repeat_error = ""
        try:
            await run_hashing(_change_password, user_id, token, *values, client)
        except DomainError as error:
            async with self:
                self.busy = ""
                self.current_password = self.new_password = self.new_password_repeat = ""
                if error.code == "password_wrong_current":
                    self.current_password_error = texts.error_text(error.code)
                elif error.code == "password_mismatch":
                    self.new_password_repeat_error = texts.error_text(error.code)
                else:
                    self.new_password_error = texts.error_text(error.code, **error.params)
            return
        async with self:
            self.busy = ""
            self.current_password = self.new_password = self.new_password_repeat = ""
            self.password_notice = texts.SETTINGS["password_saved"]

    # --- e-mail ---

    @rx.event
    def set_new_email(self, value: str) -> None:
        self.new_email, self.new_email_error, self.email_notice = value[:320], "", ""

    @rx.event
    def set_email_password(self, value: str) -> None:
        self.email_password, self.email_password_error = value[:128], ""

    @rx.event(background=True)
    async def change_email(self):
        async with self:
            if self.busy:
                return
            user_id = await current_user_id(self)
            values = (self.new_email, self.email_password)
            client = self.router.session.client_ip or ""
            self.busy = "email"
            self.new_email_error = self.email_password_error = ""
        try:
            address = await run_hashing(_change_email, user_id, *values, client)
        except DomainError as error:
            async with self:
                self.busy = ""
                self.email_password = ""
                if error.code.startswith("password"):
                    self.email_password_error = texts.error_text(error.code)
                else:
                    self.new_email_error = texts.error_text(error.code, **error.params)
            return
        async with self:
            self.busy = ""
            self.email_password = self.new_email = ""
            self.email_notice = texts.SETTINGS["email_sent"].format(email=address)


def _change_password(user_id: int, token: str, current: str, new: str, repeat: str, client: str) -> None:
    with session_scope() as session:
        auth.change_password(
            session=session, user_id=user_id, current_password=current, new_password=new,
            new_password_repeat=repeat, now=utc_now(), current_session_token=token, client_address=client,
        )


def _change_email(user_id: int, new_email: str, password: str, client: str) -> str:
    with session_scope() as session:
        return auth.request_email_change(
            session=session, user_id=user_id, new_email=new_email, password=password, now=utc_now(),
            client_address=client,
        )
