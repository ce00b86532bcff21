"""States of paying: the pay form, a payment's status page, the history and the printable receipt."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import uuid

import reflex as rx

from cabinet import texts
from cabinet.config import get_settings
from cabinet.db import session_scope
from cabinet.models import Payment, PaymentPurpose, PaymentStatus, Provider, ProviderAccount, User
from cabinet.clock import utc_now
from cabinet.services import payments
from cabinet.services.accounts import links_of
from cabinet.services.calendar import local_date
from cabinet.services.dashboard import card_for
from cabinet.errors import DomainError
from cabinet.services.ids import parse_id
from cabinet.services.periods import period_bounds
from cabinet.money import format_rubles, parse_rubles
from cabinet.services.readings import ReadingEntry, ReadingsRejected
from cabinet.state.display import Choice, account_subtitle
from cabinet.state.local_time import format_local_time
from cabinet.state.readings import ReadingsState, account_id_from_path, show_readings_rejection
from cabinet.state.session import current_user_id, login_redirect

_PAYMENT_PATH = re.compile(r"/payments/([^/]*)")
# How long the status page keeps asking while a payment is still being paid.
STATUS_POLL_SECONDS = 2.0
STATUS_POLL_TIMES = 30


def payment_id_from_path(path: str) -> int:
    """The payment id in the address; 0 (found nowhere) for text, a sign or a number past the id column."""
    match = _PAYMENT_PATH.search(path)
    return (parse_id(match.group(1)) or 0) if match else 0


def go_to_checkout(url: str) -> rx.event.EventSpec:
    """A full page load: the demo checkout lives on our own host, outside the app's router."""
    return rx.call_script(f"window.location.assign({json.dumps(url)})")


# --- the pay form ---------------------------------------------------------------------------------


class PayState(rx.State):
    account_id: int = 0
    title: str = ""
    subtitle: str = ""
    owed_kopecks: int = 0
    owed_text: str = ""
    mode: str = "debt"
    amount: str = ""
    amount_error: str = ""
    with_readings: bool = False
    form_error: str = ""
    request_key: str = ""
    email: str = ""
    not_found: bool = False
    loaded: bool = False
    busy: bool = False

    @rx.var
    def can_pay_debt(self) -> bool:
        return self.owed_kopecks >= payments.MIN_PAYMENT_KOPECKS

    @rx.var
    def custom_help(self) -> str:
        return texts.PAYMENTS["mode_custom_help"].format(
            min=format_rubles(payments.MIN_PAYMENT_KOPECKS), max=format_rubles(get_settings().max_payment_kopecks))

    @rx.var
    def summary(self) -> str:
        if self.mode == "debt":
            return self.owed_text if self.can_pay_debt else "—"
        try:
            return format_rubles(parse_rubles(self.amount)) if self.amount.strip() else "—"
        except DomainError:
            return "—"

    @rx.var
    def receipt_note(self) -> str:
        return texts.PAYMENTS["summary_receipt"].format(email=self.email)

    @rx.event(background=True)
    async def load(self):
        async with self:
            self.loaded = False
            self.account_id = account_id_from_path(self.router.url.path)
            user_id = await current_user_id(self)
            account_id = self.account_id
        if not user_id:
            return
        try:
            card, email = await asyncio.to_thread(_pay_card, user_id, account_id)
        except DomainError:
            async with self:
                self.not_found, self.loaded = True, True
            return
        async with self:
            self.not_found = False
            self.title = card.nickname or card.provider_name
            self.subtitle = account_subtitle(card)
            self.owed_kopecks = card.balance.to_pay_kopecks
            self.owed_text = format_rubles(max(0, card.balance.to_pay_kopecks))
            self.mode = "debt" if self.can_pay_debt else "custom"
            self.amount = self.amount_error = self.form_error = ""
            self.with_readings = False
            self.email = email
            # One key per opened form: a double click or a retried request is the same payment.
            self.request_key = uuid.uuid4().hex
            self.loaded = True

    @rx.event
    def set_mode(self, mode: str) -> None:
        if mode in ("debt", "custom"):
            self.mode = mode
            self.amount_error = self.form_error = ""

    @rx.event
    def set_amount(self, value: str) -> None:
        self.amount = value[:20]
        self.amount_error = ""
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
                entries = tuple(ReadingEntry(row.meter_id, row.value, row.replaced) for row in readings_state.rows
                                if row.open)
                if confirm_jumps:
                    confirmed = frozenset(row.meter_id for row in readings_state.rows if row.jump)
            request = payments.PaymentRequest(
                user_id=user_id, account_id=self.account_id,
                purpose=PaymentPurpose.debt if self.mode == "debt" else PaymentPurpose.custom_amount,
                amount_text=self.amount, request_key=self.request_key, readings=entries, confirmed_jumps=confirmed,
                client_address=self.router.session.client_ip or "",
            )
            self.busy = True
            self.amount_error = self.form_error = ""
        try:
            payment = await asyncio.to_thread(payments.pay, request)
        except ReadingsRejected as rejected:
            async with self:
                self.busy = False
                readings_state = await self.get_state(ReadingsState)
                show_readings_rejection(readings_state, rejected)
                self.form_error = texts.READINGS["jump_question"] if rejected.jumps and not rejected.errors \
                    else texts.error_text("readings_rejected")
            return
        except DomainError as error:
            async with self:
                self.busy = False
                message = texts.error_text(error.code, **error.params)
                if error.code.startswith(("payment_amount", "amount")) or error.code == "payment_nothing_owed":
                    self.amount_error = message
                elif error.code.startswith("reading"):
                    (await self.get_state(ReadingsState)).form_error = message
                    self.form_error = message
                else:
                    self.form_error = message
            return
        async with self:
            self.busy = False
            if payment.status == PaymentStatus.pending and payment.confirmation_url:
                return go_to_checkout(payment.confirmation_url)
            return rx.redirect(f"/payments/{payment.id}")


