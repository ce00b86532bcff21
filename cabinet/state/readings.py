"""State of the readings form, on /accounts/<id>/readings and inside the payment page."""

from __future__ import annotations

import asyncio
import dataclasses
import re

import reflex as rx

from cabinet import texts
from cabinet.db import session_scope
from cabinet.models import ReadingSource
from cabinet.clock import utc_now
from cabinet.services import readings
from cabinet.services.calendar import local_date
from cabinet.services.dashboard import AccountCard, card_for
from cabinet.errors import DomainError
from cabinet.services.ids import parse_id
from cabinet.money import format_rubles
from cabinet.state.display import account_subtitle, date_text, kind_label, kind_unit, plural, short_date, thousandths_text
from cabinet.state.local_time import format_local_time
from cabinet.state.session import current_user_id, login_redirect

_ACCOUNT_PATH = re.compile(r"/accounts/([^/]*)")


def account_id_from_path(path: str) -> int:
    """The account id in the address; 0 (found nowhere) for text, a sign or a number past the id column."""
    match = _ACCOUNT_PATH.search(path)
    return (parse_id(match.group(1)) or 0) if match else 0


@dataclasses.dataclass(frozen=True)
class ReadingRow:
    meter_id: int
    kind: str
    unit: str
    serial: str
    previous_text: str
    help_text: str
    this_period_text: str
    # False once the provider has taken this month's reading: nothing more to send.
    open: bool
    value: str = ""
    replaced: bool = False
    error: str = ""
    preview: str = ""
    jump: str = ""
    previous_value: int = -1
    tariff_kopecks: int = -1
    digits_whole: int = 5
    digits_fraction: int = 3


def _row(meter: readings.MeterSummary) -> ReadingRow:
    previous = meter.previous
    unit = kind_unit(meter.kind)
    if previous is not None:
        previous_text = texts.READINGS["previous"].format(
            value=thousandths_text(previous.value, meter.digits_fraction), unit=unit, date=date_text(previous.day))
    else:
        previous_text = texts.READINGS["no_previous"]
    if meter.digits_fraction:
        help_text = texts.READINGS["value_help"].format(whole=meter.digits_whole, fraction=meter.digits_fraction)
    else:
        help_text = texts.READINGS["value_help_whole"].format(whole=meter.digits_whole)
    this_period = ""
    if meter.this_period_value is not None:
        key = "this_period" if meter.this_period_editable else "this_period_taken"
        this_period = texts.READINGS[key].format(
            value=thousandths_text(meter.this_period_value, meter.digits_fraction), unit=unit)
    return ReadingRow(
        meter_id=meter.meter_id,
        kind=kind_label(meter.kind),
        unit=unit,
        serial=texts.DASHBOARD["serial"].format(serial=meter.serial) if meter.serial else "",
        previous_text=previous_text,
        help_text=help_text,
        this_period_text=this_period,
        open=meter.this_period_value is None or meter.this_period_editable,
        previous_value=previous.value if previous else -1,
        tariff_kopecks=meter.tariff_kopecks if meter.tariff_kopecks is not None else -1,
        digits_whole=meter.digits_whole,
        digits_fraction=meter.digits_fraction,
    )


def preview_text(row: ReadingRow, text: str, replaced: bool) -> str:
    """«Расход 3,5 м³ ≈ 175,00 ₽ по тарифу» as the resident types; empty until it makes sense."""
    try:
        value = readings.parse_reading(text, row)
    except DomainError:
        return ""
    measured = readings.use_since(row.previous_value, value, row, rolled_over=replaced) \
        if row.previous_value >= 0 else None
    if measured is None:
        return ""
    use = measured[0]
    use_text = thousandths_text(use, row.digits_fraction)
    if row.tariff_kopecks < 0:
        return texts.READINGS["preview"].format(use=use_text, unit=row.unit)
    charge = format_rubles(readings.charge_for(use, row.tariff_kopecks))
    return texts.READINGS["preview_charge"].format(use=use_text, unit=row.unit, charge=charge)


