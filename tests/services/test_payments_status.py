"""The status machine: a complete table, and the one write that refuses any move it does not allow."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col

from cabinet.models import AccountLink, Payment, PaymentPurpose, PaymentStatus
from cabinet.services import payments
from tests.factories import NOW, make_account, make_provider, make_user

LATER = NOW.replace(hour=10)


def test_every_status_has_its_entry_and_settled_ones_go_nowhere():
    assert set(payments.ALLOWED) == set(PaymentStatus)
    assert (PaymentStatus.succeeded, PaymentStatus.canceled) == payments.FINAL
    assert (PaymentStatus.pending, PaymentStatus.waiting_for_capture) == payments.AWAITING_GATEWAY


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (PaymentStatus.pending, PaymentStatus.succeeded, True),
        (PaymentStatus.pending, PaymentStatus.failed, True),
        (PaymentStatus.waiting_for_capture, PaymentStatus.succeeded, True),
        (PaymentStatus.waiting_for_capture, PaymentStatus.pending, False),
        (PaymentStatus.failed, PaymentStatus.pending, True),  # a retry the gateway took
        (PaymentStatus.failed, PaymentStatus.succeeded, False),  # never paid without the gateway taking it first
        (PaymentStatus.succeeded, PaymentStatus.canceled, False),
        (PaymentStatus.succeeded, PaymentStatus.pending, False),
        (PaymentStatus.canceled, PaymentStatus.succeeded, False),
    ],
)
def test_which_move_the_table_allows(current, target, allowed):
    assert payments.may_move(current, target) is allowed


def _payment(session: Session, status: PaymentStatus) -> Payment:
    provider = make_provider(session)
    account = make_account(session, provider)
    user = make_user(session)
    session.add(AccountLink(user_id=user.id, account_id=account.id))
    payment = Payment(
        user_id=user.id,
        account_id=account.id,
        amount_kopecks=10_000,
        purpose=PaymentPurpose.debt,
        status=status,
        idempotency_key=f"key-{status.value}",
        created_at=NOW,
        updated_at=NOW,
    )
    session.add(payment)
    session.commit()
    return payment


def _status(session: Session, payment: Payment) -> PaymentStatus:
    session.refresh(payment)
    return payment.status


def test_transition_writes_an_allowed_move_with_its_values(session):
    payment = _payment(session, PaymentStatus.pending)
    assert payments.transition(session, payment_id=payment.id, to=PaymentStatus.succeeded, now=LATER, paid_at=LATER)
    session.refresh(payment)
    assert (payment.status, payment.paid_at, payment.updated_at) == (PaymentStatus.succeeded, LATER, LATER)


@pytest.mark.parametrize("target", [PaymentStatus.pending, PaymentStatus.failed, PaymentStatus.canceled])
def test_transition_refuses_to_move_a_succeeded_payment(session, target):
    payment = _payment(session, PaymentStatus.succeeded)
    assert not payments.transition(session, payment_id=payment.id, to=target, now=LATER)
    assert _status(session, payment) == PaymentStatus.succeeded


def test_transition_honours_the_callers_conditions(session):
    payment = _payment(session, PaymentStatus.pending)
    payment.gateway_payment_id = "2f0b0d1e-000f-5000-9000-1b2c3d4e5f60"
    session.commit()
    # The gateway's failure comes after it had taken the payment: the failure is not written.
    assert not payments.transition(
        session,
        payment_id=payment.id,
        to=PaymentStatus.failed,
        now=LATER,
        when=(col(Payment.gateway_payment_id).is_(None),),
    )
    assert _status(session, payment) == PaymentStatus.pending


def test_of_two_writers_racing_only_the_move_allowed_from_the_status_found_lands(engine, session):
    payment = _payment(session, PaymentStatus.pending)
    # One writer read «pending» and is about to book a success; another cancels first.
    with Session(engine) as other:
        assert payments.transition(other, payment_id=payment.id, to=PaymentStatus.canceled, now=LATER)
        other.commit()
    assert not payments.transition(session, payment_id=payment.id, to=PaymentStatus.succeeded, now=LATER)
    session.commit()
    assert _status(session, payment) == PaymentStatus.canceled
