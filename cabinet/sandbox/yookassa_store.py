"""The YooKassa stand-in's payments: kept as YooKassa's JSON in one table, moved once by compare-and-set.

A split payment keeps its transfers, each with the payment's status.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import sqlalchemy as sa
from sqlmodel import select

from cabinet.clock import utc_now
from cabinet.db import session_scope
from cabinet.money import decimal_string_to_kopecks
from cabinet.sandbox.models import SandboxYookassaPayment
from cabinet.sandbox.yookassa_checkout import CHECKOUT_PREFIX


def iso(moment: dt.datetime) -> str:
    """A time as YooKassa writes it: UTC, milliseconds, «Z»."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def object_id(middle: str = "000f-5000") -> str:
    """Shaped like YooKassa's ids: 8-4-4-4-12 hex with a fixed middle («000f-5000» for payments)."""
    raw = uuid.uuid4().hex
    return f"{raw[:8]}-{middle}-{'89ab'[int(raw[8], 16) % 4]}{raw[9:12]}-{raw[12:24]}"


def load_payment(payment_id: str) -> dict | None:
    """The payment as stored (with our private fields), or None."""
    with session_scope() as session:
        row = session.get(SandboxYookassaPayment, payment_id)
        return json.loads(row.body) if row else None


def create_payment(body: dict, idempotence_key: str, shop_id: str, public_url: str) -> dict:
    """A new pending payment; the same Idempotence-Key again answers the payment it made."""
    with session_scope() as session:
        existing = session.exec(
            select(SandboxYookassaPayment).where(SandboxYookassaPayment.idempotence_key == idempotence_key)
        ).first()
        if existing is not None:
            return json.loads(existing.body)
        payment_id = object_id()
        payment = {
            "id": payment_id,
            "status": "pending",
            "paid": False,
            "amount": {"value": body["amount"]["value"], "currency": "RUB"},
            "description": body.get("description", ""),
            "recipient": {"account_id": shop_id, "gateway_id": "2394621"},
            "created_at": iso(utc_now()),
            "confirmation": {
                "type": "redirect",
                "return_url": body["confirmation"]["return_url"],
                "confirmation_url": f"{public_url}{CHECKOUT_PREFIX}/{payment_id}",
            },
            "test": True,
            "refundable": False,
            "metadata": body.get("metadata", {}),
            "_capture": bool(body.get("capture", False)),
        }
        if body.get("receipt"):
            payment["receipt_registration"] = "pending"
        if body.get("transfers"):
            payment["transfers"] = [
                {"account_id": part["account_id"], "amount": {"value": part["amount"]["value"], "currency": "RUB"}}
                for part in body["transfers"]
            ]
        _settle_transfers(payment)
        session.add(
            SandboxYookassaPayment(
                id=payment_id,
                idempotence_key=idempotence_key,
                status="pending",
                body=json.dumps(payment, ensure_ascii=False),
            )
        )
        return payment


def move_payment(payment_id: str, *, to: str, reason: str = "") -> dict | None:
    """Moves a payment out of pending/waiting_for_capture; None when it had already moved on."""
    with session_scope() as session:
        row = session.get(SandboxYookassaPayment, payment_id)
        if row is None or row.status not in ("pending", "waiting_for_capture"):
            return None
        payment = json.loads(row.body)
        previous = row.status
        now = utc_now()
        if to == "paid":
            payment["paid"] = True
            payment["status"] = "succeeded" if payment.get("_capture") else "waiting_for_capture"
            payment["payment_method"] = {
                "type": "bank_card",
                "id": payment_id,
                "saved": False,
                "title": "Bank card *4444",
                "card": {
                    "first6": "555555",
                    "last4": "4444",
                    "expiry_month": "12",
                    "expiry_year": "2030",
                    "card_type": "MasterCard",
                    "issuer_country": "RU",
                },
            }
            payment["authorization_details"] = {"rrn": "603668680243", "auth_code": "000000"}
            if payment["status"] == "succeeded":
                payment["captured_at"] = iso(now)
                kopecks = decimal_string_to_kopecks(payment["amount"]["value"])
                income = kopecks - round(kopecks * 0.035)
                payment["income_amount"] = {"value": f"{income // 100}.{income % 100:02d}", "currency": "RUB"}
                payment["refundable"] = True
                if "receipt_registration" in payment:
                    payment["receipt_registration"] = "succeeded"
        else:
            payment["status"] = "canceled"
            payment["paid"] = False
            payment["cancellation_details"] = {
                "party": "yoo_money" if reason != "canceled_by_merchant" else "merchant",
                "reason": reason or "expired_on_confirmation",
            }
        _settle_transfers(payment)
        # Compare-and-set on the status: of two clicks at once only one moves the payment.
        updated = session.execute(
            sa.update(SandboxYookassaPayment)
            .where(SandboxYookassaPayment.id == payment_id, SandboxYookassaPayment.status == previous)
            .values(status=payment["status"], body=json.dumps(payment, ensure_ascii=False))
        )
        return payment if updated.rowcount == 1 else None


def _settle_transfers(payment: dict) -> None:
    # Money goes to the providers' shops only with the payment: each transfer shares its status.
    for transfer in payment.get("transfers", []):
        transfer["status"] = payment["status"]


def public_view(payment: dict) -> dict:
    """The payment as the API shows it (our private fields removed)."""
    return {key: value for key, value in payment.items() if not key.startswith("_")}
