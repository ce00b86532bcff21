"""State of /admin/payments: the filtered list and its total, one payment's detail, a check at YooKassa, the CSV.

The refund dialog of a payment's part has a State of its own (state/admin/refunds.py)."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.money import format_rubles
from cabinet.services.admin import payment_detail, payments
from cabinet.services.calendar import local_date
from cabinet.services.ids import parse_id
from cabinet.state.admin.lines import Line
from cabinet.state.admin.operator import acting_operator_id, not_found
from cabinet.state.admin.payment_rows import (
    AdminPaymentRow,
    PartRow,
    RefundRow,
    detail_lines,
    list_row,
    part_rows,
    refund_rows,
    status_label,
    whole_payment,
)
from cabinet.state.calls import call
from cabinet.state.display import Choice
from cabinet.state.local_time import format_local_time
from cabinet.state.page_data import PageData, load_failed, mark_loaded
from cabinet.state.payment_status import payment_id_from_path


class AdminPaymentsState(PageData, rx.State):
    rows: list[AdminPaymentRow] = []
    providers: list[Choice] = []
    provider_filter: str = "all"
    status_filter: str = "all"
    period_filter: str = "month"
    total_text: str = ""
    selected: int = 0
    # Whether «Проверить в ЮKassa» is this staff member's to press for the open payment (a viewer's never).
    detail_may_check: bool = False
    detail: list[Line] = []
    # The open payment's parts the staff member sees, its refunds, and «Весь платёж: …» for the administrator.
    parts: list[PartRow] = []
    refunds: list[RefundRow] = []
    whole: str = ""
    notifications: list[Line] = []
    notice: str = ""
    error: str = ""
    # What the last refund came to (state/admin/refunds.py), and the payment it is about.
    refund_message: str = ""
    refund_message_for: int = 0

    @rx.var
    def refund_notice(self) -> str:
        """The last refund's outcome while its payment is the one open."""
        return self.refund_message if self.refund_message_for == self.selected else ""

    @rx.var
    def statuses(self) -> list[Choice]:
        return [Choice("all", texts.PAYMENTS["history_filter_all_statuses"])] + [
            Choice(key, label) for key, label in texts.PAYMENTS["statuses"].items()
        ]

    @rx.var
    def periods(self) -> list[Choice]:
        return [Choice(key, label) for key, label in texts.ADMIN["periods"].items()]

    def _filters(self) -> payments.PaymentFilter:
        return payments.chosen_filter(
            provider=self.provider_filter,
            status=self.status_filter,
            period=self.period_filter,
            today=local_date(utc_now()),
        )

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_operator_id(self)
            filters = self._filters()
        if not actor:
            return not_found()
        outcome = await call(payments.payments_page, actor_id=actor, filters=filters)
        if not outcome.ok:
            async with self:
                await load_failed(self, outcome.message)
            return
        found, providers = outcome.value.payments, outcome.value.providers
        async with self:
            self.rows = [list_row(row) for row in found.rows]
            self.providers = [Choice("all", texts.ADMIN["all_providers"])] + [
                Choice(str(provider.id), provider.name) for provider in providers
            ]
            self.total_text = texts.ADMIN["payments_total"].format(
                count=found.count, amount=format_rubles(found.total_kopecks)
            )
            await mark_loaded(self)

    @rx.event
    def open_from_url(self):
        """on_load of /admin/payments/<id>: that payment opened, or «Не найдено.» for a foreign or missing one."""
        self.selected, self.error, self.refund_message = 0, "", ""
        return AdminPaymentsState.open_payment(payment_id_from_path(self.router.url.path))

    @rx.event
    def set_provider_filter(self, value: str):
        self.provider_filter = value
        return AdminPaymentsState.load

    @rx.event
    def set_status_filter(self, value: str):
        self.status_filter = value
        return AdminPaymentsState.load

    @rx.event
    def set_period_filter(self, value: str):
        self.period_filter = value if value in texts.ADMIN["periods"] else "month"
        return AdminPaymentsState.load

    @rx.event(background=True)
    async def export_csv(self):
        async with self:
            actor = await acting_operator_id(self)
            filters = self._filters()
        if not actor:
            return not_found()
        outcome = await call(payments.export_payments, actor_id=actor, filters=filters, now=utc_now())
        if not outcome.ok:
            async with self:
                self.error = outcome.message
            return
        return rx.download(data=outcome.value, filename=f"payments-{local_date(utc_now()).isoformat()}.csv")

    @rx.event(background=True)
    async def open_payment(self, payment_id: int):
        async with self:
            actor = await acting_operator_id(self)
        if not actor:
            return not_found()
        outcome = await call(payment_detail.payment_detail, actor_id=actor, payment_id=parse_id(payment_id) or 0)
        async with self:
            if outcome.ok:
                self._show(outcome.value)
            else:
                self.selected, self.notice, self.error = 0, "", outcome.message

    def _show(self, detail: payment_detail.PaymentDetail) -> None:
        self.selected, self.detail = detail.id, detail_lines(detail)
        self.detail_may_check = detail.may_check
        self.parts, self.refunds, self.whole = part_rows(detail), refund_rows(detail), whole_payment(detail)
        self.notifications = [
            Line(f"{format_local_time(n.received_at)} · {n.event or '—'} · {n.source_address}", n.outcome_text)
            for n in detail.notifications
        ]
        self.notice = self.error = ""

    @rx.event
    def close_payment(self) -> None:
        self.selected, self.refund_message = 0, ""

    @rx.event(background=True)
    async def check_at_gateway(self):
        async with self:
            actor = await acting_operator_id(self)
            payment_id = self.selected
        if not actor:
            return not_found()
        outcome = await call(payment_detail.check_at_gateway, actor_id=actor, payment_id=payment_id, now=utc_now())
        async with self:
            if not outcome.ok:  # the gateway down, most likely: say so, keep the page
                self.error = texts.ADMIN["gateway_check_failed"]
                return
            self._show(outcome.value.detail)
            self.notice = texts.ADMIN["gateway_checked"].format(status=status_label(outcome.value.status))
        return AdminPaymentsState.load
