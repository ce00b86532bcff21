"""Reconciliation: a payment whose notification was lost is found, re-read from YooKassa and credited once."""

from __future__ import annotations

import datetime as dt

import pytest

from cabinet.models import LedgerEntry, PaymentStatus
from cabinet.services import payments
from tests.paying import checkout, count, fault, request_of, resident_with_debt, stored_payment


@pytest.fixture
def resident(engine, stand_in):
    return resident_with_debt(engine)


def test_reconciliation_finds_a_payment_whose_notification_was_lost(engine, resident, stand_in):
    fault(stand_in, drop_notifications=True, count=0)
    payment = payments.pay(request_of(resident))
    checkout(payment, "pay")
    assert stored_payment(engine, payment.id).status == PaymentStatus.pending
    assert payments.reconcile(older_than=dt.timedelta(minutes=10)).checked == 0  # too fresh yet
    report = payments.reconcile(older_than=dt.timedelta(0))
    assert (report.checked, report.changed, report.errors) == (1, 1, 0)
    assert stored_payment(engine, payment.id).status == PaymentStatus.succeeded
    assert payments.reconcile(older_than=dt.timedelta(0)).checked == 0
    assert count(engine, LedgerEntry) == 1
