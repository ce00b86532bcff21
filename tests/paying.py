"""What the payment tests share: a resident with a debt, the stand-in's checkout and faults, rows read back."""

from __future__ import annotations

import datetime as dt
import json

import httpx
from sqlmodel import Session, func, select

import cabinet.sandbox.models  # noqa: F401  (the stand-in's tables, for every test that pays)
from cabinet.gateways import GatewayError
from cabinet.gateways.payment_gateway import GatewayPayment, GatewayRefund
from cabinet.models import AccountLink, Payment, PaymentPurpose
from cabinet.services import payments
from tests.factories import make_account, make_meter, make_provider, make_user


def resident_with_debt(engine) -> dict:
    """A resident whose linked account owes 2 500 ₽, with one meter; their ids."""
    with Session(engine, expire_on_commit=False) as session:
        provider = make_provider(session, name="АО «Энергосбыт»", reading_window_start_day=1, reading_window_end_day=31)
        account = make_account(session, provider, debt_kopecks=250_000, balance_as_of=dt.date(2026, 1, 1))
        meter = make_meter(session, account, digits_whole=6, digits_fraction=1)
        user = make_user(session)
        session.add(AccountLink(user_id=user.id, account_id=account.id))
        session.commit()
        return {"user": user.id, "account": account.id, "meter": meter.id}


def request_of(resident: dict, **changes) -> payments.PaymentRequest:
    values = dict(user_id=resident["user"], account_id=resident["account"], purpose=PaymentPurpose.debt)
    values.update(changes)
    return payments.PaymentRequest(**values)


def checkout(payment: Payment, action: str, reason: str = "") -> None:
    """«Оплатить» or «Отменить» on the stand-in's checkout page of the payment."""
    httpx.post(
        f"{payment.confirmation_url}/{action}",
        data={"reason": reason} if reason else {},
        follow_redirects=False,
        timeout=10,
    )


def fault(stand_in: str, **given) -> None:
    httpx.post(f"{stand_in}/sandbox/_faults", json={"service": "yookassa", **given}, timeout=5).raise_for_status()


def count(engine, model, *where) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def stored_payment(engine, payment_id: int) -> Payment:
    with Session(engine, expire_on_commit=False) as session:
        return session.get(Payment, payment_id)


def notification_body(payment: Payment, event: str = "payment.succeeded", status: str = "succeeded") -> str:
    """A YooKassa notification of the payment, as the webhook receives it."""
    return json.dumps(
        {
            "type": "notification",
            "event": event,
            "object": {
                "id": payment.gateway_payment_id,
                "status": status,
                "paid": status == "succeeded",
                "amount": {"value": "2500.00", "currency": "RUB"},
                "created_at": "2026-11-25T09:00:00.000Z",
                "recipient": {"account_id": "sandbox", "gateway_id": "1"},
                "refundable": False,
                "test": True,
                "metadata": {},
            },
        }
    )


class DownGateway:
    """A PaymentGateway that never answers: what the services do while YooKassa is away."""

    def create_payment(self, **_request) -> GatewayPayment:
        raise GatewayError("unavailable", "stub")

    def get_payment(self, gateway_payment_id: str) -> GatewayPayment:
        raise GatewayError("unavailable", "stub")

    def create_refund(self, **_request) -> GatewayRefund:
        raise GatewayError("unavailable", "stub")

    def get_refund(self, gateway_refund_id: str) -> GatewayRefund:
        raise GatewayError("unavailable", "stub")
