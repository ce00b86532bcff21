"""What the payment tests share: a resident with a debt, the stand-in's checkout and faults, rows read back."""

from __future__ import annotations

import datetime as dt
import json
import threading

import httpx
from sqlmodel import Session, func, select

import cabinet.sandbox.models  # noqa: F401  (the stand-in's tables, for every test that pays)
from cabinet.gateways import GatewayError
from cabinet.gateways.payment_gateway import GatewayPayment, GatewayRefund, PaymentGateway
from cabinet.models import AccountLink, Payment, PaymentPurpose, ProviderAccount
from cabinet.services import payments
from cabinet.services.dashboard import balance_of
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


PART_FIELDS = ("account_id", "purpose", "amount_text", "readings")


def one_account(**fields) -> payments.PaymentRequest:
    """A request for one account, written as the request was before parts: the debt unless `purpose` says."""
    part = dict(purpose=PaymentPurpose.debt) | {name: value for name, value in fields.items() if name in PART_FIELDS}
    request = {name: value for name, value in fields.items() if name not in PART_FIELDS}
    return payments.PaymentRequest(parts=(payments.PartRequest(**part),), **request)


def request_of(resident: dict, **changes) -> payments.PaymentRequest:
    """The resident's request paying their account's debt; a change names a field of the request or of its part."""
    return one_account(**({"user_id": resident["user"], "account_id": resident["account"]} | changes))


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


class CountingGateway:
    """A PaymentGateway (the real YooKassa adapter unless given another) that counts the payments it reads.

    The stand-in keeps no log of requests; this counts, at the adapter, every read of a payment
    the services make — each one an HTTP GET to the stand-in.
    """

    def __init__(self, inner: PaymentGateway | None = None) -> None:
        self.inner = inner or payments.default_gateway()
        self.reads = 0
        self._lock = threading.Lock()

    def get_payment(self, gateway_payment_id: str) -> GatewayPayment:
        with self._lock:
            self.reads += 1
        return self.inner.get_payment(gateway_payment_id)

    def create_payment(self, **request) -> GatewayPayment:
        return self.inner.create_payment(**request)

    def create_refund(self, **request) -> GatewayRefund:
        return self.inner.create_refund(**request)

    def get_refund(self, gateway_refund_id: str) -> GatewayRefund:
        return self.inner.get_refund(gateway_refund_id)


# Three providers of one household, each with its own INN: what a payment for several accounts is made of.
HOUSEHOLD = (
    ("water", "МУП «Водоканал»", "7701000001", 250_000),
    ("power", "АО «Энергосбыт»", "7702000002", 120_000),
    ("gas", "ООО «Газ-Сервис»", "7703000003", 90_000),
)


def household(engine, *, own_shops: dict[str, str] | None = None) -> dict:
    """A resident linked to three accounts of three providers (debts 2 500, 1 200 and 900 ₽), a meter on
    the water account; `own_shops` gives providers their YooKassa shop (split payments). Ids by name."""
    own_shops = own_shops or {}
    found: dict = {"providers": {}, "accounts": {}}
    with Session(engine, expire_on_commit=False) as session:
        user = make_user(session)
        for name, title, inn, debt in HOUSEHOLD:
            provider = make_provider(
                session,
                name=title,
                inn=inn,
                reading_window_start_day=1,
                reading_window_end_day=31,
                yookassa_account_id=own_shops.get(name, ""),
            )
            account = make_account(session, provider, debt_kopecks=debt, balance_as_of=dt.date(2026, 1, 1))
            session.add(AccountLink(user_id=user.id, account_id=account.id))
            found["providers"][name], found["accounts"][name] = provider.id, account.id
        found["meter"] = make_meter(session, session.get(ProviderAccount, found["accounts"]["water"])).id
        session.commit()
        found["user"], found["email"] = user.id, user.email
    return found


def debt_part(home: dict, name: str, **fields) -> payments.PartRequest:
    """The part paying one account of the household's whole debt (or, with amount_text, that sum)."""
    purpose = PaymentPurpose.custom_amount if fields.get("amount_text") else PaymentPurpose.debt
    return payments.PartRequest(account_id=home["accounts"][name], purpose=purpose, **fields)


def to_pay(engine, account_id: int) -> int:
    """The account's amount to pay now, in kopecks."""
    with Session(engine) as session:
        return balance_of(session, session.get(ProviderAccount, account_id)).to_pay_kopecks
