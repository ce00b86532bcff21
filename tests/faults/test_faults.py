"""Faults, bounded and on loopback: the database away mid-payment, YooKassa slow, failing and silent,
Resend refusing for a while. Each asserts that no payment or letter is lost or doubled."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, func, select

import cabinet.sandbox.models
from cabinet.db import engine_for
from cabinet.models import AccountLink, LedgerEntry, OutgoingEmail, Payment, PaymentPurpose, PaymentStatus
from cabinet.sandbox.models import SandboxResendEmail
from cabinet.services import mail, payments
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.factories import NOW, make_account, make_provider, make_user
from tests.faults.proxy import CuttableProxy
from tests.paying import one_account
from tests.stand_ins import serve_stand_ins


@pytest.fixture
def database_behind_a_proxy():
    """A throw-away PostgreSQL database reached through a proxy the test can cut."""
    url = create_postgres_database()
    engine = sa.create_engine(url)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    proxy = CuttableProxy(5432)
    proxied = url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    try:
        yield engine_for(proxied), proxied, proxy
    finally:
        proxy.close()
        engine_for(proxied).dispose()
        drop_postgres_database(url)


def _resident(engine) -> dict:
    with Session(engine, expire_on_commit=False) as session:
        provider = make_provider(session)
        account = make_account(session, provider, debt_kopecks=99_000)
        user = make_user(session)
        session.add(AccountLink(user_id=user.id, account_id=account.id))
        session.commit()
        return {"user": user.id, "account": account.id}


def _count(engine, model) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _notification(gateway_id: str) -> str:
    return json.dumps(
        {
            "type": "notification",
            "event": "payment.succeeded",
            "object": {
                "id": gateway_id,
                "status": "succeeded",
                "paid": True,
                "amount": {"value": "990.00", "currency": "RUB"},
                "created_at": "2026-11-25T09:00:00.000Z",
                "recipient": {"account_id": "1", "gateway_id": "1"},
                "refundable": True,
                "test": True,
            },
        }
    )


def test_database_away_mid_payment_loses_and_doubles_nothing(database_behind_a_proxy):
    engine, proxied_url, proxy = database_behind_a_proxy
    resident = _resident(engine)
    with serve_stand_ins(engine, with_webhook=True, database_url=proxied_url) as base:
        httpx.post(f"{base}/sandbox/_faults", json={"service": "yookassa", "drop_notifications": True}, timeout=5)
        payment = payments.pay(
            one_account(user_id=resident["user"], account_id=resident["account"], purpose=PaymentPurpose.debt)
        )
        httpx.post(f"{payment.confirmation_url}/pay", timeout=10)  # paid at YooKassa, notification lost

        proxy.cut()  # the database goes away just as YooKassa's notification arrives
        refused = httpx.post(
            f"{base}/api/yookassa/webhook", content=_notification(payment.gateway_payment_id), timeout=30
        )
        assert refused.status_code >= 500 and "Traceback" not in refused.text
        health = httpx.get(f"{base}/api/health", timeout=30)
        assert health.status_code == 503
        proxy.restore()

        # YooKassa delivers again; reconciliation runs too. One credit, whatever the order.
        again = httpx.post(
            f"{base}/api/yookassa/webhook", content=_notification(payment.gateway_payment_id), timeout=30
        )
        assert again.status_code == 200
        assert payments.reconcile(older_than=dt.timedelta(0)).checked == 0
    assert _count(engine, LedgerEntry) == 1
    with Session(engine) as session:
        assert session.get(Payment, payment.id).status == PaymentStatus.succeeded


def test_database_away_while_paying_leaves_a_retryable_payment(database_behind_a_proxy):
    engine, proxied_url, proxy = database_behind_a_proxy
    resident = _resident(engine)
    with serve_stand_ins(engine, with_webhook=True, database_url=proxied_url):
        proxy.cut()
        with pytest.raises(sa.exc.OperationalError):
            payments.pay(
                one_account(
                    user_id=resident["user"],
                    account_id=resident["account"],
                    purpose=PaymentPurpose.debt,
                    request_key="form-7",
                )
            )
        proxy.restore()
        payment = payments.pay(
            one_account(
                user_id=resident["user"],
                account_id=resident["account"],
                purpose=PaymentPurpose.debt,
                request_key="form-7",
            )
        )
        assert payment.status == PaymentStatus.pending and payment.gateway_payment_id
    assert _count(engine, Payment) == 1


def test_yookassa_slow_then_failing_then_silent(engine, monkeypatch):
    from cabinet.gateways import yookassa as gateway

    monkeypatch.setattr(gateway, "CALL_TIMEOUT_SECONDS", 2)
    resident = _resident(engine)
    with serve_stand_ins(engine, with_webhook=True) as base:
        request = one_account(
            user_id=resident["user"],
            account_id=resident["account"],
            purpose=PaymentPurpose.debt,
            request_key="slow-form",
        )
        httpx.post(f"{base}/sandbox/_faults", json={"service": "yookassa", "delay_seconds": 5, "count": 1}, timeout=5)
        assert payments.pay(request).status == PaymentStatus.failed  # 5 s is past our 2 s patience
        httpx.post(f"{base}/sandbox/_faults", json={"service": "yookassa", "status": 500, "count": 1}, timeout=5)
        assert payments.retry_payment(user_id=resident["user"], payment_id=1).status == PaymentStatus.failed
        httpx.post(f"{base}/sandbox/_faults", json={"service": "yookassa", "drop_notifications": True}, timeout=5)
        payment = payments.retry_payment(user_id=resident["user"], payment_id=1)
        assert payment.status == PaymentStatus.pending
        httpx.post(f"{payment.confirmation_url}/pay", timeout=10)
        assert payments.reconcile(older_than=dt.timedelta(0)).changed == 1
    with Session(engine) as session:
        # The slow first call did create a payment at YooKassa; the same key found it again.
        assert session.exec(select(func.count()).select_from(cabinet.sandbox.models.SandboxYookassaPayment)).one() == 1
    assert _count(engine, LedgerEntry) == 1


def test_resend_refusing_for_a_while_then_every_letter_goes_once(engine):
    with serve_stand_ins(engine) as base:
        with Session(engine, expire_on_commit=False) as session:
            for index in range(6):
                mail.queue_email(
                    session=session,
                    to_address=f"r{index}@example.com",
                    subject="Тема",
                    text_body="Текст",
                    html_body="<p>Текст</p>",
                    now=NOW,
                )
            session.commit()
        httpx.post(f"{base}/sandbox/_faults", json={"service": "resend", "status": 429, "count": 4}, timeout=5)
        moment = NOW
        for round_number in range(8):
            with Session(engine) as session:
                mail.deliver_due(session=session, now=moment)
                session.commit()
            if round_number < 3:  # a lost answer now and then: stored, but the outbox hears 500
                httpx.post(
                    f"{base}/sandbox/_faults",
                    json={"service": "resend", "status": 500, "count": 1, "store_then_fail": True},
                    timeout=5,
                )
            moment += max(mail.BACKOFF)
        with Session(engine) as session:
            statuses = [letter.status for letter in session.exec(select(OutgoingEmail))]
            stored = session.exec(select(SandboxResendEmail.to_address)).all()
    assert statuses == ["sent"] * 6
    assert sorted(stored) == sorted(f"r{index}@example.com" for index in range(6))  # none twice
