"""The YooKassa stand-in's refunds: never more than what is left of the payment, even when asked for at once.

A refund is checked and written while its payment's row is locked, so two refunds of one payment
queue up instead of both seeing the same «left»; a pending refund settles once, by compare-and-set.
"""

from __future__ import annotations

import json
from collections import Counter

import sqlalchemy as sa
from sqlmodel import Session, col, select

from cabinet.clock import utc_now
from cabinet.db import session_scope
from cabinet.money import kopecks_to_decimal_string
from cabinet.sandbox.models import SandboxYookassaPayment, SandboxYookassaRefund
from cabinet.sandbox.yookassa_requests import kopecks_of
from cabinet.sandbox.yookassa_store import iso, object_id

# Canceled refunds gave nothing back: only these count against what is left of a payment.
_COUNTED = ("pending", "succeeded")
_CANCELLATION = {"party": "yoo_money", "reason": "rejected_by_payee"}


class RefundRefused(Exception):
    """A refund the API refuses, with YooKassa's error: HTTP status, code, description, parameter."""

    def __init__(self, status: int, code: str, description: str, parameter: str | None = None) -> None:
        super().__init__(description)
        self.status, self.code, self.description, self.parameter = status, code, description, parameter


def _amount(kopecks: int) -> dict:
    return {"value": kopecks_to_decimal_string(kopecks), "currency": "RUB"}


def load_refund(refund_id: str) -> dict | None:
    with session_scope() as session:
        row = session.get(SandboxYookassaRefund, refund_id)
        return json.loads(row.body) if row else None


def _by_key(session: Session, idempotence_key: str) -> dict | None:
    row = session.exec(
        select(SandboxYookassaRefund).where(SandboxYookassaRefund.idempotence_key == idempotence_key)
    ).first()
    return json.loads(row.body) if row else None


def _lock_payment(session: Session, payment_id: str) -> dict | None:
    """The payment, its row locked until the transaction ends; None when there is no such payment.

    A write comes first: PostgreSQL holds the row's lock, and SQLite (whose writes are serialized)
    takes its write lock before anything is read, so what follows reads what the last refund wrote.
    """
    touched = session.execute(
        sa.update(SandboxYookassaPayment)
        .where(SandboxYookassaPayment.id == payment_id)
        .values(status=SandboxYookassaPayment.status)
    )
    if touched.rowcount != 1:
        return None
    row = session.exec(select(SandboxYookassaPayment).where(SandboxYookassaPayment.id == payment_id)).one()
    return json.loads(row.body)


def _counted_refunds(session: Session, payment_id: str) -> list[dict]:
    rows = session.exec(
        select(SandboxYookassaRefund.body).where(
            SandboxYookassaRefund.payment_id == payment_id, col(SandboxYookassaRefund.status).in_(_COUNTED)
        )
    ).all()
    return [json.loads(body) for body in rows]


def _check_refundable(payment: dict | None, earlier: list[dict], body: dict) -> None:
    if payment is None:
        # YooKassa's own answer to an unknown payment: a 400 naming the parameter, not a 404.
        raise RefundRefused(400, "invalid_request", "Payment not found or forbidden", "payment_id")
    if payment["status"] != "succeeded":
        raise RefundRefused(400, "invalid_request", "Payment is not refundable", "payment_id")
    left = kopecks_of(payment["amount"]) - sum(kopecks_of(refund["amount"]) for refund in earlier)
    if kopecks_of(body["amount"]) > left:
        raise RefundRefused(400, "invalid_request", "Refund amount exceeds what is left of the payment", "amount.value")
    transfers = {transfer["account_id"]: kopecks_of(transfer["amount"]) for transfer in payment.get("transfers", [])}
    taken = Counter()
    for refund in earlier:
        for source in refund.get("sources", []):
            taken[source["account_id"]] += kopecks_of(source["amount"])
    for source in body.get("sources", []):
        account_id = source["account_id"]
        if account_id not in transfers:
            raise RefundRefused(400, "invalid_request", "No transfer of the payment to this shop", "sources.account_id")
        if kopecks_of(source["amount"]) > transfers[account_id] - taken[account_id]:
            raise RefundRefused(
                400, "invalid_request", "Source amount exceeds the shop's transfer", "sources.amount.value"
            )


