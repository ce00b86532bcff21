"""Payments with the real YooKassa SDK against the local stand-in: create, pay, cancel, failures,
duplicate / reordered / concurrent / forged notifications, reconciliation, amounts and access."""

from __future__ import annotations

import datetime as dt
import json
import threading

import httpx
import pytest
from sqlmodel import Session, func, select

import cabinet.sandbox.models  # noqa: F401  (the stand-in's tables)
from cabinet.gateways import yookassa as yookassa_gateway
from cabinet.models import (
    AccountLink,
    LedgerEntry,
    MeterReading,
    OutgoingEmail,
    Payment,
    PaymentNotification,
    PaymentPurpose,
    PaymentStatus,
    ReadingSource,
)
from cabinet.sandbox import faults
from cabinet.services import payments
from cabinet.services.dashboard import balance_of
from cabinet.services.errors import DomainError
from cabinet.services.readings import ReadingEntry
from tests.factories import make_account, make_meter, make_provider, make_user
from tests.stand_ins import serve_stand_ins


@pytest.fixture
def stand_in(engine):
    with serve_stand_ins(engine, with_webhook=True) as base_url:
        yield base_url


@pytest.fixture
def resident(engine, stand_in):
    with Session(engine, expire_on_commit=False) as session:
        provider = make_provider(session, name="АО «Энергосбыт»", reading_window_start_day=1, reading_window_end_day=31)
        account = make_account(session, provider, debt_kopecks=250_000, balance_as_of=dt.date(2026, 1, 1))
        meter = make_meter(session, account, digits_whole=6, digits_fraction=1)
        user = make_user(session)
        session.add(AccountLink(user_id=user.id, account_id=account.id))
        session.commit()
        return {"user": user.id, "account": account.id, "meter": meter.id}


def _request(resident, **changes) -> payments.PaymentRequest:
    values = dict(user_id=resident["user"], account_id=resident["account"], purpose=PaymentPurpose.debt)
    values.update(changes)
    return payments.PaymentRequest(**values)


def _checkout(stand_in: str, payment: Payment, action: str, reason: str = "") -> None:
    url = payment.confirmation_url.replace("/sandbox/yookassa/checkout/", "/sandbox/yookassa/checkout/") + f"/{action}"
    httpx.post(url, data={"reason": reason} if reason else {}, follow_redirects=False, timeout=10)


def _fault(stand_in: str, **fault) -> None:
    httpx.post(f"{stand_in}/sandbox/_faults", json={"service": "yookassa", **fault}, timeout=5).raise_for_status()


def _count(engine, model, *where) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def _payment(engine, payment_id: int) -> Payment:
    with Session(engine, expire_on_commit=False) as session:
        return session.get(Payment, payment_id)


def _notification(payment: Payment, event: str = "payment.succeeded", status: str = "succeeded") -> str:
    return json.dumps({"type": "notification", "event": event, "object": {
        "id": payment.gateway_payment_id, "status": status, "paid": status == "succeeded",
        "amount": {"value": "2500.00", "currency": "RUB"}, "created_at": "2026-11-25T09:00:00.000Z",
        "recipient": {"account_id": "sandbox", "gateway_id": "1"}, "refundable": False, "test": True,
        "metadata": {}}})


# --- creating ---------------------------------------------------------------------------------------------


def test_pay_writes_the_row_then_creates_the_gateway_payment(engine, resident):
    payment = payments.pay(_request(resident))
    assert payment.status == PaymentStatus.pending and payment.gateway_payment_id
    assert "/sandbox/yookassa/checkout/" in payment.confirmation_url
    at_gateway = yookassa_gateway.get_payment(payment.gateway_payment_id)
    assert at_gateway.amount_kopecks == 250_000 == payment.amount_kopecks
    assert at_gateway.metadata["payment_id"] == str(payment.id)
    assert "Энергосбыт" in payment.description


def test_double_click_with_one_form_key_makes_one_payment(engine, resident):
    first = payments.pay(_request(resident, request_key="form-1"))
    second = payments.pay(_request(resident, request_key="form-1"))
    assert first.id == second.id and first.gateway_payment_id == second.gateway_payment_id
    assert _count(engine, Payment) == 1


def test_gateway_500_marks_failed_and_retry_uses_the_same_key(engine, resident, stand_in):
    _fault(stand_in, status=500, count=1)
    failed = payments.pay(_request(resident))
    assert failed.status == PaymentStatus.failed and "недоступен" in failed.failure_message
    retried = payments.retry_payment(user_id=resident["user"], payment_id=failed.id)
    assert retried.status == PaymentStatus.pending and retried.gateway_payment_id
    assert _count(engine, cabinet.sandbox.models.SandboxYookassaPayment) == 1


