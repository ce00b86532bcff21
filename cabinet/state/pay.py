"""State of /accounts/<id>/pay: the debt or an own amount, readings alongside, then off to the checkout."""

from __future__ import annotations

import uuid

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.errors import DomainError
from cabinet.money import format_rubles
from cabinet.services import payments
from cabinet.services.readings import ReadingEntry, ReadingsRejected
from cabinet.state.calls import Outcome, call
from cabinet.state.page_data import PageData, mark_loaded
from cabinet.state.payment_status import after_start
from cabinet.state.readings import ReadingsState, account_id_from_path, show_readings_rejection
from cabinet.state.session import current_user_id, login_redirect, page_user_id


def amount_refusal(amount: str, *, required: bool = False) -> str:
    """Why an own amount would be refused; "" for one that passes, and for none typed yet unless `required`.

    Both pay forms say it as it is typed, in the same words (the several-accounts form with `required` on
    «Оплатить» too, to mark every empty sum at once).
    """
    if not amount.strip() and not required:
        return ""
    try:
        payments.own_amount(amount)
    except DomainError as error:
        return texts.error_text(error.code, **error.params)
    return ""


class PayState(PageData, rx.State):
    account_id: int = 0
    title: str = ""
    subtitle: str = ""
    can_pay_debt: bool = False
    owed_text: str = ""
    custom_help: str = ""
    mode: str = "debt"
    amount: str = ""
    amount_error: str = ""
    with_readings: bool = False
    form_error: str = ""
    request_key: str = ""
    email: str = ""
    not_found: bool = False
    busy: bool = False

    @rx.var
    def summary(self) -> str:
        """Only an amount the payment would take: a refused one never stands as «Итого к оплате»."""
        if self.amount_error:
            return "—"
        if self.mode == "debt":
            return self.owed_text if self.can_pay_debt else "—"
        try:
            return format_rubles(payments.own_amount(self.amount))
        except DomainError:
            return "—"

    @rx.var
    def receipt_note(self) -> str:
        return texts.PAYMENTS["summary_receipt"].format(email=self.email)

    @rx.event
    async def load(self):
        # A plain event, as the dashboard's: the page arrives in one update before the chain's last
        # (each update is a render in the browser); the database work still runs on a thread.
        self.account_id = account_id_from_path(self.router.url.path)
        readings = await self.get_state(ReadingsState)
        readings._opening(self.account_id)
        user_id = await page_user_id(self)
        if not user_id:
            return
        outcome = await call(payments.pay_form, user_id=user_id, account_id=self.account_id, now=utc_now())
        self.not_found = not outcome.ok
        await mark_loaded(self)
        # The readings part of the page comes from the same card: one load for the whole page.
        await readings._opened(outcome.value.readings if outcome.ok else None)
        if not outcome.ok:
            return
        form: payments.PayForm = outcome.value
        self.title, self.subtitle = form.title, form.subtitle
        self.can_pay_debt, self.owed_text, self.custom_help = form.can_pay_debt, form.owed_text, form.custom_help
        self.mode = "debt" if form.can_pay_debt else "custom"
        self.amount = self.amount_error = self.form_error = ""
        self.with_readings = False
        self.email = form.email
        # One key per opened form: a double click or a retried request is the same payment.
        self.request_key = uuid.uuid4().hex

    @rx.event
    def set_mode(self, mode: str) -> None:
        if mode in ("debt", "custom"):
            self.mode = mode
            self.amount_error = self.form_error = ""

    @rx.event
    def set_amount(self, value: str) -> None:
        self.amount = value[:20]
        # Said as it is typed: the total beside it stays «—» for a refused amount, so the reason shows too.
        self.amount_error = amount_refusal(self.amount)
        if self.amount.strip():
            self.mode = "custom"

    @rx.event
    def set_with_readings(self, checked: bool) -> None:
        self.with_readings = bool(checked)

    @rx.event(background=True)
    async def submit(self, confirm_jumps: bool = False):
        async with self:
            if self.busy:
                return
            user_id = await current_user_id(self)
            if not user_id:
                return login_redirect(self)
            readings_state = await self.get_state(ReadingsState)
            entries: tuple[ReadingEntry, ...] = ()
            confirmed: frozenset[int] = frozenset()
            if self.with_readings:
                entries = tuple(
                    ReadingEntry(row.meter_id, row.value, row.replaced) for row in readings_state.rows if row.open
                )
                if confirm_jumps:
                    confirmed = frozenset(row.meter_id for row in readings_state.rows if row.jump)
            form = dict(
                user_id=user_id,
                account_id=self.account_id,
                pay_debt=self.mode == "debt",
                amount_text=self.amount,
                request_key=self.request_key,
                readings=entries,
                confirmed_jumps=confirmed,
                client_address=self.router.session.client_ip or "",
            )
            self.busy = True
            self.amount_error = self.form_error = ""
        outcome = await call(payments.start_payment, **form)
        async with self:
            self.busy = False
            if outcome.ok:
                return after_start(outcome.value)
            await self._show_refusal(outcome)

    async def _show_refusal(self, outcome: Outcome) -> None:
        """Next to the amount, on the readings fields, or above the button: where the service said."""
        readings_state = await self.get_state(ReadingsState)
        if isinstance(outcome.error, ReadingsRejected):
            show_readings_rejection(readings_state, outcome.error)
            rejected = outcome.error
            self.form_error = (
                texts.READINGS["jump_question"]
                if rejected.jumps and not rejected.errors
                else texts.error_text("readings_rejected")
            )
        elif outcome.field == payments.AMOUNT_FIELD:
            self.amount_error = outcome.message
        elif outcome.field == payments.READINGS_FIELD:
            readings_state.form_error = self.form_error = outcome.message
        else:
            self.form_error = outcome.message
