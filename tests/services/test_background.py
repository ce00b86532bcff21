"""The backend's periodic reconciliation: a payment whose notification was lost is booked by the loop."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, func, select

import cabinet.sandbox.models  # noqa: F401  (the stand-in's tables)
from cabinet import background
from cabinet.clock import utc_now
from cabinet.models import AccountLink, LedgerEntry, Payment, PaymentPurpose, PaymentStatus, ProviderAccount
from cabinet.services import payments
from cabinet.services.dashboard import balance_of
from tests.factories import make_account, make_provider, make_user
from tests.paying import one_account

# Long enough for a few passes against the stand-in on a slow machine, short enough for a test.
DEADLINE_SECONDS = 20.0


@pytest.fixture
def resident(engine, stand_in):
    with Session(engine, expire_on_commit=False) as session:
        provider = make_provider(session, name="Водоканал")
        account = make_account(session, provider, debt_kopecks=180_000, balance_as_of=dt.date(2026, 1, 1))
        user = make_user(session)
        session.add(AccountLink(user_id=user.id, account_id=account.id))
        session.commit()
        return {"user": user.id, "account": account.id}


def _fault(stand_in: str, **fault) -> None:
    httpx.post(f"{stand_in}/sandbox/_faults", json={"service": "yookassa", **fault}, timeout=5).raise_for_status()


def _paid_without_notification(stand_in: str, resident: dict, amount: str) -> Payment:
    payment = payments.pay(
        one_account(
            user_id=resident["user"],
            account_id=resident["account"],
            purpose=PaymentPurpose.custom_amount,
            amount_text=amount,
        )
    )
    response = httpx.post(f"{payment.confirmation_url}/pay", follow_redirects=False, timeout=10)
    assert response.status_code < 400
    return payment


def _created_minutes_ago(engine, payment_id: int, minutes: int) -> None:
    # The loop only re-reads payments older than RECONCILE_AFTER_MINUTES; this one was made «earlier».
    with Session(engine) as session:
        session.execute(
            sa.update(Payment)
            .where(col(Payment.id) == payment_id)
            .values(created_at=utc_now() - dt.timedelta(minutes=minutes))
        )
        session.commit()


def _status(engine, payment_id: int) -> PaymentStatus:
    with Session(engine) as session:
        return session.get(Payment, payment_id).status


async def _run_loop_until(engine, payment_id: int, status: PaymentStatus, first=None) -> bool:
    """Runs reconcile_loop until the payment reaches `status` or the deadline passes; then stops it.

    `first(loop)`, if given, runs while the loop is going, before the waiting starts."""
    loop = asyncio.create_task(background.reconcile_loop())
    try:
        if first is not None:
            await first(loop)
        deadline = asyncio.get_running_loop().time() + DEADLINE_SECONDS
        while asyncio.get_running_loop().time() < deadline:
            assert not loop.done(), "the loop ended by itself"
            if await asyncio.to_thread(_status, engine, payment_id) == status:
                return True
            await asyncio.sleep(0.1)
        return False
    finally:
        loop.cancel()
        with pytest.raises(asyncio.CancelledError):
            await loop


def test_the_loop_books_a_payment_whose_notification_was_dropped_and_leaves_fresh_ones(engine, resident, stand_in):
    _fault(stand_in, drop_notifications=True, count=0)
    old = _paid_without_notification(stand_in, resident, "600")
    fresh = _paid_without_notification(stand_in, resident, "400")
    _created_minutes_ago(engine, old.id, 11)  # RECONCILE_AFTER_MINUTES is 10 by default
    assert _status(engine, old.id) == _status(engine, fresh.id) == PaymentStatus.pending

    assert asyncio.run(_run_loop_until(engine, old.id, PaymentStatus.succeeded))

    with Session(engine) as session:
        assert session.exec(select(LedgerEntry.payment_id, LedgerEntry.amount_kopecks)).all() == [(old.id, 60_000)]
        account = session.get(ProviderAccount, resident["account"])
        assert balance_of(session, account).to_pay_kopecks == 180_000 - 60_000
    # Paid at the checkout as well, but younger than the threshold: left for its notification.
    assert _status(engine, fresh.id) == PaymentStatus.pending


def test_the_loop_keeps_going_while_yookassa_fails_and_books_once_it_answers(engine, resident, stand_in, monkeypatch):
    monkeypatch.setattr(background, "RECONCILE_INTERVAL_SECONDS", 0.2)
    _fault(stand_in, drop_notifications=True, count=0)
    payment = _paid_without_notification(stand_in, resident, "600")
    _created_minutes_ago(engine, payment.id, 30)
    _fault(stand_in, status=500, count=1_000)

    async def while_yookassa_fails(loop: asyncio.Task) -> None:
        await asyncio.sleep(1.0)  # several passes, each refused by the gateway
        assert not loop.done(), "a failing gateway ended the loop"
        assert await asyncio.to_thread(_status, engine, payment.id) == PaymentStatus.pending
        await asyncio.to_thread(lambda: httpx.delete(f"{stand_in}/sandbox/_faults", timeout=5).raise_for_status())

    assert asyncio.run(_run_loop_until(engine, payment.id, PaymentStatus.succeeded, first=while_yookassa_fails))
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(LedgerEntry)).one() == 1
