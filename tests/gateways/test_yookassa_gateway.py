"""The YooKassa gateway through the real SDK against the stand-in: amounts, keys, every failure kind."""

from __future__ import annotations

import httpx
import pytest

import cabinet.sandbox.models  # noqa: F401  (the stand-in's tables)
from cabinet.gateways import GatewayError
from cabinet.gateways import yookassa as gateway
from cabinet.gateways.payment_gateway import GatewayNotification, GatewayTransfer, ReceiptItem
from tests.stand_ins import free_port, serve_stand_ins


@pytest.fixture
def stand_in(engine):
    with serve_stand_ins(engine) as base_url:
        yield base_url


def _create(key: str = "key-1", kopecks: int = 123_456):
    return gateway.create_payment(
        amount_kopecks=kopecks,
        description="Оплата услуг",
        return_url="http://localhost/payments/1",
        idempotency_key=key,
        metadata={"payment_id": "1"},
        receipt_email="anna@example.com",
        receipt_items=[ReceiptItem("Услуги водоснабжения", kopecks)],
    )


def _fault(stand_in: str, **fault) -> None:
    httpx.post(f"{stand_in}/sandbox/_faults", json={"service": "yookassa", **fault}, timeout=5).raise_for_status()


def test_create_and_read_back_in_kopecks(stand_in):
    created = _create()
    assert (created.status, created.amount_kopecks, created.paid) == ("pending", 123_456, False)
    assert created.confirmation_url.startswith(f"{stand_in}/sandbox/yookassa/checkout/")
    again = gateway.get_payment(created.id)
    assert (again.id, again.amount_kopecks, again.metadata["payment_id"]) == (created.id, 123_456, "1")


def test_the_same_key_is_the_same_payment(stand_in):
    assert _create("same").id == _create("same").id != _create("other").id


@pytest.mark.parametrize(
    ("status", "kind"),
    [(500, "unavailable"), (503, "unavailable"), (429, "unavailable"), (400, "rejected"), (403, "rejected")],
)
def test_http_failures_are_classified(stand_in, status, kind):
    _fault(stand_in, status=status, count=1)
    with pytest.raises(GatewayError) as raised:
        _create()
    assert raised.value.kind == kind


def test_unknown_payment_is_not_found(stand_in):
    with pytest.raises(GatewayError) as raised:
        gateway.get_payment("2f0b0d1e-000f-5000-9000-1b2c3d4e5f60")
    assert raised.value.kind == "not_found"


def test_a_slow_answer_is_a_timeout(stand_in, monkeypatch):
    monkeypatch.setattr(gateway, "CALL_TIMEOUT_SECONDS", 0.5)
    _fault(stand_in, delay_seconds=1.5, count=1)
    with pytest.raises(GatewayError) as raised:
        _create()
    assert raised.value.kind == "timeout"


def test_nobody_listening_is_unavailable(engine, monkeypatch):
    monkeypatch.setenv("YOOKASSA_API_URL", f"http://127.0.0.1:{free_port()}/v3")
    from cabinet.config import get_settings

    get_settings.cache_clear()
    try:
        with pytest.raises(GatewayError) as raised:
            _create()
        assert raised.value.kind == "unavailable"
    finally:
        monkeypatch.delenv("YOOKASSA_API_URL")
        get_settings.cache_clear()


def test_cancel_at_checkout_reads_back_with_its_reason(stand_in):
    created = _create()
    httpx.post(f"{created.confirmation_url}/cancel", data={"reason": "card_expired"}, timeout=10)
    canceled = gateway.get_payment(created.id)
    assert (canceled.status, canceled.cancellation_reason) == ("canceled", "card_expired")