def test_gateway_timeout_marks_failed_and_retry_finds_the_same_gateway_payment(engine, resident, stand_in, monkeypatch):
    monkeypatch.setattr(yookassa_gateway, "CALL_TIMEOUT_SECONDS", 1)
    _fault(stand_in, delay_seconds=2.5, count=1)
    failed = payments.pay(_request(resident))
    assert failed.status == PaymentStatus.failed and "не ответил" in failed.failure_message
    threading.Event().wait(2.5)  # the slow create finishes at the stand-in meanwhile
    retried = payments.retry_payment(user_id=resident["user"], payment_id=failed.id)
    assert retried.status == PaymentStatus.pending
    assert _count(engine, cabinet.sandbox.models.SandboxYookassaPayment) == 1


# --- outcomes ---------------------------------------------------------------------------------------------


def test_paying_at_checkout_credits_once_and_lowers_the_amount_to_pay(engine, resident, stand_in):
    payment = payments.pay(_request(resident))
    _checkout(stand_in, payment, "pay")
    paid = _payment(engine, payment.id)
    assert paid.status == PaymentStatus.succeeded and paid.paid_at is not None
    assert _count(engine, LedgerEntry) == 1
    with Session(engine) as session:
        account = session.get(payments.ProviderAccount, resident["account"])
        assert balance_of(session, account).to_pay_kopecks == 0
        letter = session.exec(select(OutgoingEmail)).one()
        assert "2\u00a0500,00\u00a0₽" in letter.subject


def test_cancel_at_checkout_keeps_the_reason_and_credits_nothing(engine, resident, stand_in):
    payment = payments.pay(_request(resident))
    _checkout(stand_in, payment, "cancel", reason="insufficient_funds")
    canceled = _payment(engine, payment.id)
    assert (canceled.status, canceled.cancellation_reason) == (PaymentStatus.canceled, "insufficient_funds")
    assert _count(engine, LedgerEntry) == 0


def test_duplicate_notifications_credit_once(engine, resident, stand_in):
    payment = payments.pay(_request(resident))
    _checkout(stand_in, payment, "pay")
    body = _notification(payment)
    for _ in range(10):
        assert httpx.post(f"{stand_in}/api/yookassa/webhook", content=body, timeout=10).status_code == 200
    assert _count(engine, LedgerEntry) == 1
    assert _count(engine, PaymentNotification) == 11


def test_a_late_stale_notification_never_moves_a_payment_back(engine, resident, stand_in):
    payment = payments.pay(_request(resident))
    _checkout(stand_in, payment, "pay")
    stale = _notification(payment, event="payment.waiting_for_capture", status="waiting_for_capture")
    assert httpx.post(f"{stand_in}/api/yookassa/webhook", content=stale, timeout=10).status_code == 200
    applied = payments.apply_gateway_state(
        payment_id=payment.id,
        gateway_payment=yookassa_gateway.GatewayPayment(payment.gateway_payment_id, "canceled", 250_000, False))
    assert not applied.changed
    assert _payment(engine, payment.id).status == PaymentStatus.succeeded
    assert _count(engine, LedgerEntry) == 1


def test_concurrent_deliveries_of_one_event_credit_once(engine, resident, stand_in):
    _fault(stand_in, drop_notifications=True, count=0)
    payment = payments.pay(_request(resident))
    _checkout(stand_in, payment, "pay")
    assert _payment(engine, payment.id).status == PaymentStatus.pending
    body = _notification(payment)
    start = threading.Barrier(4)
    results = []

    def deliver():
        start.wait()
        results.append(payments.handle_notification(body, source_address="127.0.0.1").http_status)

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == [200] * 4
    assert _count(engine, LedgerEntry) == 1
    assert _payment(engine, payment.id).status == PaymentStatus.succeeded


def test_forged_success_for_a_pending_payment_credits_nothing(engine, resident, stand_in):
    payment = payments.pay(_request(resident))
    response = httpx.post(f"{stand_in}/api/yookassa/webhook", content=_notification(payment), timeout=10)
    assert response.status_code == 200
    assert _payment(engine, payment.id).status == PaymentStatus.pending
    assert _count(engine, LedgerEntry) == 0


@pytest.mark.parametrize("body", ["not json", "[]", '{"type": "notification"}', '{"event": 5, "object": {}}',
                                  '{"type": "notification", "event": "payment.succeeded", "object": {"id": 7}}'])
