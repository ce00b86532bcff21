"""What the gateway says, applied: a success credited once with its letter, a cancellation kept with its
reason, statuses never moved back, and what does and does not lower the amount to pay."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from cabinet.gateways import yookassa as yookassa_gateway
from cabinet.models import (
    LedgerEntry,
    NotificationOutcome,
    OutgoingEmail,
    PaymentNotification,
    PaymentPurpose,
    PaymentStatus,
    ProviderAccount,
    User,
)
from cabinet.sandbox import faults
from cabinet.services import payments
from cabinet.services.dashboard import balance_of
from tests.paying import checkout, count, fault, request_of, resident_with_debt, stored_payment


@pytest.fixture
def resident(engine, stand_in):
    return resident_with_debt(engine)


def test_paying_at_checkout_credits_once_and_lowers_the_amount_to_pay(engine, resident, stand_in):
    payment = payments.pay(request_of(resident))
    checkout(payment, "pay")
    paid = stored_payment(engine, payment.id)
    assert paid.status == PaymentStatus.succeeded and paid.paid_at is not None
    assert count(engine, LedgerEntry) == 1
    with Session(engine) as session:
        account = session.get(ProviderAccount, resident["account"])
        assert balance_of(session, account).to_pay_kopecks == 0
        letter = session.exec(select(OutgoingEmail)).one()
        assert "2\u00a0500,00\u00a0₽" in letter.subject


def test_cancel_at_checkout_keeps_the_reason_and_credits_nothing(engine, resident, stand_in):
    payment = payments.pay(request_of(resident))
    checkout(payment, "cancel", reason="insufficient_funds")
    canceled = stored_payment(engine, payment.id)
    assert (canceled.status, canceled.cancellation_reason) == (PaymentStatus.canceled, "insufficient_funds")
    assert count(engine, LedgerEntry) == 0


def test_return_page_refresh_books_a_payment_whose_notification_was_dropped_exactly_once(engine, resident, stand_in):
    """payments.refresh_from_gateway is what PaymentStatusState.load calls when a resident comes back."""
    fault(stand_in, drop_notifications=True, count=0)
    payment = payments.pay(request_of(resident))
    # Not paid yet at the checkout: the API says pending, nothing changes.
    waiting = payments.refresh_from_gateway(payment.id)
    assert (waiting.changed, waiting.status) == (False, PaymentStatus.pending)

    checkout(payment, "pay")
    assert stored_payment(engine, payment.id).status == PaymentStatus.pending
    assert count(engine, PaymentNotification) == 0

    applied = payments.refresh_from_gateway(payment.id)
    assert (applied.changed, applied.status, applied.credited) == (True, PaymentStatus.succeeded, True)
    for _ in range(3):  # the page keeps polling; nothing more is booked
        again = payments.refresh_from_gateway(payment.id)
        assert (again.changed, again.status, again.credited) == (False, PaymentStatus.succeeded, False)
    paid = stored_payment(engine, payment.id)
    assert paid.status == PaymentStatus.succeeded and paid.paid_at is not None
    with Session(engine) as session:
        assert session.exec(select(LedgerEntry.amount_kopecks)).all() == [250_000]
        account = session.get(ProviderAccount, resident["account"])
        assert balance_of(session, account).to_pay_kopecks == 0
        assert len(session.exec(select(OutgoingEmail)).all()) == 1


@pytest.mark.parametrize("wants_receipts", [False, True])
def test_receipt_letter_is_queued_only_for_residents_who_want_it(engine, resident, stand_in, wants_receipts):
    with Session(engine) as session:
        user = session.get(User, resident["user"])
        user.notify_payment_receipts = wants_receipts
        session.add(user)
        session.commit()
        email = user.email
    payment = payments.pay(request_of(resident))
    checkout(payment, "pay")
    assert stored_payment(engine, payment.id).status == PaymentStatus.succeeded
    assert count(engine, LedgerEntry) == 1
    with Session(engine) as session:
        letters = session.exec(select(OutgoingEmail)).all()
    if not wants_receipts:
        assert letters == []
        return
    (letter,) = letters
    assert letter.to_address == email
    assert "2\u00a0500,00\u00a0₽" in letter.subject
    assert f"/payments/{payment.id}/receipt" in letter.text_body


def test_pending_waiting_canceled_and_failed_payments_leave_the_amount_to_pay(engine, resident, stand_in):
    custom = dict(purpose=PaymentPurpose.custom_amount, amount_text="700")
    pending = payments.pay(request_of(resident, **custom))
    waiting = payments.pay(request_of(resident, **custom))
    payments.apply_gateway_state(
        payment_id=waiting.id,
        gateway_payment=yookassa_gateway.GatewayPayment(
            waiting.gateway_payment_id, "waiting_for_capture", 70_000, True
        ),
    )
    canceled = payments.pay(request_of(resident, **custom))
    checkout(canceled, "cancel")
    fault(stand_in, status=500, count=5)
    failed = payments.pay(request_of(resident, **custom))
    faults.clear_faults()
    assert [stored_payment(engine, p.id).status for p in (pending, waiting, canceled, failed)] == [
        PaymentStatus.pending,
        PaymentStatus.waiting_for_capture,
        PaymentStatus.canceled,
        PaymentStatus.failed,
    ]
    with Session(engine) as session:
        account = session.get(ProviderAccount, resident["account"])
        assert balance_of(session, account).to_pay_kopecks == 250_000
    assert count(engine, LedgerEntry) == 0

    checkout(pending, "pay")
    with Session(engine) as session:
        account = session.get(ProviderAccount, resident["account"])
        assert balance_of(session, account).to_pay_kopecks == 250_000 - 70_000


@pytest.mark.parametrize("answered", ["failed", "refunded"])
def test_a_status_yookassa_does_not_have_moves_nothing(engine, resident, answered):
    """`failed` is ours alone: from the API it is as unknown as any other word."""
    payment = payments.pay(request_of(resident))
    applied = payments.apply_gateway_state(
        payment_id=payment.id,
        gateway_payment=yookassa_gateway.GatewayPayment(payment.gateway_payment_id, answered, 250_000, False),
    )
    assert (applied.changed, applied.outcome, applied.outcome_status) == (
        False,
        NotificationOutcome.unknown_status,
        answered,
    )
    assert stored_payment(engine, payment.id).status == PaymentStatus.pending
