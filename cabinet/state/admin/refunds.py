"""State of the «Вернуть деньги» dialog on a payment's detail: one part's refund, asked of YooKassa in the background.

The request key is made when the dialog opens for a part and sent with every submit of that dialog, so a
double click — or a second click while YooKassa is slow — is one refund (services/admin/refunds.py).
"""

from __future__ import annotations

import json
import uuid

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services import payments
from cabinet.services.admin import refunds
from cabinet.services.ids import parse_id
from cabinet.state.admin.operator import acting_operator_id, not_found
from cabinet.state.admin.payments import AdminPaymentsState
from cabinet.state.calls import call
from cabinet.state.form_errors import clear_refusals, show_refusal

# The service's fields → this State's error vars; any other refusal shows above the buttons.
FIELDS = {payments.REFUND_AMOUNT_FIELD: "amount_error", payments.REFUND_REASON_FIELD: "reason_error"}
FALLBACK = "error"
# A little past the service's limit, so a too-long reason is refused with its message rather than cut silently.
REASON_KEPT_CHARS = 400


def _focus_back(part_id: int) -> rx.event.EventSpec:
    """Focus back on the part's «Вернуть деньги»: the dialog is opened by the State, not by a Radix trigger, so
    Radix has nowhere to return it to and a keyboard user would start again from the top of the page."""
    return rx.call_script(f"document.getElementById({json.dumps(f'admin-refund-open-{part_id}')})?.focus()")


class AdminRefundState(rx.State):
    is_open: bool = False
    payment_id: int = 0
    part_id: int = 0
    # «МУП «Водоканал» · лицевой счёт 3700123456» and «Оплачено …, можно вернуть до …».
    part_label: str = ""
    left_label: str = ""
    amount: str = ""
    reason: str = ""
    amount_error: str = ""
    reason_error: str = ""
    error: str = ""
    busy: bool = False
    # Backend only: the Idempotence-Key of this opening of the dialog.
    _request_key: str = ""

    @rx.var
    def counter(self) -> str:
        return f"{len(self.reason)}{texts.ADMIN['refund_dialog']['counter']}"

    @rx.event
    async def open_for(self, part_id: int):
        """«Вернуть деньги» of a part of the open payment: the form with what is left of it, and a fresh key."""
        if self.busy:
            return
        shown = await self.get_state(AdminPaymentsState)
        wanted = parse_id(part_id)
        part = next((part for part in shown.parts if part.id == wanted and part.may_refund), None)
        if part is None:
            return  # not a part on the screen: the service would refuse it anyway
        words = texts.ADMIN["refund_dialog"]
        self.payment_id, self.part_id = shown.selected, part.id
        self.part_label = words["part"].format(provider=part.provider, account=part.account)
        self.left_label = words["left"].format(amount=part.amount, left=part.left)
        self.amount, self.reason = part.left_input, ""
        clear_refusals(self, fields=FIELDS, fallback=FALLBACK)
        self._request_key = uuid.uuid4().hex
        self.is_open = True

    @rx.event
    def set_open(self, value: bool):
        # Radix asks to close on Escape, a tap outside or «Отмена»; it never opens the dialog by itself.
        if not value and self.is_open:
            self.is_open = False
            return _focus_back(self.part_id)

    @rx.event
    def set_amount(self, value: str) -> None:
        self.amount, self.amount_error = value[:40], ""

    @rx.event
    def set_reason(self, value: str) -> None:
        self.reason, self.reason_error = value[:REASON_KEPT_CHARS], ""

    @rx.event(background=True)
    async def submit(self, _form: dict | None = None):
        async with self:
            if self.busy or not self.is_open:
                return  # a second click while the first is on its way: the same refund, already asked
            actor = await acting_operator_id(self)
            if not actor:
                return not_found()
            request = dict(
                payment_id=self.payment_id,
                part_id=self.part_id,
                amount_text=self.amount,
                reason=self.reason,
                request_key=self._request_key,
                client_address=self.router.session.client_ip or "",
            )
            self.busy = True
            clear_refusals(self, fields=FIELDS, fallback=FALLBACK)
        outcome = await call(refunds.refund_part, actor_id=actor, now=utc_now(), **request)
        async with self:
            self.busy = False
            if not outcome.ok:  # refused before anything was written: the same key may try again
                show_refusal(self, outcome, fields=FIELDS, fallback=FALLBACK)
                return
            result = outcome.value
            if result.returned_nothing:
                # YooKassa said no: the dialog stays with what was typed, and another try is another refund.
                self.error, self._request_key = result.message, uuid.uuid4().hex
            else:
                self.is_open = False
                shown = await self.get_state(AdminPaymentsState)
                shown.refund_message, shown.refund_message_for = result.message, request["payment_id"]
            closed = not self.is_open
        # The detail again either way: the refund's row and what is left of the part.
        reload = [AdminPaymentsState.open_payment(request["payment_id"]), AdminPaymentsState.load]
        return [_focus_back(request["part_id"]), *reload] if closed else reload