def _new_refund(body: dict, status: str) -> dict:
    refund = {
        "id": object_id("0016-5000"),
        "payment_id": body["payment_id"],
        "status": status,
        "amount": _amount(kopecks_of(body["amount"])),
        "created_at": iso(utc_now()),
    }
    if body.get("description"):
        refund["description"] = body["description"]
    if body.get("sources"):
        refund["sources"] = [
            {"account_id": source["account_id"], "amount": _amount(kopecks_of(source["amount"]))}
            for source in body["sources"]
        ]
    if body.get("receipt"):
        refund["receipt_registration"] = "pending"
    _settle(refund, status)
    return refund


def _settle(refund: dict, status: str) -> None:
    refund["status"] = status
    if "receipt_registration" in refund and status != "pending":
        refund["receipt_registration"] = status
    if status == "canceled":
        refund["cancellation_details"] = dict(_CANCELLATION)


def _record_refunded(session: Session, payment_id: str, payment: dict) -> None:
    """The payment's refunded_amount: what its succeeded refunds gave back (its row is locked)."""
    refunded = sum(
        kopecks_of(refund["amount"])
        for refund in _counted_refunds(session, payment_id)
        if refund["status"] == "succeeded"
    )
    payment["refunded_amount"] = _amount(refunded)
    session.execute(
        sa.update(SandboxYookassaPayment)
        .where(SandboxYookassaPayment.id == payment_id)
        .values(body=json.dumps(payment, ensure_ascii=False))
    )


def create_refund(body: dict, idempotence_key: str, status: str) -> tuple[dict, bool]:
    """A new refund that becomes `status`, or the one this key already made; and whether it is new.

    Raises RefundRefused when the payment cannot give that much back.
    """
    try:
        with session_scope() as session:
            payment = _lock_payment(session, body["payment_id"])
            if (existing := _by_key(session, idempotence_key)) is not None:
                return existing, False
            earlier = _counted_refunds(session, body["payment_id"])
            _check_refundable(payment, earlier, body)
            refund = _new_refund(body, status)
            session.add(
                SandboxYookassaRefund(
                    id=refund["id"],
                    idempotence_key=idempotence_key,
                    payment_id=refund["payment_id"],
                    status=status,
                    body=json.dumps(refund, ensure_ascii=False),
                )
            )
            session.flush()
            if status == "succeeded":
                _record_refunded(session, refund["payment_id"], payment)
            return refund, True
    except sa.exc.IntegrityError:
        # The same key at once for another payment (whose row was not the one locked): the first one won.
        with session_scope() as session:
            if (existing := _by_key(session, idempotence_key)) is not None:
                return existing, False
        raise


def settle_refund(refund_id: str, status: str) -> tuple[dict | None, str]:
    """Moves a pending refund to `status` once; (the refund, "") or (None, the status it already had or "")."""
    with session_scope() as session:
        row = session.get(SandboxYookassaRefund, refund_id)
        if row is None:
            return None, ""
        payment = _lock_payment(session, row.payment_id)
        # Read again under the payment's lock, which every settlement of its refunds takes first.
        session.refresh(row)
        if row.status != "pending":
            return None, row.status
        refund = json.loads(row.body)
        _settle(refund, status)
        # Compare-and-set on the status: of two settlements at once only one moves the refund.
        moved = session.execute(
            sa.update(SandboxYookassaRefund)
            .where(SandboxYookassaRefund.id == refund_id, SandboxYookassaRefund.status == "pending")
            .values(status=status, body=json.dumps(refund, ensure_ascii=False))
        )
        if moved.rowcount != 1:
            return None, "settled"  # by a settlement that did not lock the payment (its row was gone)
        if status == "succeeded" and payment is not None:
            _record_refunded(session, row.payment_id, payment)
        return refund, ""
