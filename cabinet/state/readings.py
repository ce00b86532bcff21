"""State of the readings form, on /accounts/<id>/readings and inside the payment page."""

from __future__ import annotations

import dataclasses
import re

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services import reading_form
from cabinet.services.ids import parse_id
from cabinet.services.reading_form import ReadingRow, ReadingsForm
from cabinet.services.readings import ReadingsRejected
from cabinet.state.calls import call
from cabinet.state.page_data import PageData, mark_loaded
from cabinet.state.session import current_user_id, login_redirect, page_user_id

_ACCOUNT_PATH = re.compile(r"/accounts/([^/]*)")


def account_id_from_path(path: str) -> int:
    """The account id in the address; 0 (found nowhere) for text, a sign or a number past the id column."""
    match = _ACCOUNT_PATH.search(path)
    return (parse_id(match.group(1)) or 0) if match else 0


class ReadingsState(PageData, rx.State):
    account_id: int = 0
    title: str = ""
    subtitle: str = ""
    rows: list[ReadingRow] = []
    window_text: str = ""
    # "open", "warn" (closed, taken with a note) or "blocked": the notice's data-state.
    window_mode: str = "open"
    window_open: bool = True
    window_color: str = "grass"
    # The window does not refuse and some meter is still open (the service decides).
    can_submit: bool = False
    form_error: str = ""
    saved_notice: str = ""
    jump_pending: bool = False
    not_found: bool = False
    busy: bool = False

    @rx.event
    async def load(self):
        # A plain event, as the dashboard's: one update, the tab's state taken once; the database
        # work runs on a thread.
        account_id = account_id_from_path(self.router.url.path)
        if account_id != self.account_id:
            self._opening(account_id)
            yield
        user_id = await page_user_id(self)
        if not user_id:
            return
        outcome = await call(reading_form.open_form, user_id=user_id, account_id=self.account_id, now=utc_now())
        await self._opened(outcome.value if outcome.ok else None)

    def _opening(self, account_id: int) -> None:
        """Another account's rows must not stay on screen while this one's load."""
        if account_id != self.account_id:
            self.account_id, self.rows, self.loaded = account_id, [], False

    async def _opened(self, form: ReadingsForm | None) -> None:
        """Ends a load of the form (here or on the payment page): its rows, or «not found» for None."""
        if form is not None:
            self._show(form)
        self.form_error = self.saved_notice = ""
        self.jump_pending = False
        self.not_found = form is None
        await mark_loaded(self)

    def _show(self, form: ReadingsForm) -> None:
        self.title, self.subtitle, self.rows = form.title, form.subtitle, form.rows
        self.window_text, self.window_mode = form.window_text, form.window_mode
        self.window_open, self.window_color, self.can_submit = form.window_open, form.window_color, form.can_submit

    def _update(self, meter_id: int, **changes) -> None:
        self.rows = [dataclasses.replace(row, **changes) if row.meter_id == meter_id else row for row in self.rows]

    @rx.event
    def set_value(self, meter_id: int, value: str) -> None:
        row = next((row for row in self.rows if row.meter_id == meter_id), None)
        if row is None:
            return
        value = value[:20]
        self._update(
            meter_id, value=value, error="", jump="", preview=reading_form.preview_text(row, value, row.replaced)
        )
        self.saved_notice = ""
        self.jump_pending = any(row.jump for row in self.rows)

    @rx.event
    def set_replaced(self, meter_id: int, replaced: bool) -> None:
        row = next((row for row in self.rows if row.meter_id == meter_id), None)
        if row is None:
            return
        replaced = bool(replaced)
        self._update(meter_id, replaced=replaced, error="", preview=reading_form.preview_text(row, row.value, replaced))

    @rx.event(background=True)
    async def submit(self, confirm_jumps: bool = False):
        async with self:
            if self.busy:
                return
            user_id = await current_user_id(self)
            if not user_id:
                return login_redirect(self)
            self.busy = True
            self.form_error = self.saved_notice = ""
            request = dict(
                user_id=user_id,
                account_id=self.account_id,
                entries=reading_form.entries_of(self.rows),
                confirmed_jumps=reading_form.jumps_of(self.rows) if confirm_jumps else frozenset(),
                client_address=self.router.session.client_ip or "",
            )
        outcome = await call(reading_form.send_readings, now=utc_now(), **request)
        async with self:
            self.busy = False
            if isinstance(outcome.error, ReadingsRejected):
                show_readings_rejection(self, outcome.error)
            elif not outcome.ok:
                self.form_error = outcome.message
            else:
                self.jump_pending = False
                self._show(outcome.value.form)
                self.saved_notice = outcome.value.notice


def show_readings_rejection(readings_state: ReadingsState, rejected: ReadingsRejected) -> None:
    """Puts each refusal or jump question next to its field; the pay form calls it too (inside `async with`)."""
    readings_state.rows = reading_form.marked_rows(readings_state.rows, rejected)
    readings_state.jump_pending = rejected.asks_confirmation
    if rejected.errors:
        readings_state.form_error = texts.error_text(rejected.code, **rejected.params)