class ReadingsState(rx.State):
    account_id: int = 0
    title: str = ""
    subtitle: str = ""
    rows: list[ReadingRow] = []
    window_text: str = ""
    # "open", "warn" (closed, taken with a note) or "blocked".
    window_mode: str = "open"
    form_error: str = ""
    saved_notice: str = ""
    jump_pending: bool = False
    not_found: bool = False
    loaded: bool = False
    busy: bool = False

    @rx.var
    def can_submit(self) -> bool:
        return self.window_mode != "blocked" and any(row.open for row in self.rows)

    @rx.event
    async def load(self):
        # A plain event, as the dashboard's: one update, the tab's state taken once; the database
        # work runs on a thread.
        account_id = account_id_from_path(self.router.url.path)
        if account_id != self.account_id:
            # Another account's rows must not stay on screen while this one's load.
            self.account_id, self.rows, self.loaded = account_id, [], False
            yield
        user_id = await current_user_id(self)
        if not user_id:
            return
        try:
            card = await asyncio.to_thread(_load_card, user_id, self.account_id)
        except DomainError:
            self.not_found, self.loaded = True, True
            return
        self._show(card)
        self.form_error = self.saved_notice = ""
        self.jump_pending = False
        self.not_found = False
        self.loaded = True

    def _show(self, card: AccountCard) -> None:
        self.title = card.nickname or card.provider_name
        self.subtitle = account_subtitle(card)
        self.rows = [_row(meter) for meter in card.meters]
        window = card.window
        opens, closes = short_date(window.window.opens), short_date(window.window.closes)
        if window.is_open:
            self.window_mode = "open"
            self.window_text = texts.READINGS["window_open"].format(
                closes=closes, days=plural(window.days_left, texts.DAYS))
        elif card.window_blocks:
            self.window_mode = "blocked"
            self.window_text = texts.READINGS["window_blocked"].format(opens=opens, closes=closes)
        else:
            self.window_mode = "warn"
            self.window_text = texts.READINGS["window_warn"].format(opens=opens, closes=closes)

    def _update(self, meter_id: int, **changes) -> None:
        self.rows = [dataclasses.replace(row, **changes) if row.meter_id == meter_id else row for row in self.rows]

    @rx.event
    def set_value(self, meter_id: int, value: str) -> None:
        row = next((row for row in self.rows if row.meter_id == meter_id), None)
        if row is None:
            return
        value = value[:20]
        self._update(meter_id, value=value, error="", jump="", preview=preview_text(row, value, row.replaced))
        self.saved_notice = ""
        self.jump_pending = any(row.jump for row in self.rows)

    @rx.event
    def set_replaced(self, meter_id: int, replaced: bool) -> None:
        row = next((row for row in self.rows if row.meter_id == meter_id), None)
        if row is None:
            return
        self._update(meter_id, replaced=bool(replaced), error="", preview=preview_text(row, row.value, bool(replaced)))

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
            entries = [readings.ReadingEntry(row.meter_id, row.value, row.replaced) for row in self.rows if row.open]
            confirmed = frozenset(row.meter_id for row in self.rows if row.jump) if confirm_jumps else frozenset()
            request = dict(user_id=user_id, account_id=self.account_id, entries=entries, confirmed_jumps=confirmed,
                           client_address=self.router.session.client_ip or "")
        try:
            check, card = await asyncio.to_thread(_submit, request)
        except readings.ReadingsRejected as rejected:
            async with self:
                self.busy = False
                self._show_rejection(rejected)
            return
        except DomainError as error:
            async with self:
                self.busy = False
                self.form_error = texts.error_text(error.code, **error.params)
            return
        async with self:
            self.busy = False
            self.jump_pending = False
            self._show(card)
            key = "saved_outside" if check.outside_window else "saved"
            self.saved_notice = texts.READINGS[key].format(date=format_local_time(utc_now()))

    def _show_rejection(self, rejected: readings.ReadingsRejected) -> None:
        for row in self.rows:
            error = rejected.errors.get(row.meter_id)
            factor = rejected.jumps.get(row.meter_id)
            self._update(
                row.meter_id,
                error=texts.error_text(error.code, **error.params) if error else "",
                jump=texts.READINGS["jump"].format(factor=f"{factor:g}".replace(".", ",")) if factor else "",
            )
        self.jump_pending = bool(rejected.jumps) and not rejected.errors
        if rejected.errors:
            self.form_error = texts.error_text("readings_rejected")


def _load_card(user_id: int, account_id: int) -> AccountCard:
    with session_scope() as session:
        return card_for(session, user_id=user_id, account_id=account_id, today=local_date(utc_now()))


def _submit(request: dict) -> tuple[readings.ReadingsCheck, AccountCard]:
    now = utc_now()
    with session_scope() as session:
        check = readings.submit_readings(session, now=now, source=ReadingSource.resident, **request)
        card = card_for(session, user_id=request["user_id"], account_id=request["account_id"], today=local_date(now))
        return check, card
