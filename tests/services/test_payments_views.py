"""The resident's payment pages as the services hand them over: the pay form, a payment's page, its receipt."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from cabinet import texts
from cabinet.errors import DomainError
from cabinet.models import AccountLink, PaymentFailure, PaymentStatus
from cabinet.services import payments
from tests.factories import NOW, make_account, make_payment, make_provider, make_user
from tests.paying import DownGateway


@pytest.fixture
def owner(session):
    provider = make_provider(session, name="Водоканал")
    account = make_account(session, provider, debt_kopecks=150_000)
    user = make_user(session)
    session.add(AccountLink(user_id=user.id, account_id=account.id, nickname="Дача"))
    session.commit()
    return {"user": user.id, "account": account.id, "email": user.email}


def _payment(session: Session, owner: dict, status: PaymentStatus, **values) -> int:
    values = dict(idempotency_key=f"key-{status.value}", confirmation_url="http://127.0.0.1/checkout/1") | values
    payment = make_payment(session, owner["user"], owner["account"], 150_000, status=status, **values)
    session.commit()
    return payment.id


@pytest.mark.parametrize(
    ("status", "flags", "color"),
    [
        (PaymentStatus.pending, (True, False, False, False), "amber"),
        (PaymentStatus.waiting_for_capture, (True, False, False, False), "blue"),
        (PaymentStatus.succeeded, (False, False, False, True), "grass"),
        (PaymentStatus.canceled, (False, False, True, False), "gray"),
        (PaymentStatus.failed, (False, True, False, False), "red"),
    ],
)
def test_a_payment_page_says_what_can_be_done_with_it(session, owner, status, flags, color):
    view = payments.payment_page(session=session, user_id=owner["user"], payment_id=_payment(session, owner, status))
    assert (view.awaiting, view.can_retry, view.can_pay_again, view.has_receipt) == flags
    assert (view.status, view.status_color) == (status.value, color)
    assert view.status_label == texts.PAYMENTS["statuses"][status.value]
    assert view.amount_text == "1\u00a0500,00\u00a0₽" and view.provider == "Водоканал"
    # The checkout is offered only while the payment waits for it.
    assert (view.confirmation_url != "") is (status == PaymentStatus.pending)


def test_why_a_payment_failed_or_was_canceled_reads_in_russian(session, owner):
    failed = _payment(session, owner, PaymentStatus.failed, failure_code=PaymentFailure.timeout)
    canceled = _payment(session, owner, PaymentStatus.canceled, cancellation_reason="insufficient_funds")
    failed_view = payments.payment_page(session=session, user_id=owner["user"], payment_id=failed)
    canceled_view = payments.payment_page(session=session, user_id=owner["user"], payment_id=canceled)
    assert (failed_view.reason_text, failed_view.reason_color) == (texts.PAYMENTS["gateway_errors"]["timeout"], "red")
    assert (canceled_view.reason_text, canceled_view.reason_color) == ("Недостаточно денег на карте.", "gray")


@pytest.mark.parametrize("code", list(PaymentFailure))
def test_every_failure_code_has_its_words(code):
    assert payments.failure_text(code) == texts.PAYMENTS["gateway_errors"][code.value]
    assert payments.failure_text(None) == ""


def test_a_receipt_only_for_ones_own_succeeded_payment(session, owner):
    paid = _payment(session, owner, PaymentStatus.succeeded, paid_at=NOW)
    pending = _payment(session, owner, PaymentStatus.pending)
    receipt = payments.receipt(session=session, user_id=owner["user"], payment_id=paid)
    assert (receipt.id, receipt.payer, receipt.paid_text) == (paid, owner["email"], "25.11.2026 12:00")
    with pytest.raises(DomainError, match="not_found"):
        payments.receipt(session=session, user_id=owner["user"], payment_id=pending)
    stranger = make_user(session)
    with pytest.raises(DomainError, match="not_found"):
        payments.receipt(session=session, user_id=stranger.id, payment_id=paid)
    with pytest.raises(DomainError, match="not_found"):
        payments.payment_page(session=session, user_id=stranger.id, payment_id=paid)


def test_the_pay_form_opens_on_the_debt_when_enough_is_owed(session, owner):
    form = payments.pay_form(session=session, user_id=owner["user"], account_id=owner["account"], now=NOW)
    assert (form.title, form.email, form.owed_text, form.can_pay_debt) == (
        "Дача",
        owner["email"],
        "1\u00a0500,00\u00a0₽",
        True,
    )
    assert form.custom_help.startswith("Любая сумма от 1,00")
    stranger = make_user(session)
    with pytest.raises(DomainError, match="not_found"):
        payments.pay_form(session=session, user_id=stranger.id, account_id=owner["account"], now=NOW)


def test_the_status_pages_entries_open_their_own_transactions(app_database, session, owner):
    payment_id = _payment(
        session, owner, PaymentStatus.pending, gateway_payment_id="2f0b0d1e-000f-5000-9000-1b2c3d4e5f60"
    )
    assert payments.payment_page(user_id=owner["user"], payment_id=payment_id).awaiting
    # YooKassa away: the page still shows the payment, and asks again later.
    assert payments.check_payment(user_id=owner["user"], payment_id=payment_id, now=NOW, gateway=DownGateway()).awaiting
    with pytest.raises(DomainError, match="not_found"):
        payments.check_payment(user_id=owner["user"] + 1, payment_id=payment_id, now=NOW, gateway=DownGateway())
