"""The webhook's service: deliveries applied once however they race, each logged with a coded outcome."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session, col, select

from cabinet import texts
from cabinet.models import LedgerEntry, NotificationOutcome, PaymentNotification, PaymentStatus
from cabinet.services import payments
from tests.paying import (
    DownGateway,
    checkout,
    count,
    fault,
    notification_body,
    request_of,
    resident_with_debt,
    stored_payment,
)


@pytest.fixture
def resident(engine, stand_in):
    return resident_with_debt(engine)


def test_concurrent_deliveries_of_one_event_credit_once(engine, resident, stand_in):
    fault(stand_in, drop_notifications=True, count=0)
    payment = payments.pay(request_of(resident))
    checkout(payment, "pay")
    assert stored_payment(engine, payment.id).status == PaymentStatus.pending
    body = notification_body(payment)
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
    assert count(engine, LedgerEntry) == 1
    assert stored_payment(engine, payment.id).status == PaymentStatus.succeeded


def test_every_delivery_is_logged_with_a_coded_outcome_and_the_status_it_names(engine, resident, stand_in):
    fault(stand_in, drop_notifications=True, count=0)
    payment = payments.pay(request_of(resident))
    checkout(payment, "pay")
    body = notification_body(payment)
    unknown = body.replace(payment.gateway_payment_id, "2f0b0d1e-000f-5000-9000-1b2c3d4e5f60")

    answers = [
        payments.handle_notification(delivery, source_address="185.71.76.3", **given)
        for delivery, given in [
            (body, {}),
            (body, {}),
            ("not json", {}),
            (unknown, {}),
            (body, {"gateway": DownGateway()}),
        ]
    ]

    assert [(a.http_status, a.outcome, a.outcome_status) for a in answers] == [
        (200, NotificationOutcome.moved, "succeeded"),
        (200, NotificationOutcome.unchanged, "succeeded"),
        (400, NotificationOutcome.rejected, ""),
        (404, NotificationOutcome.unknown_payment, ""),
        (503, NotificationOutcome.gateway_error, ""),
    ]
    with Session(engine) as session:
        log = session.exec(select(PaymentNotification).order_by(col(PaymentNotification.id))).all()
    assert [(n.outcome, n.outcome_status, n.source_address) for n in log] == [
        (a.outcome, a.outcome_status, "185.71.76.3") for a in answers
    ]
    assert [n.gateway_payment_id for n in log] == [payment.gateway_payment_id] * 2 + [""] + [
        "2f0b0d1e-000f-5000-9000-1b2c3d4e5f60",
        payment.gateway_payment_id,
    ]
    assert count(engine, LedgerEntry) == 1


# --- how the log reads ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "status", "shown"),
    [
        ("moved", "succeeded", "статус стал «Оплачено»"),
        ("unchanged", "pending", "статус не изменился («Ожидает оплаты»): уведомление повторное или устаревшее"),
        ("unknown_status", "refunded", "ЮKassa вернула неизвестный статус refunded, платёж не изменён"),
        ("amount_mismatch", "", "сумма в ЮKassa не совпадает с нашей, не зачислено"),
        ("id_mismatch", "", "номер платежа в ЮKassa не совпадает с нашим, не зачислено"),
        ("rejected", "", "отклонено: это не уведомление ЮKassa"),
        ("unknown_payment", "", "платёж с таким номером у нас не найден"),
        ("gateway_error", "", "ЮKassa не ответила на проверку, уведомление придёт повторно"),
        ("unrecognized", "", "результат обработки не сохранился"),
    ],
)
def test_each_outcome_the_webhook_logs_has_a_russian_line(outcome, status, shown):
    assert payments.outcome_text(NotificationOutcome(outcome), status) == shown


def test_every_status_a_notification_can_leave_reads_in_russian():
    for status in PaymentStatus:
        label = texts.PAYMENTS["statuses"][status.value]
        assert payments.outcome_text(NotificationOutcome.moved, status.value) == f"статус стал «{label}»"


def test_every_outcome_code_has_its_words():
    assert set(texts.ADMIN["webhook_outcomes"]) == {outcome.value for outcome in NotificationOutcome}