def test_malformed_bodies_get_400_without_a_traceback(stand_in, body):
    response = httpx.post(f"{stand_in}/api/yookassa/webhook", content=body, timeout=10)
    assert response.status_code == 400
    assert "Traceback" not in response.text


def test_unknown_payment_gets_404(stand_in):
    body = json.dumps({"type": "notification", "event": "payment.succeeded", "object": {
        "id": "2f0b0d1e-000f-5000-9000-1b2c3d4e5f60", "status": "succeeded", "paid": True,
        "amount": {"value": "1.00", "currency": "RUB"}, "created_at": "2026-11-25T09:00:00.000Z",
        "recipient": {"account_id": "1", "gateway_id": "1"}, "refundable": False, "test": True}})
    assert httpx.post(f"{stand_in}/api/yookassa/webhook", content=body, timeout=10).status_code == 404


def test_webhook_refuses_addresses_outside_the_allowlist():
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from cabinet.api.payments import payment_routes
    from cabinet.config import load_settings

    settings = load_settings(yookassa_shop_id="1", yookassa_secret_key="live_x")
    client = TestClient(Starlette(routes=payment_routes(settings)), client=("127.0.0.1", 5000))
    assert client.post("/api/yookassa/webhook", content="{}").status_code == 403
    from cabinet.api.payments import allowed_networks, source_allowed

    assert source_allowed("185.71.76.5", allowed_networks(settings))
    assert source_allowed("::ffff:77.75.156.11", allowed_networks(settings))
    assert not source_allowed("185.71.76.40", allowed_networks(settings))


def test_reconciliation_finds_a_payment_whose_notification_was_lost(engine, resident, stand_in):
    _fault(stand_in, drop_notifications=True, count=0)
    payment = payments.pay(_request(resident))
    _checkout(stand_in, payment, "pay")
    assert _payment(engine, payment.id).status == PaymentStatus.pending
    assert payments.reconcile(older_than=dt.timedelta(minutes=10)).checked == 0  # too fresh yet
    report = payments.reconcile(older_than=dt.timedelta(0))
    assert (report.checked, report.changed, report.errors) == (1, 1, 0)
    assert _payment(engine, payment.id).status == PaymentStatus.succeeded
    assert payments.reconcile(older_than=dt.timedelta(0)).checked == 0
    assert _count(engine, LedgerEntry) == 1


# --- amounts, readings, access -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "code"), [("", "payment_amount_required"), ("0,99", "payment_amount_range"),
                                            ("abc", "amount_format"), ("500001", "payment_amount_range")])
def test_own_amount_rules(resident, text, code):
    with pytest.raises(DomainError) as raised:
        payments.pay(_request(resident, purpose=PaymentPurpose.custom_amount, amount_text=text))
    assert raised.value.code == code


def test_own_amount_with_comma(engine, resident):
    payment = payments.pay(_request(resident, purpose=PaymentPurpose.custom_amount, amount_text="1 500,5"))
    assert payment.amount_kopecks == 150_050


def test_nothing_owed_refuses_paying_the_debt(engine, resident):
    with Session(engine) as session:
        account = session.get(payments.ProviderAccount, resident["account"])
        account.debt_kopecks = -1_000
        session.add(account)
        session.commit()
    with pytest.raises(DomainError) as raised:
        payments.pay(_request(resident))
    assert raised.value.code == "payment_nothing_owed"


def test_readings_given_with_a_payment_stay_when_it_is_canceled(engine, resident, stand_in):
    payment = payments.pay(_request(resident, readings=(ReadingEntry(resident["meter"], "120,5"),)))
    _checkout(stand_in, payment, "cancel")
    with Session(engine) as session:
        reading = session.exec(select(MeterReading)).one()
    assert (reading.value_thousandths, reading.source) == (120_500, ReadingSource.payment_form)


def test_another_residents_account_and_payment_are_not_found(engine, resident):
    payment = payments.pay(_request(resident))
    with Session(engine, expire_on_commit=False) as session:
        stranger = make_user(session)
        session.commit()
    with pytest.raises(DomainError, match="not_found"):
        payments.pay(_request(resident, user_id=stranger.id))
    with pytest.raises(DomainError, match="not_found"):
        payments.retry_payment(user_id=stranger.id, payment_id=payment.id)
    with Session(engine) as session, pytest.raises(DomainError, match="not_found"):
        payments.payment_of(session, user_id=stranger.id, payment_id=payment.id)
