"""The payments CSV for accountants: a row per part of a payment, a negative row per succeeded refund."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, col, select

from cabinet.models import Payment, PaymentPart, PaymentStatus, Provider, ProviderAccount, Refund, RefundStatus, User
from cabinet.services.audit import record_event
from cabinet.services.exports import Number, csv_bytes, local_time, rubles

# A refund's row: `id` is «R» and its number, `gateway_payment_id` the refund's id at YooKassa.
HEADER = [
    "id",
    "created_at",
    "paid_at",
    "provider",
    "account",
    "amount",
    "status",
    "gateway_payment_id",
    "email",
    "kind",
    "payment_id",
    "refund_reason",
]


def export_payments(
    session: Session,
    *,
    provider_id: int | None = None,
    status: PaymentStatus | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    actor_user_id: int | None = None,
    now: dt.datetime | None = None,
    within: sa.ColumnElement[bool] | None = None,
) -> bytes:
    """Payments created in [since, until), oldest first, for accountants; every filter is optional.

    A row per part: a payment for several accounts is a row for each provider's account, so a
    provider's file holds its own money only. A succeeded refund is a row of its own, negative, with
    its id («R» and the number) and its payment's. `within` is a condition on Provider.id (a staff
    member's scope) every row must meet."""
    parts = _parts_query(provider_id=provider_id, status=status, since=since, until=until)
    refunds = _refunds_query(provider_id=provider_id, since=since, until=until)
    if within is not None:
        parts, refunds = parts.where(within), refunds.where(within)
    if actor_user_id is not None and now is not None:
        record_event(
            session=session,
            action="payments_exported",
            now=now,
            actor_user_id=actor_user_id,
            details={"provider": provider_id, "status": status.value if status else None},
            provider_id=provider_id,
        )
    rows = [
        (
            created_at,
            [Number(str(payment_id)), *_common(created_at, paid_at, rest), "payment", Number(str(payment_id)), ""],
        )
        for payment_id, created_at, paid_at, *rest in session.exec(parts)
    ]
    # Refunds are money too: shown unless the filter asks for payments that did not succeed.
    if status in (None, PaymentStatus.succeeded):
        rows += [
            (
                created_at,
                [f"R{refund_id}", *_common(created_at, refunded_at, rest), "refund", Number(str(payment_id)), reason],
            )
            for refund_id, payment_id, reason, created_at, refunded_at, *rest in session.exec(refunds)
        ]
    rows.sort(key=lambda row: row[0])
    return csv_bytes(HEADER, (row for _created, row in rows))


def _common(created_at: dt.datetime, done_at: dt.datetime | None, rest: list) -> list:
    provider, number, amount, row_status, gateway_id, email = rest
    return [
        local_time(created_at),
        local_time(done_at),
        provider,
        number,
        rubles(amount),
        row_status.value,
        gateway_id or "",
        email,
    ]


def _parts_query(
    *,
    provider_id: int | None,
    status: PaymentStatus | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
):
    """Payments' parts with their provider, account and payer, oldest first, narrowed by the filters given."""
    query = (
        select(
            Payment.id,
            Payment.created_at,
            Payment.paid_at,
            Provider.name,
            ProviderAccount.number,
            PaymentPart.amount_kopecks,
            Payment.status,
            Payment.gateway_payment_id,
            User.email,
        )
        .join(Payment, col(Payment.id) == PaymentPart.payment_id)
        .join(ProviderAccount, col(ProviderAccount.id) == PaymentPart.account_id)
        .join(Provider, col(Provider.id) == PaymentPart.provider_id)
        .join(User, col(User.id) == Payment.user_id)
        .order_by(col(Payment.created_at), col(Payment.id), col(PaymentPart.position))
    )
    if provider_id is not None:
        query = query.where(Provider.id == provider_id)
    if status is not None:
        query = query.where(Payment.status == status)
    if since is not None:
        query = query.where(Payment.created_at >= since)
    if until is not None:
        query = query.where(Payment.created_at < until)
    return query


def _refunds_query(*, provider_id: int | None, since: dt.datetime | None, until: dt.datetime | None):
    """Succeeded refunds, negative, in the same columns; the period is when the refund was asked for."""
    query = (
        select(
            Refund.id,
            Refund.payment_id,
            Refund.reason,
            Refund.created_at,
            Refund.refunded_at,
            Provider.name,
            ProviderAccount.number,
            -col(Refund.amount_kopecks),
            Refund.status,
            Refund.gateway_refund_id,
            User.email,
        )
        .join(PaymentPart, col(PaymentPart.id) == Refund.part_id)
        .join(Payment, col(Payment.id) == Refund.payment_id)
        .join(ProviderAccount, col(ProviderAccount.id) == PaymentPart.account_id)
        .join(Provider, col(Provider.id) == PaymentPart.provider_id)
        .join(User, col(User.id) == Payment.user_id)
        .where(Refund.status == RefundStatus.succeeded)
    )
    if provider_id is not None:
        query = query.where(Provider.id == provider_id)
    if since is not None:
        query = query.where(Refund.created_at >= since)
    if until is not None:
        query = query.where(Refund.created_at < until)
    return query
