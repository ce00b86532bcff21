"""The YooKassa gateway through the real SDK against the stand-in: amounts, keys, every failure kind."""

from __future__ import annotations

import httpx
import pytest

import cabinet.sandbox.models  # noqa: F401  (the stand-in's tables)
from cabinet.gateways import GatewayError
from cabinet.gateways import yookassa as gateway
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
        receipt_item_description="Услуги водоснабжения",
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