def test_parse_notification_takes_a_real_body_and_refuses_others():
    body = {
        "type": "notification",
        "event": "payment.succeeded",
        "object": {
            "id": "2f0b0d1e-000f-5000-9000-1b2c3d4e5f60",
            "status": "succeeded",
            "paid": True,
            "amount": {"value": "10.00", "currency": "RUB"},
            "created_at": "2026-11-25T09:00:00.000Z",
            "recipient": {"account_id": "1", "gateway_id": "1"},
            "refundable": True,
            "test": True,
        },
    }
    parsed = gateway.parse_notification(body)
    assert (parsed.event, parsed.payment_id) == ("payment.succeeded", "2f0b0d1e-000f-5000-9000-1b2c3d4e5f60")
    for bad in ([], {"type": "notification"}, {**body, "event": "refund.made"}, {**body, "object": {"id": 5}}):
        with pytest.raises(ValueError):
            gateway.parse_notification(bad)


def test_yookassa_is_the_payment_gateway_the_services_use():
    from cabinet.gateways.payment_gateway import PaymentGateway
    from cabinet.services.payments import default_gateway

    assert isinstance(gateway.YooKassaGateway(), PaymentGateway)
    assert isinstance(default_gateway(), gateway.YooKassaGateway)


SPLIT_ITEMS = [
    ReceiptItem("Электроэнергия, л/с 100-200", 60_000, supplier_name="АО «Энергосбыт»", supplier_inn="6609012349"),
    ReceiptItem("Водоснабжение, л/с 300-400", 63_456, supplier_name="МУП «Водоканал»", supplier_inn="660902345312"),
]
SPLIT = [GatewayTransfer("1001", 60_000), GatewayTransfer("1002", 63_456)]


def _create_split(key: str = "split-1", items=SPLIT_ITEMS, transfers=SPLIT):
    return gateway.create_payment(
        amount_kopecks=123_456,
        description="Оплата услуг двух поставщиков",
        return_url="http://localhost/payments/2",
        idempotency_key=key,
        metadata={"payment_id": "2"},
        receipt_email="anna@example.com",
        receipt_items=items,
        transfers=transfers,
    )


def _api_view(stand_in: str, payment_id: str) -> dict:
    """The payment as the stand-in's API shows it, with what our GatewayPayment does not carry."""
    response = httpx.get(f"{stand_in}/sandbox/yookassa/v3/payments/{payment_id}", auth=("sandbox", "s"), timeout=5)
    response.raise_for_status()
    return response.json()


def test_a_split_payment_keeps_its_transfers_with_the_payments_status(stand_in):
    created = _create_split()
    assert (created.status, created.amount_kopecks, created.refunded_kopecks) == ("pending", 123_456, 0)
    assert _api_view(stand_in, created.id)["transfers"] == [
        {"account_id": "1001", "amount": {"value": "600.00", "currency": "RUB"}, "status": "pending"},
        {"account_id": "1002", "amount": {"value": "634.56", "currency": "RUB"}, "status": "pending"},
    ]
    httpx.post(f"{created.confirmation_url}/pay", timeout=10)
    assert gateway.get_payment(created.id).status == "succeeded"
    assert {transfer["status"] for transfer in _api_view(stand_in, created.id)["transfers"]} == {"succeeded"}
    canceled = _create_split("split-2")
    httpx.post(f"{canceled.confirmation_url}/cancel", timeout=10)
    assert {transfer["status"] for transfer in _api_view(stand_in, canceled.id)["transfers"]} == {"canceled"}


def test_the_receipt_names_each_provider_as_the_supplier_we_collect_for(monkeypatch):
    sent = {}

    def record(function, params, key):
        sent.update(params=params, key=key)
        raise GatewayError("unavailable", "recorded")

    monkeypatch.setattr(gateway, "_call", record)
    with pytest.raises(GatewayError):
        _create_split(items=[*SPLIT_ITEMS, ReceiptItem("Пени", 0)], transfers=[])
    items = sent["params"]["receipt"]["items"]
    assert [item["supplier"] for item in items[:2]] == [
        {"name": "АО «Энергосбыт»", "inn": "6609012349"},
        {"name": "МУП «Водоканал»", "inn": "660902345312"},
    ]
    assert [item.get("agent_type") for item in items] == ["payment_agent", "payment_agent", None]
    assert "supplier" not in items[2] and "transfers" not in sent["params"]
    assert items[1]["amount"] == {"value": "634.56", "currency": "RUB"} and items[1]["quantity"] == "1.00"


