"""State of «Дополнительные данные» in /settings: name, phone, which letters to get."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services import profile
from cabinet.state.calls import call
from cabinet.state.form_errors import clear_refusals, show_refusal
from cabinet.state.session import current_user_id, page_user_id

# The service's field → this form's error var.
FIELDS = {"full_name": "full_name_error", "phone": "phone_error"}


class SettingsProfileState(rx.State):
    full_name: str = ""
    phone: str = ""
    notify_receipts: bool = True
    notify_reminders: bool = True
    notify_window_closing: bool = True
    notify_verification: bool = True
    notify_new_bill: bool = True
    full_name_error: str = ""
    phone_error: str = ""
    notice: str = ""
    # Typed but not saved yet: a reload of the page must not replace it with what is stored.
    edited: bool = False

    @rx.event
    async def load(self):
        user_id = await page_user_id(self)
        if not user_id:
            return
        self.notice = ""
        # A reconnect (another worker took over) loads the page again: keep what was typed.
        if self.edited:
            return
        outcome = await call(profile.profile_of, user_id=user_id)
        if outcome.ok:
            self._show(outcome.value)
        else:
            self.full_name_error = outcome.message

    @rx.event
    def set_full_name(self, value: str) -> None:
        self.full_name, self.full_name_error, self.notice = value[:250], "", ""
        self.edited = True

    @rx.event
    def set_phone(self, value: str) -> None:
        self.phone, self.phone_error, self.notice = value[:40], "", ""
        self.edited = True

    @rx.event
    def set_notify_receipts(self, value: bool) -> None:
        self.notify_receipts, self.notice = bool(value), ""
        self.edited = True

    @rx.event
    def set_notify_reminders(self, value: bool) -> None:
        self.notify_reminders, self.notice = bool(value), ""
        self.edited = True

    @rx.event
    def set_notify_window_closing(self, value: bool) -> None:
        self.notify_window_closing, self.notice = bool(value), ""
        self.edited = True

    @rx.event
    def set_notify_verification(self, value: bool) -> None:
        self.notify_verification, self.notice = bool(value), ""
        self.edited = True

    @rx.event
    def set_notify_new_bill(self, value: bool) -> None:
        self.notify_new_bill, self.notice = bool(value), ""
        self.edited = True

    @rx.event
    async def save(self):
        user_id = await current_user_id(self)
        clear_refusals(self, fields=FIELDS, fallback="full_name_error")
        self.notice = ""
        outcome = await call(
            profile.save_profile,
            user_id=user_id,
            full_name=self.full_name,
            phone=self.phone,
            notify_receipts=self.notify_receipts,
            notify_reminders=self.notify_reminders,
            reminders={
                "notify_window_closing": self.notify_window_closing,
                "notify_verification": self.notify_verification,
                "notify_new_bill": self.notify_new_bill,
            },
            now=utc_now(),
            client_address=self.router.session.client_ip or "",
        )
        show_refusal(self, outcome, fields=FIELDS, fallback="full_name_error")
        if outcome.ok:
            self._show(outcome.value)
            self.edited = False
            self.notice = texts.SETTINGS["profile_saved"]

    def _show(self, saved: profile.Profile) -> None:
        self.full_name, self.phone = saved.full_name, saved.phone
        self.notify_receipts, self.notify_reminders = saved.notify_receipts, saved.notify_reminders
        self.notify_window_closing, self.notify_verification = saved.notify_window_closing, saved.notify_verification
        self.notify_new_bill = saved.notify_new_bill
