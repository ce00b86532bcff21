"""Refunds through the real SDK against the stand-in: whole and partial, keys, limits under concurrency, outcomes."""

from __future__ import annotations

import concurrent.futures
import json

import httpx
import pytest
from sqlmodel import Session, select

from cabinet.gateways import GatewayError
from cabinet.gateways import yookassa as gateway
from cabinet.gateways.payment_gateway import GatewayPayment, GatewayTransfer, ReceiptItem
from cabinet.models import PaymentNotification
from cabinet.sandbox.models import SandboxYookassaRefund
from tests.stand_ins import serve_stand_ins

UNKNOWN_PAYMENT = "2f0b0d1e-000f-5000-9000-1b2c3d4e5f60"


@pytest.fixture
def stand_in(engine):
    # With our webhook: the stand-in's refund notifications are delivered and logged there.
    with serve_stand_ins(engine, with_webhook=True) as base_url:
        yield base_url


def _fault(stand_in: str, **fault) -> None:
    httpx.post(f"{stand_in}/sandbox/_faults", json={"service": "yookassa", **fault}, timeout=5).raise_for_status()


def _paid(kopecks: int = 100_000, *, key: str = "pay-1", transfers=(), pay: bool = True) -> GatewayPayment:
    """A payment of `kopecks` paid at the stand-in's checkout (or left pending)."""
    created = gateway.create_payment(
        amount_kopecks=kopecks,
        description="Оплата услуг",
        return_url="http://localhost/payments/1",
        idempotency_key=key,
        metadata={"payment_id": "1"},
        receipt_email="anna@example.com",
        receipt_items=[ReceiptItem("Услуги", kopecks, supplier_name="АО «Энергосбыт»", supplier_inn="6609012349")],
        transfers=transfers,
    )
    if pay:
        httpx.post(f"{created.confirmation_url}/pay", timeout=10)
    return created


def _refund(payment_id: str, kopecks: int, key: str = "refund-1", *, sources=(), receipt: bool = True):
    return gateway.create_refund(
        gateway_payment_id=payment_id,
        amount_kopecks=kopecks,
        idempotency_key=key,
        description="Возврат переплаты",
        receipt_email="anna@example.com",
        receipt_items=[ReceiptItem("Возврат: услуги", kopecks, "АО «Энергосбыт»", "6609012349")] if receipt else [],
        sources=sources,
    )


def _rejected(call, *args, **kwargs) -> str:
    with pytest.raises(GatewayError) as raised:
        call(*args, **kwargs)
    return raised.value.kind


def _refund_rows(engine) -> list[SandboxYookassaRefund]:
    with Session(engine) as session:
        return list(session.exec(select(SandboxYookassaRefund)).all())


def test_a_whole_refund_succeeds_at_once_and_the_payment_says_so(stand_in):
    payment = _paid()
    refund = _refund(payment.id, 100_000)
    assert (refund.payment_id, refund.status, refund.amount_kopecks) == (payment.id, "succeeded", 100_000)
    assert refund.created_at is not None and refund.created_at.tzinfo is not None
    assert refund.id.count("-") == 4 and len(refund.id) == 36 and refund.id != payment.id
    assert gateway.get_refund(refund.id) == refund
    assert gateway.get_payment(payment.id).refunded_kopecks == 100_000
    assert _rejected(_refund, payment.id, 1, "refund-2") == "rejected"


def test_partial_refunds_add_up_to_the_payment_and_no_further(stand_in):
    payment = _paid(10_000)
    assert _refund(payment.id, 2_500, "a").status == "succeeded"
    assert _refund(payment.id, 7_000, "b", receipt=False).status == "succeeded"
    assert gateway.get_payment(payment.id).refunded_kopecks == 9_500
    assert _rejected(_refund, payment.id, 501, "c") == "rejected"
    assert _refund(payment.id, 500, "d").amount_kopecks == 500
    assert gateway.get_payment(payment.id).refunded_kopecks == 10_000