def _pay_card(user_id: int, account_id: int):
    with session_scope() as session:
        card = card_for(session, user_id=user_id, account_id=account_id, today=local_date(utc_now()))
        user = session.get(User, user_id)
        return card, user.email if user else ""


# --- one payment ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PaymentView:
    id: int
    status: str
    status_label: str
    status_text: str
    amount_text: str
    provider: str
    account_number: str
    account_id: int
    address: str
    created_text: str
    paid_text: str
    gateway_id: str
    reason_text: str
    confirmation_url: str
    receipt_email: str
    inn: str = ""
    payer: str = ""
    description: str = ""


def payment_view(payment: Payment, account: ProviderAccount, provider: Provider, user: User | None = None) -> PaymentView:
    status = payment.status.value
    reason = ""
    if payment.status == PaymentStatus.canceled:
        reason = texts.PAYMENTS["cancel_reasons"].get(payment.cancellation_reason, texts.PAYMENTS["cancel_reason_unknown"])
    elif payment.status == PaymentStatus.failed:
        reason = payment.failure_message
    assert payment.id is not None and account.id is not None
    return PaymentView(
        id=payment.id,
        status=status,
        status_label=texts.PAYMENTS["statuses"][status],
        status_text=texts.PAYMENTS["status_texts"][status],
        amount_text=format_rubles(payment.amount_kopecks),
        provider=provider.name,
        account_number=account.number,
        account_id=account.id,
        address=account.address,
        created_text=format_local_time(payment.created_at),
        paid_text=format_local_time(payment.paid_at) if payment.paid_at else "",
        gateway_id=payment.gateway_payment_id or "",
        reason_text=reason,
        confirmation_url=payment.confirmation_url if payment.status == PaymentStatus.pending else "",
        receipt_email=payment.receipt_email,
        inn=provider.inn,
        payer=(user.full_name or user.email) if user else "",
        description=payment.description,
    )


def _load_payment(user_id: int, payment_id: int) -> PaymentView:
    with session_scope() as session:
        payment = payments.payment_of(session, user_id=user_id, payment_id=payment_id)
        account = session.get(ProviderAccount, payment.account_id)
        provider = session.get(Provider, account.provider_id) if account else None
        assert account is not None and provider is not None
        return payment_view(payment, account, provider, session.get(User, user_id))


_EMPTY_VIEW = PaymentView(0, "", "", "", "", "", "", 0, "", "", "", "", "", "", "")


