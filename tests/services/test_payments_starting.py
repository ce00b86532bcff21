"""Starting a payment with the real YooKassa SDK against the local stand-in: the row, the create request,
gateway failures and retries, amounts, readings given with a payment, and access."""

from __future__ import annotations

import json
import threading

import pytest
from sqlmodel import Session, select, update

import cabinet.sandbox.models
from cabinet.clock import utc_now
from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.gateways import yookassa as yookassa_gateway
from cabinet.models import (
    MeterReading,
    Payment,
    PaymentFailure,
    PaymentPurpose,
    PaymentStatus,
    Provider,
    ProviderAccount,
    ReadingSource,
    User,
)
from cabinet.services import payments
from cabinet.services.calendar import local_date
from cabinet.services.readings import ReadingEntry
from tests.factories import make_user
from tests.paying import checkout, count, fault, request_of, resident_with_debt, stored_payment
from tests.recording_hop import recording_hop


@pytest.fixture
def resident(engine, stand_in):
    return resident_with_debt(engine)


# --- creating ---------------------------------------------------------------------------------------------


def test_pay_writes_the_row_then_creates_the_gateway_payment(engine, resident):
    payment = payments.pay(request_of(resident))
    assert payment.status == PaymentStatus.pending and payment.gateway_payment_id
    assert "/sandbox/yookassa/checkout/" in payment.confirmation_url
    at_gateway = yookassa_gateway.get_payment(payment.gateway_payment_id)
    assert at_gateway.amount_kopecks == 250_000 == payment.amount_kopecks
    assert at_gateway.metadata["payment_id"] == str(payment.id)
    assert "Энергосбыт" in payment.description


def test_double_click_with_one_form_key_makes_one_payment(engine, resident):
    first = payments.pay(request_of(resident, request_key="form-1"))
    second = payments.pay(request_of(resident, request_key="form-1"))
    assert first.id == second.id and first.gateway_payment_id == second.gateway_payment_id
    assert count(engine, Payment) == 1


def test_gateway_500_marks_failed_and_retry_uses_the_same_key(engine, resident, stand_in):
    fault(stand_in, status=500, count=1)
    failed = payments.pay(request_of(resident))
    assert failed.status == PaymentStatus.failed and failed.failure_code == PaymentFailure.unavailable
    assert "недоступен" in payments.failure_text(failed.failure_code)
    retried = payments.retry_payment(user_id=resident["user"], payment_id=failed.id)
    assert retried.status == PaymentStatus.pending and retried.gateway_payment_id
    assert count(engine, cabinet.sandbox.models.SandboxYookassaPayment) == 1


def test_gateway_timeout_marks_failed_and_retry_finds_the_same_gateway_payment(engine, resident, stand_in, monkeypatch):
    monkeypatch.setattr(yookassa_gateway, "CALL_TIMEOUT_SECONDS", 1)
    fault(stand_in, delay_seconds=2.5, count=1)
    failed = payments.pay(request_of(resident))
    assert failed.status == PaymentStatus.failed and failed.failure_code == PaymentFailure.timeout
    assert "не ответил" in payments.failure_text(failed.failure_code)
    threading.Event().wait(2.5)  # the slow create finishes at the stand-in meanwhile
    retried = payments.retry_payment(user_id=resident["user"], payment_id=failed.id)
    assert retried.status == PaymentStatus.pending
    assert count(engine, cabinet.sandbox.models.SandboxYookassaPayment) == 1


# --- amounts, readings, access -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "payment_amount_required"),
        ("0,99", "payment_amount_range"),
        ("abc", "amount_format"),
        ("500001", "payment_amount_range"),
    ],
)
def test_own_amount_rules(resident, text, code):
    with pytest.raises(DomainError) as raised:
        payments.pay(request_of(resident, purpose=PaymentPurpose.custom_amount, amount_text=text))
    assert (raised.value.code, raised.value.field) == (code, payments.AMOUNT_FIELD)


@pytest.mark.parametrize(("text", "code"), [("", "payment_amount_required"), ("1000000", "payment_amount_range")])
def test_the_pay_pages_total_uses_the_same_amount_rule(text, code):
    """Regression (#14): the page's «Итого к оплате» showed an amount the payment then refused."""
    assert payments.own_amount("500,50") == 50_050
    with pytest.raises(DomainError) as raised:
        payments.own_amount(text)
    assert raised.value.code == code and raised.value.field == payments.AMOUNT_FIELD


def test_own_amount_with_comma(engine, resident):
    payment = payments.pay(request_of(resident, purpose=PaymentPurpose.custom_amount, amount_text="1 500,5"))
    assert payment.amount_kopecks == 150_050


def test_nothing_owed_refuses_paying_the_debt(engine, resident):
    with Session(engine) as session:
        account = session.get(ProviderAccount, resident["account"])
        account.debt_kopecks = -1_000
        session.add(account)
        session.commit()
    with pytest.raises(DomainError) as raised:
        payments.pay(request_of(resident))
    assert (raised.value.code, raised.value.field) == ("payment_nothing_owed", payments.AMOUNT_FIELD)