def test_the_same_key_twice_is_one_refund(stand_in, engine):
    payment = _paid()
    first, again = _refund(payment.id, 30_000, "same"), _refund(payment.id, 30_000, "same")
    assert first == again
    assert [row.id for row in _refund_rows(engine)] == [first.id]
    assert gateway.get_payment(payment.id).refunded_kopecks == 30_000


def test_more_than_the_payment_is_rejected(stand_in, engine):
    payment = _paid(10_000)
    assert _rejected(_refund, payment.id, 10_001) == "rejected"
    assert _refund_rows(engine) == []


def test_a_payment_not_paid_yet_or_unknown_cannot_be_refunded(stand_in, engine):
    pending = _paid(key="pending", pay=False)
    assert _rejected(_refund, pending.id, 1_000) == "rejected"
    canceled = _paid(key="canceled", pay=False)
    httpx.post(f"{canceled.confirmation_url}/cancel", timeout=10)
    assert _rejected(_refund, canceled.id, 1_000, "r2") == "rejected"
    assert _rejected(_refund, UNKNOWN_PAYMENT, 1_000, "r3") == "rejected"
    # The SDK itself refuses an id that cannot be YooKassa's: our mistake, not the gateway's outage.
    assert _rejected(_refund, "12345", 1_000, "r4") == "rejected"
    assert _refund_rows(engine) == []


def test_refunds_asked_for_at_once_never_exceed_the_payment(stand_in, engine):
    """Regression guard for the stand-in's lock: 20 refunds of 10 % + 1 kopeck, at once; only 9 fit."""
    payment = _paid(100_000)

    def attempt(number: int) -> str:
        try:
            return _refund(payment.id, 10_001, f"at-once-{number}").status
        except GatewayError as error:
            return error.kind

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(attempt, range(20)))
    assert sorted(set(outcomes)) == ["rejected", "succeeded"]
    assert outcomes.count("succeeded") == 9
    assert sum(json.loads(row.body)["amount"]["value"] == "100.01" for row in _refund_rows(engine)) == 9
    assert gateway.get_payment(payment.id).refunded_kopecks == 90_009


def _settle(stand_in: str, refund_id: str, action: str) -> httpx.Response:
    return httpx.post(f"{stand_in}/sandbox/yookassa/_refunds/{refund_id}/{action}", timeout=10)


def test_a_pending_refund_is_settled_by_the_control_and_read_back(stand_in):
    payment = _paid(10_000)
    _fault(stand_in, refund_status="pending")
    refund = _refund(payment.id, 6_000)
    assert refund.status == "pending" and gateway.get_refund(refund.id).status == "pending"
    # A pending refund holds its money: nothing more than what is left of the payment.
    assert _rejected(_refund, payment.id, 4_001, "second") == "rejected"
    assert gateway.get_payment(payment.id).refunded_kopecks == 0
    settled = _settle(stand_in, refund.id, "succeed")
    assert settled.status_code == 200 and settled.json()["status"] == "succeeded"
    assert gateway.get_refund(refund.id).status == "succeeded"
    assert gateway.get_payment(payment.id).refunded_kopecks == 6_000
    again = _settle(stand_in, refund.id, "cancel")
    assert (again.status_code, again.json()["status"]) == (409, "succeeded")
    assert _settle(stand_in, "2f0b0d1e-0016-5000-8000-1b2c3d4e5f61", "succeed").status_code == 404
    assert _settle(stand_in, refund.id, "refund").status_code == 404