@pytest.mark.parametrize(
    ("items", "transfers"),
    [
        (SPLIT_ITEMS, [GatewayTransfer("shop-1", 60_000)]),
        (SPLIT_ITEMS, [GatewayTransfer("1" * 33, 60_000)]),
        (SPLIT_ITEMS, [GatewayTransfer("1001", 100_000), GatewayTransfer("1002", 23_457)]),
        (SPLIT_ITEMS, [GatewayTransfer("1001", 60_000), GatewayTransfer("1001", 10)]),
        ([SPLIT_ITEMS[0], ReceiptItem("Вода", 63_456, supplier_name="МУП", supplier_inn="123")], SPLIT),
        ([SPLIT_ITEMS[0], ReceiptItem("Вода", 63_456, supplier_name="МУП", supplier_inn="66090234531")], SPLIT),
        ([SPLIT_ITEMS[0]], SPLIT),
    ],
    ids=["letters", "too-long", "over-the-amount", "one-shop-twice", "short-inn", "11-digit-inn", "items-short"],
)
def test_a_bad_split_or_supplier_is_rejected(stand_in, items, transfers):
    with pytest.raises(GatewayError) as raised:
        _create_split(items=items, transfers=transfers)
    assert raised.value.kind == "rejected"


def _refund_notification(event: str, status: str) -> dict:
    refund = {
        "id": "2f0b0d1e-0016-5000-8000-1b2c3d4e5f61",
        "payment_id": "2f0b0d1e-000f-5000-9000-1b2c3d4e5f60",
        "status": status,
        "amount": {"value": "10.00", "currency": "RUB"},
        "created_at": "2026-11-25T09:00:00.000Z",
    }
    if status == "canceled":
        refund["cancellation_details"] = {"party": "yoo_money", "reason": "rejected_by_payee"}
    return {"type": "notification", "event": event, "object": refund}


@pytest.mark.parametrize(("event", "status"), [("refund.succeeded", "succeeded"), ("refund.canceled", "canceled")])
def test_parse_notification_names_the_refund_and_its_payment(event, status):
    parsed = gateway.parse_notification(_refund_notification(event, status))
    assert parsed == GatewayNotification(
        event=event,
        payment_id="2f0b0d1e-000f-5000-9000-1b2c3d4e5f60",
        refund_id="2f0b0d1e-0016-5000-8000-1b2c3d4e5f61",
    )


def test_parse_notification_refuses_deals_payouts_and_broken_refunds():
    deal = {
        "type": "notification",
        "event": "deal.closed",
        "object": {"id": "dl-2f0b0d1e-0007-5000-8000-1b2c3d4e5f60", "type": "safe_deal", "status": "closed"},
    }
    payout = {
        "type": "notification",
        "event": "payout.succeeded",
        "object": {"id": "po-2f0b0d1e-0009-5000-8000-1b2c3d4e5f60", "status": "succeeded"},
    }
    refund = _refund_notification("refund.succeeded", "succeeded")
    without_payment = {
        **refund,
        "object": {key: value for key, value in refund["object"].items() if key != "payment_id"},
    }
    for bad in (
        deal,
        payout,
        without_payment,
        {**refund, "object": {**refund["object"], "id": ""}},
        {**refund, "object": "refund"},
        {**refund, "type": "something"},
        {"type": "notification", "event": "refund.succeeded"},
        "refund.succeeded",
    ):
        with pytest.raises(ValueError):
            gateway.parse_notification(bad)