def test_readings_given_with_a_payment_stay_when_it_is_canceled(engine, resident, stand_in):
    payment = payments.pay(request_of(resident, readings=(ReadingEntry(resident["meter"], "120,5"),)))
    checkout(payment, "cancel")
    with Session(engine) as session:
        reading = session.exec(select(MeterReading)).one()
    assert (reading.value_thousandths, reading.source) == (120_500, ReadingSource.payment_form)


def test_another_residents_account_and_payment_are_not_found(engine, resident):
    payment = payments.pay(request_of(resident))
    with Session(engine, expire_on_commit=False) as session:
        stranger = make_user(session)
        session.commit()
    with pytest.raises(DomainError, match="not_found"):
        payments.pay(request_of(resident, user_id=stranger.id))
    with pytest.raises(DomainError, match="not_found"):
        payments.retry_payment(user_id=stranger.id, payment_id=payment.id)
    with Session(engine) as session, pytest.raises(DomainError, match="not_found"):
        payments.payment_of(session, user_id=stranger.id, payment_id=payment.id)


# --- what is sent to YooKassa ----------------------------------------------------------------------------------


def test_the_create_request_carries_return_url_capture_metadata_and_a_54fz_receipt(engine, resident, stand_in):
    with Session(engine) as session:
        email = session.get(User, resident["user"]).email
    with recording_hop(stand_in) as seen:
        payment = payments.pay(request_of(resident))
    public_url = get_settings().public_url
    assert public_url == stand_in
    return_url = f"{public_url}/payments/{payment.id}"
    ours = {
        "payment_id": str(payment.id),
        "user_id": str(resident["user"]),
        "parts": f"{resident['account']}:{payment.amount_kopecks}",
    }

    (sent,) = [request for request in seen if request["method"] == "POST"]
    assert sent["path"] == "/sandbox/yookassa/v3/payments"
    assert sent["idempotence_key"] == payment.idempotency_key
    body = sent["json"]
    assert body["amount"] == {"value": "2500.00", "currency": "RUB"}
    assert body["capture"] is True
    assert body["confirmation"] == {"type": "redirect", "return_url": return_url}
    assert ours.items() <= body["metadata"].items()  # the SDK adds its own «cms_name»
    assert "Энергосбыт" in body["description"] and len(body["description"]) <= 128
    receipt = body["receipt"]
    assert receipt["customer"] == {"email": email}
    (item,) = receipt["items"]
    assert item["amount"] == body["amount"] and float(item["quantity"]) == 1
    assert "Энергосбыт" in item["description"] and "vat_code" in item

    # And what the stand-in kept of it, as YooKassa would.
    with Session(engine) as session:
        stored = json.loads(session.get(cabinet.sandbox.models.SandboxYookassaPayment, payment.gateway_payment_id).body)
    assert stored["confirmation"]["return_url"] == return_url
    assert stored["_capture"] is True
    assert ours.items() <= stored["metadata"].items()
    assert stored["receipt_registration"] == "pending"  # a receipt came with the payment and passed its checks


# --- the pay form's entries ------------------------------------------------------------------------------------


def test_start_payment_sends_the_browser_to_the_checkout_and_a_retry_back_to_it(engine, resident, stand_in):
    started = payments.start_payment(
        user_id=resident["user"], account_id=resident["account"], pay_debt=True, request_key="form-9"
    )
    assert started.checkout_url == stored_payment(engine, started.payment_id).confirmation_url != ""

    fault(stand_in, status=500, count=1)
    failed = payments.start_payment(
        user_id=resident["user"], account_id=resident["account"], pay_debt=False, amount_text="700"
    )
    assert failed.checkout_url == ""  # the payment's own page says it failed
    view = payments.retry_checkout(user_id=resident["user"], payment_id=failed.payment_id)
    assert (view.status, view.can_retry) == ("pending", False)
    assert view.confirmation_url == stored_payment(engine, failed.payment_id).confirmation_url != ""


def test_readings_refused_as_a_whole_are_shown_with_the_readings(engine, resident):
    with Session(engine) as session:
        provider = session.get(ProviderAccount, resident["account"]).provider_id
        closed_on = 1 if local_date(utc_now()).day != 1 else 2  # a window of one day that is not today
        session.exec(
            update(Provider)
            .where(Provider.id == provider)
            .values(reading_window_start_day=closed_on, reading_window_end_day=closed_on)
        )
        session.commit()
    with pytest.raises(DomainError) as raised:
        payments.start_payment(
            user_id=resident["user"],
            account_id=resident["account"],
            pay_debt=True,
            readings=(ReadingEntry(resident["meter"], "120,5"),),
        )
    assert (raised.value.code, raised.value.field) == ("reading_window_closed", payments.READINGS_FIELD)
    assert count(engine, Payment) == 0
