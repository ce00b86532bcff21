"""Payments for operators: filters and the total, a payment's detail with its notifications, a check at YooKassa."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from sqlmodel import func, select

import cabinet.sandbox.models  # noqa: F401  (the stand-in's tables)
from cabinet.models import (
    AccountLink,
    AuditEvent,
    LedgerEntry,
    NotificationOutcome,
    Payment,
    PaymentNotification,
    PaymentPurpose,
    PaymentStatus,
    Provider,
    ProviderAccount,
    UserRole,
)
from cabinet.services import payments
from cabinet.services.admin import payment_detail
from cabinet.services.admin import payments as admin_payments
from cabinet.services.periods import period_bounds
from tests.factories import NOW, make_account, make_payment, make_provider, make_user, parts_of
from tests.paying import one_account
from tests.stand_ins import serve_stand_ins


def test_payments_filter_and_total(session, people, ids):
    payment = session.get(Payment, ids["payment"])
    payment.status, payment.paid_at = PaymentStatus.succeeded, NOW
    other = make_provider(session)
    make_payment(session, people["resident"], make_account(session, other), 500, when=NOW - dt.timedelta(days=60))
    actor = people["admin"].id

    def listed(**filters) -> admin_payments.PaymentList:
        return admin_payments.list_payments(
            session=session, actor_id=actor, filters=admin_payments.PaymentFilter(**filters)
        )

    rows, count, total = listed()
    assert (len(rows), count, total) == (2, 1, 1000)
    rows, count, total = listed(provider_id=other.id)
    assert (len(rows), count, total) == (1, 0, 0)
    since, until = period_bounds("month", NOW.date())
    rows, _count, _total = listed(since=since, until=until)
    assert [row.id for row in rows] == [ids["payment"]]
    assert (rows[0].amount_kopecks, rows[0].status, rows[0].payer) == (1000, "succeeded", "olga.petrova@example.com")


@pytest.mark.parametrize(
    ("provider", "status", "period", "expected"),
    [
        ("all", "all", "all", admin_payments.PaymentFilter()),
        ("7", "succeeded", "all", admin_payments.PaymentFilter(provider_id=7, status=PaymentStatus.succeeded)),
        ("abc", "refunded", "nonsense", admin_payments.PaymentFilter()),
    ],
)
def test_the_pages_selects_become_a_filter(provider, status, period, expected):
    assert admin_payments.chosen_filter(provider=provider, status=status, period=period, today=NOW.date()) == expected


def test_the_pages_period_is_counted_back_from_today():
    chosen = admin_payments.chosen_filter(provider="all", status="all", period="prev_month", today=NOW.date())
    assert (chosen.since, chosen.until) == period_bounds("prev_month", NOW.date())


def test_the_page_lists_payments_and_every_provider_to_filter_by(session, people, ids):
    other = make_provider(session)
    page = admin_payments.payments_page(
        session=session, actor_id=people["admin"].id, filters=admin_payments.PaymentFilter(provider_id=other.id)
    )
    assert page.payments == ([], 0, 0)
    assert sorted(provider.id for provider in page.providers) == sorted([ids["provider"], other.id])


def test_payment_detail_shows_gateway_id_and_notification_log(session, people, ids):
    payment = session.get(Payment, ids["payment"])
    payment.gateway_payment_id = "2f4c7a1e-000f-5000-9000-1b2c3d4e5f60"
    log = (
        (30, "payment.waiting_for_capture", payment.gateway_payment_id, NotificationOutcome.unchanged, "pending"),
        (10, "payment.succeeded", payment.gateway_payment_id, NotificationOutcome.moved, "succeeded"),
        (20, "payment.succeeded", "another-payment", NotificationOutcome.unknown_payment, None),
    )
    for minutes, event, gateway_id, outcome, status in log:
        session.add(
            PaymentNotification(
                received_at=NOW - dt.timedelta(minutes=minutes),
                source_address="185.71.76.3",
                event=event,
                gateway_payment_id=gateway_id,
                body="{}",
                outcome=outcome,
                outcome_status=status,
            )
        )
    session.flush()

    shown = payment_detail.payment_detail(session=session, actor_id=people["admin"].id, payment_id=payment.id)

    assert shown.gateway_payment_id == "2f4c7a1e-000f-5000-9000-1b2c3d4e5f60"
    (part,) = parts_of(session, payment)
    provider, account = session.get(Provider, ids["provider"]), session.get(ProviderAccount, part.account_id)
    assert (shown.provider, shown.payer, shown.account) == (provider.name, people["resident"].email, account.number)
    # Worded for the operator, in Russian, with the status the delivery found or set.
    assert [(n.event, n.outcome_text, n.source_address) for n in shown.notifications] == [
        ("payment.succeeded", payments.outcome_text(NotificationOutcome.moved, "succeeded"), "185.71.76.3"),
        ("payment.waiting_for_capture", payments.outcome_text(NotificationOutcome.unchanged, "pending"), "185.71.76.3"),
    ]
    assert shown.notifications[0].outcome_text == "статус стал «Оплачено»"
    payment.gateway_payment_id = None  # never reached YooKassa: nothing to show, not every stray notification
    session.flush()
    assert (
        payment_detail.payment_detail(session=session, actor_id=people["admin"].id, payment_id=payment.id).notifications
        == []
    )


def test_check_at_gateway_rereads_a_payment_whose_notification_was_lost(engine, session):
    """«Проверить в YooKassa»: the status comes from the API through the real SDK, and is applied once."""
    with serve_stand_ins(engine, with_webhook=True) as stand_in:
        provider = make_provider(session, reading_window_start_day=1, reading_window_end_day=31)
        account = make_account(session, provider, debt_kopecks=180_000)
        resident = make_user(session)
        operator = make_user(session, role=UserRole.admin)
        session.add(AccountLink(user_id=resident.id, account_id=account.id))
        session.commit()
        httpx.post(
            f"{stand_in}/sandbox/_faults",
            json={"service": "yookassa", "drop_notifications": True, "count": 0},
            timeout=5,
        ).raise_for_status()
        payment = payments.pay(one_account(user_id=resident.id, account_id=account.id, purpose=PaymentPurpose.debt))
        httpx.post(f"{payment.confirmation_url}/pay", timeout=10)
        assert session.get(Payment, payment.id).status == PaymentStatus.pending  # no notification came

        applied = payment_detail.check_at_gateway(session=session, actor_id=operator.id, payment_id=payment.id, now=NOW)
        session.commit()

        assert (applied.changed, applied.status) == (True, PaymentStatus.succeeded)
        assert (applied.detail.status, applied.detail.paid_at is not None) == ("succeeded", True)
        session.expire_all()
        stored = session.get(Payment, payment.id)
        assert (stored.status, stored.paid_at is not None) == (PaymentStatus.succeeded, True)
        assert session.exec(select(LedgerEntry.amount_kopecks)).all() == [180_000]
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "payment_checked_at_gateway")).one()
        assert (event.actor_user_id, event.target_id, json.loads(event.details)) == (
            operator.id,
            str(payment.id),
            {"status": "succeeded"},
        )
        # A second check finds it settled and credits nothing twice.
        again = payment_detail.check_at_gateway(session=session, actor_id=operator.id, payment_id=payment.id, now=NOW)
        session.commit()
        assert (again.changed, again.status) == (False, PaymentStatus.succeeded)
        assert session.exec(select(func.count()).select_from(LedgerEntry)).one() == 1


def test_the_payments_csv_names_the_admin(session, people, ids):
    actor = people["admin"].id
    assert (
        admin_payments.export_payments(session=session, actor_id=actor, filters=admin_payments.PaymentFilter(), now=NOW)
        .decode("utf-8-sig")
        .count("\r\n")
        == 2
    )  # the header and the payment
    actors = dict(session.exec(select(AuditEvent.action, AuditEvent.actor_user_id)).all())
    assert actors == {"payments_exported": actor}


def test_a_check_of_a_payment_for_two_providers_is_in_both_journals(session, people):
    """Regression: the check was journaled for the payment's first provider only, as if the other had no part."""
    water, power = make_provider(session), make_provider(session)
    payment = make_payment(
        session, people["resident"], [make_account(session, water), make_account(session, power)], [500, 700]
    )
    checked = payment_detail.check_at_gateway(
        session=session, actor_id=people["admin"].id, payment_id=payment.id, now=NOW
    )
    assert (checked.changed, checked.status) == (False, "pending")  # never sent to YooKassa: nothing to ask
    events = session.exec(select(AuditEvent.provider_id).where(AuditEvent.action == "payment_checked_at_gateway")).all()
    assert sorted(events) == sorted([water.id, power.id])