def test_a_canceled_refund_gives_nothing_back_and_holds_nothing(stand_in):
    payment = _paid(10_000)
    _fault(stand_in, refund_status="canceled")
    refund = _refund(payment.id, 10_000)
    assert (refund.status, refund.cancellation_party, refund.cancellation_reason) == (
        "canceled",
        "yoo_money",
        "rejected_by_payee",
    )
    assert gateway.get_payment(payment.id).refunded_kopecks == 0
    pending = _refund(payment.id, 3_000, "pending-then-canceled")
    httpx.delete(f"{stand_in}/sandbox/_faults", timeout=5).raise_for_status()
    _fault(stand_in, refund_status="pending")
    held = _refund(payment.id, 3_000, "held")
    assert (pending.status, held.status) == ("canceled", "pending")
    assert _settle(stand_in, held.id, "cancel").json()["cancellation_details"]["reason"] == "rejected_by_payee"
    httpx.delete(f"{stand_in}/sandbox/_faults", timeout=5).raise_for_status()
    assert _refund(payment.id, 10_000, "whole").status == "succeeded"


def test_sources_take_at_most_each_shops_transfer(stand_in, engine):
    payment = _paid(100_000, transfers=[GatewayTransfer("1001", 60_000), GatewayTransfer("1002", 40_000)])
    assert _rejected(_refund, payment.id, 60_001, "over", sources=[GatewayTransfer("1001", 60_001)]) == "rejected"
    assert _rejected(_refund, payment.id, 1_000, "stranger", sources=[GatewayTransfer("1003", 1_000)]) == "rejected"
    assert _refund(payment.id, 50_000, "first", sources=[GatewayTransfer("1001", 50_000)]).status == "succeeded"
    assert _rejected(_refund, payment.id, 10_001, "rest", sources=[GatewayTransfer("1001", 10_001)]) == "rejected"
    assert _refund(payment.id, 10_000, "rest-exactly", sources=[GatewayTransfer("1001", 10_000)]).status == "succeeded"
    (row,) = [row for row in _refund_rows(engine) if row.idempotence_key == "first"]
    assert json.loads(row.body)["sources"] == [{"account_id": "1001", "amount": {"value": "500.00", "currency": "RUB"}}]


def test_a_settled_refund_is_notified_as_yookassa_does(stand_in, engine):
    payment = _paid(10_000)
    refund = _refund(payment.id, 1_000)
    _fault(stand_in, refund_status="pending")
    pending = _refund(payment.id, 1_000, "pending")
    _settle(stand_in, pending.id, "cancel")
    _fault(stand_in, refund_status="pending", drop_notifications=True)
    dropped = _refund(payment.id, 1_000, "dropped")
    _settle(stand_in, dropped.id, "succeed")
    with Session(engine) as session:
        bodies = [json.loads(row.body) for row in session.exec(select(PaymentNotification)).all()]
    refunds = [(body["event"], body["object"]["id"]) for body in bodies if body["event"].startswith("refund.")]
    assert refunds == [("refund.succeeded", refund.id), ("refund.canceled", pending.id)]
    parsed = gateway.parse_notification(next(body for body in bodies if body["object"]["id"] == pending.id))
    assert (parsed.payment_id, parsed.refund_id) == (payment.id, pending.id)


def test_refund_calls_fail_as_payment_calls_do(stand_in, monkeypatch):
    payment = _paid()
    refund = _refund(payment.id, 1_000)
    _fault(stand_in, status=500, count=2)
    assert _rejected(_refund, payment.id, 1_000, "during-outage") == "unavailable"
    assert _rejected(gateway.get_refund, refund.id) == "unavailable"
    assert _rejected(gateway.get_refund, "2f0b0d1e-0016-5000-8000-1b2c3d4e5f61") == "not_found"
    monkeypatch.setattr(gateway, "CALL_TIMEOUT_SECONDS", 0.5)
    _fault(stand_in, delay_seconds=1.5, count=1)
    assert _rejected(_refund, payment.id, 1_000, "slow") == "timeout"


def test_the_refund_switch_takes_only_known_outcomes(stand_in):
    answer = httpx.post(f"{stand_in}/sandbox/_faults", json={"service": "yookassa", "refund_status": "lost"}, timeout=5)
    assert answer.status_code == 400
