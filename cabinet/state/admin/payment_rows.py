"""What /admin/payments shows, ready to lay out: the list's rows, one payment's lines, its parts and refunds."""

from __future__ import annotations

import dataclasses

from cabinet import texts
from cabinet.money import amount_field_text, format_rubles
from cabinet.services.admin import payment_detail, payments
from cabinet.services.payments.history import accounts_word
from cabinet.state.admin.lines import Line
from cabinet.state.local_time import format_local_time

# A refund's badge by its status; an unknown one shows as still in progress.
REFUND_COLORS = {"succeeded": "grass", "pending": "amber", "canceled": "gray", "failed": "red"}


@dataclasses.dataclass(frozen=True)
class AdminPaymentRow:
    id: int
    # What the row's element ids end with: the payment's id, and «-part-<part id>» for a part of a payment for
    # several accounts (the administrator sees a row per part: one payment id would name several rows).
    key: str
    created: str
    provider: str
    account: str
    payer: str
    amount: str
    status: str
    status_label: str
    # The part is one of several accounts paid at once: «часть платежа».
    several: bool = False
    # «возвращено 100,00 ₽» once money of this part came back; "" otherwise.
    refunded: str = ""


@dataclasses.dataclass(frozen=True)
class PartRow:
    """One part of the open payment: its account and what was paid, returned and is left of it."""

    id: int
    provider: str
    account: str
    amount: str
    refunded: str
    left: str
    # What is left, as the refund form's amount starts: «1 234,56», without the sign.
    left_input: str
    may_refund: bool


@dataclasses.dataclass(frozen=True)
class RefundRow:
    id: int
    created: str
    account: str
    amount: str
    status_label: str
    status_color: str
    reason: str
    requested_by: str


def status_label(status: str) -> str:
    return texts.PAYMENTS["statuses"][status]


def list_row(row: payments.PaymentRow) -> AdminPaymentRow:
    refunded = texts.ADMIN["payment_refunded"].format(amount=format_rubles(row.refunded_kopecks))
    return AdminPaymentRow(
        row.id,
        f"{row.id}-part-{row.part_id}" if row.several else str(row.id),
        format_local_time(row.created_at),
        row.provider,
        row.account,
        row.payer,
        format_rubles(row.amount_kopecks),
        row.status,
        status_label(row.status),
        several=row.several,
        refunded=refunded if row.refunded_kopecks else "",
    )


def detail_lines(detail: payment_detail.PaymentDetail) -> list[Line]:
    labels = texts.ADMIN["payment_detail"]
    # Several accounts in sight: each is in the parts' list below, not one of them here.
    account = [] if len(detail.parts) > 1 else [Line(labels["account"], f"{detail.provider} · {detail.account}")]
    return [
        Line(labels["amount"], format_rubles(detail.amount_kopecks)),
        Line(labels["status"], status_label(detail.status)),
        *account,
        Line(labels["payer"], detail.payer),
        Line(labels["created"], format_local_time(detail.created_at)),
        Line(labels["paid"], format_local_time(detail.paid_at) if detail.paid_at else "—"),
        Line(labels["gateway_id"], detail.gateway_payment_id or "—"),
        Line(labels["key"], detail.idempotency_key),
        Line(labels["reason"], detail.reason or "—"),
    ]


def whole_payment(detail: payment_detail.PaymentDetail) -> str:
    """«Весь платёж: 3 456,00 ₽ за 2 счёта» for the administrator when it pays several accounts; "" otherwise."""
    if detail.parts_total < 2 or not detail.total_kopecks:
        return ""
    return texts.ADMIN["payment_whole"].format(
        amount=format_rubles(detail.total_kopecks), count=detail.parts_total, accounts=accounts_word(detail.parts_total)
    )


def part_rows(detail: payment_detail.PaymentDetail) -> list[PartRow]:
    return [
        PartRow(
            id=part.id,
            provider=part.provider,
            account=part.account,
            amount=format_rubles(part.amount_kopecks),
            refunded=format_rubles(part.refunded_kopecks),
            left=format_rubles(part.left_kopecks),
            left_input=amount_field_text(part.left_kopecks),
            may_refund=part.may_refund,
        )
        for part in detail.parts
    ]


def refund_rows(detail: payment_detail.PaymentDetail) -> list[RefundRow]:
    statuses = texts.PAYMENTS["refund_statuses"]
    return [
        RefundRow(
            id=refund.id,
            created=format_local_time(refund.created_at),
            account=refund.account,
            amount=format_rubles(refund.amount_kopecks),
            status_label=statuses.get(refund.status, refund.status),
            status_color=REFUND_COLORS.get(refund.status, "amber"),
            reason=refund.reason,
            requested_by=refund.requested_by or "—",
        )
        for refund in detail.refunds
    ]
