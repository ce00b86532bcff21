"""State of /pay, «Оплатить несколько счетов»: each account's sum and readings, then one payment, one checkout."""

from __future__ import annotations

import json
import uuid

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.money import format_rubles
from cabinet.services import payments
from cabinet.services.ids import parse_id
from cabinet.services.readings import ReadingsRejected
from cabinet.state import several_rows
from cabinet.state.calls import Outcome, call
from cabinet.state.page_data import PageData, load_failed, mark_loaded
from cabinet.state.pay import amount_refusal
from cabinet.state.payment_status import after_start
from cabinet.state.session import current_user_id, login_redirect, page_user_id
from cabinet.state.several_rows import SeveralRow

# The page's address; the dashboard links to it and a several-accounts payment's «Оплатить снова» leads here.
PAY_SEVERAL_PATH = payments.SEVERAL_PAY_PATH


def _focus(element_id: str) -> rx.event.EventSpec | None:
    """Brings the first refused input into view and to the keyboard: on a phone it may be screens above."""
    if not element_id:
        return None
    return rx.call_script(f"document.getElementById({json.dumps(element_id)})?.focus()")


class PaySeveralState(PageData, rx.State):
    accounts: list[SeveralRow] = []
    email: str = ""
    custom_help: str = ""
    # «Отметьте хотя бы один счёт.»: about the list as a whole, shown under it.
    accounts_error: str = ""
    form_error: str = ""
    request_key: str = ""
    busy: bool = False

    @rx.var
    def enough_accounts(self) -> bool:
        return len(self.accounts) >= 2

    @rx.var
    def own_form_href(self) -> str:
        """With one account, its own pay form is the way; "" with none."""
        return f"/accounts/{self.accounts[0].account_id}/pay" if len(self.accounts) == 1 else ""

    @rx.var
    def total_text(self) -> str:
        """Only sums the payment would take: a refused or empty one never counts towards «Итого к оплате»."""
        total = several_rows.total_of(self.accounts)
        return format_rubles(total) if total else "—"

    @rx.var
    def submit_text(self) -> str:
        total = several_rows.total_of(self.accounts)
        if not total:
            return texts.PAY_SEVERAL["submit_nothing"]
        return texts.PAY_SEVERAL["submit"].format(amount=format_rubles(total))

    @rx.var
    def jump_pending(self) -> bool:
        return several_rows.asks_about_jumps(self.accounts)

    @rx.var
    def receipt_note(self) -> str:
        return texts.PAYMENTS["summary_receipt"].format(email=self.email)

    @rx.event(background=True)
    async def load(self):
        async with self:
            self.loaded = False
            user_id = await page_user_id(self)
        if not user_id:
            return
        outcome = await call(payments.several_pay_form, user_id=user_id, now=utc_now())
        async with self:
            if not outcome.ok:
                await load_failed(self, outcome.message)
                return
            form: payments.SeveralPayForm = outcome.value
            self.accounts = [several_rows.row_of(account) for account in form.accounts]
            self.email, self.custom_help = form.email, form.custom_help
            self.accounts_error = self.form_error = ""
            # One key per opened form: a double click or a retried request is the same payment.
            self.request_key = uuid.uuid4().hex
            await mark_loaded(self)

    @rx.event
    def set_chosen(self, account_id: int, checked: bool) -> None:
        account_id = parse_id(account_id) or 0
        self.accounts = several_rows.changed(self.accounts, account_id, chosen=bool(checked))
        self.accounts_error = ""

    @rx.event
    def set_amount(self, account_id: int, value: str) -> None:
        account_id, value = parse_id(account_id) or 0, str(value)[:20]
        # Said as it is typed, in the one-account form's words; the total leaves a refused sum out.
        error = amount_refusal(value)
        self.accounts = several_rows.changed(self.accounts, account_id, amount=value, amount_error=error)

    @rx.event
    def set_with_readings(self, account_id: int, checked: bool) -> None:
        account_id = parse_id(account_id) or 0
        self.accounts = several_rows.changed(self.accounts, account_id, with_readings=bool(checked), readings_error="")

    @rx.event
    def set_reading(self, meter_id: int, value: str) -> None:
        self.accounts = several_rows.with_value(self.accounts, parse_id(meter_id) or 0, str(value)[:20])

    @rx.event
    def set_replaced(self, meter_id: int, replaced: bool) -> None:
        self.accounts = several_rows.with_replaced(self.accounts, parse_id(meter_id) or 0, bool(replaced))

    @rx.event(background=True)
    async def submit(self, confirm_jumps: bool = False):
        async with self:
            if self.busy:
                return
            user_id = await current_user_id(self)
            if not user_id:
                return login_redirect(self)
            self.accounts_error = self.form_error = ""
            checked = several_rows.with_amounts_checked(several_rows.cleared(self.accounts))
            if any(row.amount_error for row in checked):
                # Every refused sum at once, each beside its account; nothing is sent.
                self.accounts = checked
                self.form_error = texts.error_text("form_has_errors")
                return _focus(several_rows.first_refused(checked))
            request = dict(
                user_id=user_id,
                parts=several_rows.parts_of(self.accounts),
                request_key=self.request_key,
                confirmed_jumps=several_rows.jumps_of(self.accounts) if confirm_jumps else frozenset(),
                client_address=self.router.session.client_ip or "",
            )
            self.busy = True
        outcome = await call(payments.start_several, **request)
        async with self:
            self.busy = False
            if outcome.ok:
                return after_start(outcome.value)
            return self._show_refusal(outcome)

    def _show_refusal(self, outcome: Outcome) -> rx.event.EventSpec | None:
        """Beside the account's sum or readings, under the list, or above the button: where the service said.

        The rows are the ones on screen now, so whatever was typed while the click was on its way stays.
        """
        rows = several_rows.cleared(self.accounts)
        field, account_id = several_rows.account_of(outcome.field)
        if isinstance(outcome.error, ReadingsRejected):
            rejected = outcome.error
            # Each meter's refusal or question is beside its field; the words above the button say which.
            rows = several_rows.with_readings_rejected(rows, account_id, rejected)
            asks_only = rejected.jumps and not rejected.errors
            self.form_error = texts.READINGS["jump_question"] if asks_only else texts.error_text("readings_rejected")
        elif account_id and field == payments.AMOUNT_FIELD:
            rows = several_rows.changed(rows, account_id, amount_error=outcome.message)
            self.form_error = texts.error_text("form_has_errors")
        elif account_id and field == payments.READINGS_FIELD:
            rows = several_rows.changed(rows, account_id, readings_error=outcome.message)
            self.form_error = texts.error_text("form_has_errors")
        elif field == payments.ACCOUNTS_FIELD:
            self.accounts_error = outcome.message
        else:
            self.form_error = outcome.message
        self.accounts = rows
        return _focus(several_rows.first_refused(rows))
