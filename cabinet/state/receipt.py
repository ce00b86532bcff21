"""State of /payments/<id>/receipt: the printable receipt of a succeeded payment."""

from __future__ import annotations

import reflex as rx

from cabinet.services import payments
from cabinet.state.calls import call
from cabinet.state.page_data import PageData, mark_loaded
from cabinet.state.payment_status import payment_id_from_path
from cabinet.state.session import page_user_id


class ReceiptState(PageData, rx.State):
    payment: payments.PaymentView = payments.NO_PAYMENT
    not_found: bool = False

    @rx.event(background=True)
    async def load(self):
        async with self:
            self.loaded = False
            payment_id = payment_id_from_path(self.router.url.path)
            user_id = await page_user_id(self)
        if not user_id:
            return
        # Another resident's payment, or one not (yet) paid: there is no receipt to show.
        outcome = await call(payments.receipt, user_id=user_id, payment_id=payment_id)
        async with self:
            self.not_found = not outcome.ok
            await mark_loaded(self)
            if outcome.ok:
                self.payment = outcome.value

    @rx.event
    def print_receipt(self):
        return rx.call_script("window.print()")
