"""State of /payments/<id>: one payment's status, looked up while it is being paid, and its retry."""

from __future__ import annotations

import asyncio
import json
import re

import reflex as rx

from cabinet.clock import utc_now
from cabinet.services import payments
from cabinet.services.ids import parse_id
from cabinet.state.calls import call
from cabinet.state.page_data import PageData, mark_loaded
from cabinet.state.session import current_user_id, page_user_id

_PAYMENT_PATH = re.compile(r"/payments/([^/]*)")
# How long the status page keeps looking while a payment is still being paid. Each look reads our own
# database; YooKassa is asked by one look per payment per payments.GATEWAY_CHECK_INTERVAL, whatever the
# number of tabs open on it.
STATUS_POLL_SECONDS = 2.0
STATUS_POLL_TIMES = 30


def payment_id_from_path(path: str) -> int:
    """The payment id in the address; 0 (found nowhere) for text, a sign or a number past the id column."""
    match = _PAYMENT_PATH.search(path)
    return (parse_id(match.group(1)) or 0) if match else 0


def go_to_checkout(url: str) -> rx.event.EventSpec:
    """A full page load: the demo checkout lives on our own host, outside the app's router."""
    return rx.call_script(f"window.location.assign({json.dumps(url)})")


def after_start(checkout: payments.Checkout) -> rx.event.EventSpec:
    """Where a pay form's «Оплатить» leads: the gateway's checkout, or the payment's own page without one."""
    if checkout.checkout_url:
        return go_to_checkout(checkout.checkout_url)
    return rx.redirect(f"/payments/{checkout.payment_id}")


class PaymentStatusState(PageData, rx.State):
    payment: payments.PaymentView = payments.NO_PAYMENT
    not_found: bool = False
    checking: bool = False
    busy: bool = False
    error: str = ""

    @rx.event(background=True)
    async def load(self):
        async with self:
            self.loaded = False
            self.error = ""
            payment_id = payment_id_from_path(self.router.url.path)
            user_id = await page_user_id(self)
        if not user_id:
            return
        outcome = await call(payments.payment_page, user_id=user_id, payment_id=payment_id)
        async with self:
            self.not_found = not outcome.ok
            await mark_loaded(self)
            if not outcome.ok:
                return
            self.payment = outcome.value
            self.checking = outcome.value.awaiting
        await self._keep_checking(user_id, outcome.value)

    async def _keep_checking(self, user_id: int, view: payments.PaymentView) -> None:
        """Came back from the checkout before the notification? Keep looking a while (YooKassa asked now and then)."""
        for _attempt in range(STATUS_POLL_TIMES):
            if not view.awaiting:
                break
            outcome = await call(payments.check_payment, user_id=user_id, payment_id=view.id, now=utc_now())
            if not outcome.ok:
                break
            view = outcome.value
            async with self:
                if self.payment.id != view.id:
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
        outcome = await call(payments.retry_checkout, user_id=user_id, payment_id=payment_id)
        async with self:
            self.busy = False
            self.error = outcome.message
            if not outcome.ok:
                return
            self.payment = outcome.value
            if outcome.value.confirmation_url:
                return go_to_checkout(outcome.value.confirmation_url)