class PaymentStatusState(rx.State):
    payment: PaymentView = _EMPTY_VIEW
    not_found: bool = False
    loaded: bool = False
    checking: bool = False
    busy: bool = False
    error: str = ""

    @rx.event(background=True)
    async def load(self):
        async with self:
            self.loaded = False
            self.error = ""
            payment_id = payment_id_from_path(self.router.url.path)
            user_id = await current_user_id(self)
        if not user_id:
            return
        try:
            view = await asyncio.to_thread(_load_payment, user_id, payment_id)
        except DomainError:
            async with self:
                self.not_found, self.loaded = True, True
            return
        async with self:
            self.payment, self.not_found, self.loaded = view, False, True
            self.checking = view.status in ("pending", "waiting_for_capture")
        # Came back from the checkout before the notification? Ask YooKassa, then keep looking a while.
        for _attempt in range(STATUS_POLL_TIMES):
            if view.status not in ("pending", "waiting_for_capture"):
                break
            try:
                await asyncio.to_thread(payments.refresh_from_gateway, payment_id)
            except Exception:  # the gateway may be down; the page keeps what it has
                pass
            view = await asyncio.to_thread(_load_payment, user_id, payment_id)
            async with self:
                if self.payment.id != payment_id:
                    return  # the tab has moved on to another payment
                self.payment = view
            await asyncio.sleep(STATUS_POLL_SECONDS)
        async with self:
            self.checking = False

    @rx.event(background=True)
    async def retry(self):
        async with self:
            if self.busy:
                return
            user_id = await current_user_id(self)
            payment_id = self.payment.id
            self.busy = True
            self.error = ""
        try:
            payment = await asyncio.to_thread(payments.retry_payment, user_id=user_id, payment_id=payment_id)
            view = await asyncio.to_thread(_load_payment, user_id, payment_id)
        except DomainError as error:
            async with self:
                self.busy = False
                self.error = texts.error_text(error.code, **error.params)
            return
        async with self:
            self.busy = False
            self.payment = view
            if payment.status == PaymentStatus.pending and payment.confirmation_url:
                return go_to_checkout(payment.confirmation_url)


class ReceiptState(rx.State):
    payment: PaymentView = _EMPTY_VIEW
    not_found: bool = False
    loaded: bool = False

    @rx.event(background=True)
    async def load(self):
        async with self:
            self.loaded = False
            payment_id = payment_id_from_path(self.router.url.path)
            user_id = await current_user_id(self)
        if not user_id:
            return
        try:
            view = await asyncio.to_thread(_load_payment, user_id, payment_id)
        except DomainError:
            view = None
        async with self:
            self.not_found = view is None or view.status != "succeeded"
            if view is not None:
                self.payment = view
            self.loaded = True

    @rx.event
    def print_receipt(self):
        return rx.call_script("window.print()")


# --- history ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class HistoryRow:
    id: int
    created_text: str
    provider: str
    account_label: str
    amount_text: str
    status: str
    status_label: str


class HistoryState(rx.State):
    rows: list[HistoryRow] = []
    accounts: list[Choice] = []
    account_filter: str = "all"
    period_filter: str = "all"
    status_filter: str = "all"
    total_text: str = ""
    loaded: bool = False

    @rx.var
    def periods(self) -> list[Choice]:
        return [Choice(key, label) for key, label in texts.PAYMENTS["history_periods"].items()]

    @rx.var
    def statuses(self) -> list[Choice]:
        return [Choice("all", texts.PAYMENTS["history_filter_all_statuses"])] + [
            Choice(key, label) for key, label in texts.PAYMENTS["statuses"].items()]

    @rx.event(background=True)
    async def load(self):
        async with self:
            user_id = await current_user_id(self)
            filters = (self.account_filter, self.period_filter, self.status_filter)
        if not user_id:
            return
        rows, accounts, total = await asyncio.to_thread(_history, user_id, *filters)
        async with self:
            self.rows, self.accounts, self.loaded = rows, accounts, True
            self.total_text = texts.PAYMENTS["history_total"].format(amount=format_rubles(total))

    @rx.event
    def set_account_filter(self, value: str):
        self.account_filter = value if value == "all" or value.isdigit() else "all"
        return HistoryState.load

    @rx.event
    def set_period_filter(self, value: str):
        self.period_filter = value if value in texts.PAYMENTS["history_periods"] else "all"
        return HistoryState.load

    @rx.event
    def set_status_filter(self, value: str):
        self.status_filter = value if value == "all" or value in texts.PAYMENTS["statuses"] else "all"
        return HistoryState.load


def _history(user_id: int, account_filter: str, period_filter: str, status_filter: str):
    with session_scope() as session:
        accounts = [Choice("all", texts.PAYMENTS["history_filter_all_accounts"])] + [
            Choice(str(account.id), f"{link.nickname or provider.name} · {account.number}")
            for link, account, provider in links_of(session=session, user_id=user_id)
        ]
        found = payments.payments_of(
            session, user_id=user_id,
            account_id=parse_id(account_filter),
            since=period_bounds(period_filter, local_date(utc_now()))[0],
            status=PaymentStatus(status_filter) if status_filter in texts.PAYMENTS["statuses"] else None,
        )
        rows = [
            HistoryRow(
                id=payment.id or 0,
                created_text=format_local_time(payment.created_at),
                provider=provider.name,
                account_label=account.number,
                amount_text=format_rubles(payment.amount_kopecks),
                status=payment.status.value,
                status_label=texts.PAYMENTS["statuses"][payment.status.value],
            )
            for payment, account, provider in found
        ]
        total = sum(payment.amount_kopecks for payment, _a, _p in found if payment.status == PaymentStatus.succeeded)
        return rows, accounts, total
