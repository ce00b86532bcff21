"""POST /api/yookassa/webhook through the real route: duplicates, stale and forged deliveries, bad bodies,
unknown payments, and the allowlist of YooKassa's addresses."""

from __future__ import annotations

import json

import httpx
import pytest

import cabinet.sandbox.models  # noqa: F401  (the stand-in's tables)
from cabinet.gateways import yookassa as yookassa_gateway
from cabinet.models import LedgerEntry, PaymentNotification, PaymentStatus
from cabinet.services import payments
from tests.paying import checkout, count, notification_body, request_of, resident_with_debt, stored_payment
from tests.stand_ins import serve_stand_ins


@pytest.fixture
def stand_in(engine):
    """The stand-ins on a free loopback port, sending notifications to our webhook; yields their URL."""
    with serve_stand_ins(engine, with_webhook=True) as base_url:
        yield base_url


@pytest.fixture
def resident(engine, stand_in):
    return resident_with_debt(engine)


def test_duplicate_notifications_credit_once(engine, resident, stand_in):
    payment = payments.pay(request_of(resident))
    checkout(payment, "pay")
    body = notification_body(payment)
    for _ in range(10):
        assert httpx.post(f"{stand_in}/api/yookassa/webhook", content=body, timeout=10).status_code == 200
    assert count(engine, LedgerEntry) == 1
    assert count(engine, PaymentNotification) == 11


def test_a_late_stale_notification_never_moves_a_payment_back(engine, resident, stand_in):
    payment = payments.pay(request_of(resident))
    checkout(payment, "pay")
    stale = notification_body(payment, event="payment.waiting_for_capture", status="waiting_for_capture")
    assert httpx.post(f"{stand_in}/api/yookassa/webhook", content=stale, timeout=10).status_code == 200
    applied = payments.apply_gateway_state(
        payment_id=payment.id,
        gateway_payment=yookassa_gateway.GatewayPayment(payment.gateway_payment_id, "canceled", 250_000, False),
    )
    assert not applied.changed
    assert stored_payment(engine, payment.id).status == PaymentStatus.succeeded
    assert count(engine, LedgerEntry) == 1


def test_forged_success_for_a_pending_payment_credits_nothing(engine, resident, stand_in):
    payment = payments.pay(request_of(resident))
    response = httpx.post(f"{stand_in}/api/yookassa/webhook", content=notification_body(payment), timeout=10)
    assert response.status_code == 200
    assert stored_payment(engine, payment.id).status == PaymentStatus.pending
    assert count(engine, LedgerEntry) == 0


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '{"type": "notification"}',
        '{"event": 5, "object": {}}',
        '{"type": "notification", "event": "payment.succeeded", "object": {"id": 7}}',
    ],
)
def test_malformed_bodies_get_400_without_a_traceback(stand_in, body):
    response = httpx.post(f"{stand_in}/api/yookassa/webhook", content=body, timeout=10)
    assert response.status_code == 400
    assert "Traceback" not in response.text


def test_unknown_payment_gets_404(stand_in):
    body = json.dumps(
        {
            "type": "notification",
            "event": "payment.succeeded",
            "object": {
                "id": "2f0b0d1e-000f-5000-9000-1b2c3d4e5f60",
                "status": "succeeded",
                "paid": True,
                "amount": {"value": "1.00", "currency": "RUB"},
                "created_at": "2026-11-25T09:00:00.000Z",
                "recipient": {"account_id": "1", "gateway_id": "1"},
                "refundable": False,
                "test": True,
            },
        }
    )
    assert httpx.post(f"{stand_in}/api/yookassa/webhook", content=body, timeout=10).status_code == 404


def test_webhook_refuses_addresses_outside_the_allowlist():
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from cabinet.api.payments import payment_routes
    from cabinet.config import load_settings

    # Real mode: loopback is allowed only while the stand-in pays.
    settings = load_settings(
        yookassa_shop_id="1", yookassa_secret_key="live_x", resend_api_key="re_x", secret_key="k" * 32
    )
    client = TestClient(Starlette(routes=payment_routes(settings)), client=("127.0.0.1", 5000))
    assert client.post("/api/yookassa/webhook", content="{}").status_code == 403
    from cabinet.api.payments import allowed_networks, source_allowed

    assert source_allowed("185.71.76.5", allowed_networks(settings))
    assert source_allowed("::ffff:77.75.156.11", allowed_networks(settings))
    assert not source_allowed("185.71.76.40", allowed_networks(settings))
