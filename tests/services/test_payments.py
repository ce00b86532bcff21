"""Payments with the real YooKassa SDK against the local stand-in: create, pay, cancel, failures,
duplicate / reordered / concurrent / forged notifications, reconciliation, amounts and access."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from sqlmodel import Session, func, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

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
    User,
)
from cabinet.config import get_settings
from cabinet.sandbox import faults
from cabinet.services import payments
from cabinet.services.dashboard import balance_of
from cabinet.errors import DomainError
from cabinet.services.readings import ReadingEntry
from tests.factories import make_account, make_meter, make_provider, make_user
from tests.stand_ins import free_port


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

    # Real mode: loopback is allowed only while the stand-in pays.
    settings = load_settings(yookassa_shop_id="1", yookassa_secret_key="live_x", resend_api_key="re_x",
                             secret_key="k" * 32)
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


# --- what is sent to YooKassa ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _recording_hop(target: str) -> Iterator[list[dict]]:
    """A loopback hop in front of the stand-in that keeps every request as it went over the wire.

    The stand-in keeps only part of a create request (not the receipt), so the SDK's request
    itself is read here; the hop forwards everything unchanged.
    """
    seen: list[dict] = []

    async def forward(request: Request) -> Response:
        body = await request.body()
        seen.append({"method": request.method, "path": request.url.path,
                     "idempotence_key": request.headers.get("idempotence-key"),
                     "json": json.loads(body) if body else None})
        headers = {name: value for name, value in request.headers.items() if name not in ("host", "content-length")}
        async with httpx.AsyncClient() as client:
            answer = await client.request(request.method, target + request.url.path, content=body, headers=headers,
                                          timeout=10)
        return Response(answer.content, status_code=answer.status_code,
                        media_type=answer.headers.get("content-type"))

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=[Route("/{path:path}", forward, methods=["GET", "POST"])]),
                                           host="127.0.0.1", port=port, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the recording hop did not start"
        time.sleep(0.02)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("YOOKASSA_API_URL", f"http://127.0.0.1:{port}/sandbox/yookassa/v3")
        get_settings.cache_clear()
        try:
            yield seen
        finally:
            get_settings.cache_clear()
            server.should_exit = True
            thread.join(10)
    get_settings.cache_clear()


def test_the_create_request_carries_return_url_capture_metadata_and_a_54fz_receipt(engine, resident, stand_in):
    with Session(engine) as session:
        email = session.get(User, resident["user"]).email
    with _recording_hop(stand_in) as seen:
        payment = payments.pay(_request(resident))
    public_url = get_settings().public_url
    assert public_url == stand_in
    return_url = f"{public_url}/payments/{payment.id}"
    ours = {"payment_id": str(payment.id), "account_id": str(resident["account"]), "user_id": str(resident["user"])}

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


# --- the return page asks the API itself -----------------------------------------------------------------------


def test_return_page_refresh_books_a_payment_whose_notification_was_dropped_exactly_once(engine, resident, stand_in):
    """payments.refresh_from_gateway is what PaymentStatusState.load calls when a resident comes back."""
    _fault(stand_in, drop_notifications=True, count=0)
    payment = payments.pay(_request(resident))
    # Not paid yet at the checkout: the API says pending, nothing changes.
    waiting = payments.refresh_from_gateway(payment.id)
    assert (waiting.changed, waiting.status) == (False, PaymentStatus.pending)

    _checkout(stand_in, payment, "pay")
    assert _payment(engine, payment.id).status == PaymentStatus.pending
    assert _count(engine, PaymentNotification) == 0

    applied = payments.refresh_from_gateway(payment.id)
    assert (applied.changed, applied.status, applied.credited) == (True, PaymentStatus.succeeded, True)
    for _ in range(3):  # the page keeps polling; nothing more is booked
        again = payments.refresh_from_gateway(payment.id)
        assert (again.changed, again.status, again.credited) == (False, PaymentStatus.succeeded, False)
    paid = _payment(engine, payment.id)
    assert paid.status == PaymentStatus.succeeded and paid.paid_at is not None
    with Session(engine) as session:
        assert session.exec(select(LedgerEntry.amount_kopecks)).all() == [250_000]
        account = session.get(payments.ProviderAccount, resident["account"])
        assert balance_of(session, account).to_pay_kopecks == 0
        assert len(session.exec(select(OutgoingEmail)).all()) == 1


# --- the receipt letter --------------------------------------------------------------------------------------


@pytest.mark.parametrize("wants_receipts", [False, True])
def test_receipt_letter_is_queued_only_for_residents_who_want_it(engine, resident, stand_in, wants_receipts):
    with Session(engine) as session:
        user = session.get(User, resident["user"])
        user.notify_payment_receipts = wants_receipts
        session.add(user)
        session.commit()
        email = user.email
    payment = payments.pay(_request(resident))
    _checkout(stand_in, payment, "pay")
    assert _payment(engine, payment.id).status == PaymentStatus.succeeded
    assert _count(engine, LedgerEntry) == 1
    with Session(engine) as session:
        letters = session.exec(select(OutgoingEmail)).all()
    if not wants_receipts:
        assert letters == []
        return
    (letter,) = letters
    assert letter.to_address == email
    assert "2\u00a0500,00\u00a0₽" in letter.subject
    assert f"/payments/{payment.id}/receipt" in letter.text_body


# --- what does not lower the amount to pay -------------------------------------------------------------------


def test_pending_waiting_canceled_and_failed_payments_leave_the_amount_to_pay(engine, resident, stand_in):
    custom = dict(purpose=PaymentPurpose.custom_amount, amount_text="700")
    pending = payments.pay(_request(resident, **custom))
    waiting = payments.pay(_request(resident, **custom))
    payments.apply_gateway_state(payment_id=waiting.id, gateway_payment=yookassa_gateway.GatewayPayment(
        waiting.gateway_payment_id, "waiting_for_capture", 70_000, True))
    canceled = payments.pay(_request(resident, **custom))
    _checkout(stand_in, canceled, "cancel")
    _fault(stand_in, status=500, count=5)
    failed = payments.pay(_request(resident, **custom))
    faults.clear_faults()
    assert [_payment(engine, p.id).status for p in (pending, waiting, canceled, failed)] == [
        PaymentStatus.pending, PaymentStatus.waiting_for_capture, PaymentStatus.canceled, PaymentStatus.failed]
    with Session(engine) as session:
        account = session.get(payments.ProviderAccount, resident["account"])
        assert balance_of(session, account).to_pay_kopecks == 250_000
    assert _count(engine, LedgerEntry) == 0

    _checkout(stand_in, pending, "pay")
    with Session(engine) as session:
        account = session.get(payments.ProviderAccount, resident["account"])
        assert balance_of(session, account).to_pay_kopecks == 250_000 - 70_000


# --- the history's filters -----------------------------------------------------------------------------------


def test_history_filters_by_account_period_and_status_and_shows_only_ones_own(session):
    provider = make_provider(session)
    flat, dacha = make_account(session, provider), make_account(session, provider)
    user, neighbour = make_user(session), make_user(session)
    session.add_all([AccountLink(user_id=user.id, account_id=flat.id),
                     AccountLink(user_id=user.id, account_id=dacha.id),
                     AccountLink(user_id=neighbour.id, account_id=flat.id)])
    utc = dt.timezone.utc

    def made(owner, account, day: dt.datetime, status=PaymentStatus.succeeded) -> int:
        payment = Payment(user_id=owner.id, account_id=account.id, amount_kopecks=10_000, purpose=PaymentPurpose.debt,
                          status=status, idempotency_key=f"h{owner.id}-{account.id}-{day.isoformat()}",
                          created_at=day, updated_at=day)
        session.add(payment)
        session.flush()
        return payment.id

    flat_sep = made(user, flat, dt.datetime(2026, 9, 10, 12, tzinfo=utc))
    dacha_oct = made(user, dacha, dt.datetime(2026, 10, 5, 12, tzinfo=utc), PaymentStatus.canceled)
    flat_nov = made(user, flat, dt.datetime(2026, 11, 1, 9, tzinfo=utc))
    dacha_nov = made(user, dacha, dt.datetime(2026, 11, 20, 9, tzinfo=utc))
    made(neighbour, flat, dt.datetime(2026, 11, 21, 9, tzinfo=utc))

    def ids(**filters) -> list[int]:
        found = payments.payments_of(session, user_id=user.id, **filters)
        return [payment.id for payment, _account, _provider in found]

    assert ids() == [dacha_nov, flat_nov, dacha_oct, flat_sep]  # newest first, the neighbour's left out
    assert ids(account_id=flat.id) == [flat_nov, flat_sep]
    assert ids(account_id=dacha.id) == [dacha_nov, dacha_oct]
    november = dt.datetime(2026, 10, 31, 21, tzinfo=utc)  # 1 November 00:00 in Moscow
    assert ids(since=november) == [dacha_nov, flat_nov]
    assert ids(since=dt.datetime(2026, 10, 1, tzinfo=utc), until=november) == [dacha_oct]
    assert ids(until=dt.datetime(2026, 9, 10, 12, tzinfo=utc)) == []  # the end is exclusive
    assert ids(account_id=flat.id, since=november) == [flat_nov]
    assert ids(status=PaymentStatus.canceled) == [dacha_oct]
    assert ids(account_id=flat.id, status=PaymentStatus.canceled) == []
    # The neighbour shares the flat's account but sees only their own payment of it.
    assert len(payments.payments_of(session, user_id=neighbour.id, account_id=flat.id)) == 1
    assert payments.payments_of(session, user_id=neighbour.id, account_id=dacha.id) == []
