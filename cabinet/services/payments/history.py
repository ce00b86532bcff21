"""A resident's own payments: one of them, the filtered list, and the history page as it reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, col, func, select

from cabinet import texts
from cabinet.errors import DomainError
from cabinet.models import Payment, PaymentPart, PaymentStatus, Provider, ProviderAccount, Refund, RefundStatus
from cabinet.money import format_rubles
from cabinet.services.accounts import links_of
from cabinet.services.calendar import local_date, local_time_text
from cabinet.services.ids import get_by_id, parse_id
from cabinet.services.periods import period_bounds
from cabinet.services.transactions import transactional

ALL = "all"
# The badge's colour for each status; a status not named here (pending) is amber.
STATUS_COLORS = {
    PaymentStatus.succeeded: "grass",
    PaymentStatus.canceled: "gray",
    PaymentStatus.failed: "red",
    PaymentStatus.waiting_for_capture: "blue",
}
PENDING_COLOR = "amber"


def payment_of(session: Session, *, user_id: int, payment_id: int) -> Payment:
    """The resident's own payment; anyone else's is «not found»."""
    payment = get_by_id(session, Payment, payment_id)
    if payment is None or payment.user_id != user_id:
        raise DomainError("not_found")
    return payment


@dataclass(frozen=True)
class PaymentLine:
    """A payment with what it paid for (its parts, each with account and provider) and what came back of it."""

    payment: Payment
    parts: list[tuple[PaymentPart, ProviderAccount, Provider]]
    # Succeeded refunds, in total and for each part (by part id).
    refunded_kopecks: int = 0
    refunded_by_part: dict[int, int] = field(default_factory=dict)

    def amount_for(self, account_id: int | None) -> int:
        """The whole payment, or only the part of one account."""
        if account_id is None:
            return self.payment.amount_kopecks
        return sum(part.amount_kopecks for part, _a, _p in self.parts if part.account_id == account_id)

    def refunded_for(self, account_id: int | None) -> int:
        if account_id is None:
            return self.refunded_kopecks
        return sum(
            self.refunded_by_part.get(part.id or 0, 0) for part, _a, _p in self.parts if part.account_id == account_id
        )


def payments_of(
    session: Session,
    *,
    user_id: int,
    account_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    status: PaymentStatus | None = None,
) -> list[PaymentLine]:
    """The resident's payments newest first; with an account, those with a part for it."""
    query = (
        select(Payment)
        .where(Payment.user_id == user_id)
        .order_by(col(Payment.created_at).desc(), col(Payment.id).desc())
    )
    if account_id is not None:
        # An id past the column's range matches nothing, as a missing one does, instead of overflowing.
        with_account = select(PaymentPart.payment_id).where(PaymentPart.account_id == (parse_id(account_id) or 0))
        query = query.where(col(Payment.id).in_(with_account))
    if since:
        query = query.where(Payment.created_at >= since)
    if until:
        query = query.where(Payment.created_at < until)
    if status:
        query = query.where(Payment.status == status)
    found = list(session.exec(query))
    return lines_of(session, found)


def lines_of(session: Session, found: list[Payment]) -> list[PaymentLine]:
    """The payments with their parts and succeeded refunds, read in two queries whatever their number."""
    ids = [payment.id for payment in found]
    parts: dict[int, list[tuple[PaymentPart, ProviderAccount, Provider]]] = {}
    for part, account, provider in session.exec(
        select(PaymentPart, ProviderAccount, Provider)
        .join(ProviderAccount, col(ProviderAccount.id) == PaymentPart.account_id)
        .join(Provider, col(Provider.id) == PaymentPart.provider_id)
        .where(col(PaymentPart.payment_id).in_(ids))
        .order_by(col(PaymentPart.position), col(PaymentPart.id))
    ):
        parts.setdefault(part.payment_id, []).append((part, account, provider))
    refunded: dict[int, dict[int, int]] = {}
    for payment_id, part_id, amount in session.exec(
        select(Refund.payment_id, Refund.part_id, func.sum(Refund.amount_kopecks))
        .where(col(Refund.payment_id).in_(ids), Refund.status == RefundStatus.succeeded)
        .group_by(col(Refund.payment_id), col(Refund.part_id))
    ):
        refunded.setdefault(payment_id, {})[part_id] = int(amount)
    return [
        PaymentLine(
            payment,
            parts.get(payment.id or 0, []),
            sum(refunded.get(payment.id or 0, {}).values()),
            refunded.get(payment.id or 0, {}),
        )
        for payment in found
    ]


# --- the history page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilterOption:
    """An option of a filter's select: the value sent back and the label shown."""

    value: str
    label: str


@dataclass(frozen=True)
class HistoryRow:
    id: int
    created_text: str
    # One provider's name, or the several names of a payment for several accounts.
    provider: str
    account_label: str
    amount_text: str
    status: str
    status_label: str
    status_color: str
    # «Возврат 123,45 ₽» once money came back; "" otherwise.
    refund_text: str = ""
    # «2 счёта в одном платеже»; "" for one account.
    parts_text: str = ""


@dataclass(frozen=True)
class History:
    rows: list[HistoryRow]
    accounts: list[FilterOption]
    total_text: str
    # The filters as applied: a value that is not an option reads as «all».
    account_filter: str
    period_filter: str
    status_filter: str


def _status_filter(value: str) -> PaymentStatus | None:
    try:
        return PaymentStatus(value)
    except ValueError:
        return None


def parts_label(count: int) -> str:
    """«2 счёта в одном платеже» for a payment of several accounts; "" for one."""
    if count < 2:
        return ""
    return texts.PAYMENTS["history_parts"].format(count=count, accounts=accounts_word(count))


def accounts_word(count: int) -> str:
    """«счёт», «счёта» or «счетов» after a number, as Russian wants it."""
    forms = texts.PAYMENTS["accounts_word"]
    if count % 10 == 1 and count % 100 != 11:
        return forms[0]
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return forms[1]
    return forms[2]


def refund_label(kopecks: int) -> str:
    return texts.PAYMENTS["refund_line"].format(amount=format_rubles(kopecks)) if kopecks else ""


def history_row(line: PaymentLine) -> HistoryRow:
    payment = line.payment
    providers = list(dict.fromkeys(provider.name for _part, _account, provider in line.parts))
    return HistoryRow(
        id=payment.id or 0,
        created_text=local_time_text(payment.created_at),
        provider=", ".join(providers),
        account_label=", ".join(account.number for _part, account, _provider in line.parts),
        amount_text=format_rubles(payment.amount_kopecks),
        status=payment.status.value,
        status_label=texts.PAYMENTS["statuses"][payment.status.value],
        status_color=STATUS_COLORS.get(payment.status, PENDING_COLOR),
        refund_text=refund_label(line.refunded_kopecks),
        parts_text=parts_label(len(line.parts)),
    )


@transactional()
def history(
    *, session: Session, user_id: int, account_filter: str, period_filter: str, status_filter: str, now: dt.datetime
) -> History:
    """The history page: the resident's payments under the filters, and what of them was paid."""
    accounts = [FilterOption(ALL, texts.PAYMENTS["history_filter_all_accounts"])] + [
        FilterOption(str(account.id), f"{link.nickname or provider.name} · {account.number}")
        for link, account, provider in links_of(session=session, user_id=user_id)
    ]
    account_id = parse_id(account_filter)
    period = period_filter if period_filter in texts.PAYMENTS["history_periods"] else ALL
    status = _status_filter(status_filter)
    since, until = period_bounds(period, local_date(now))
    found = payments_of(session, user_id=user_id, account_id=account_id, since=since, until=until, status=status)
    # The total is what reached the providers and stayed there: canceled, failed and unfinished payments
    # are not money paid, and refunds came back. With an account chosen, only that account's parts count.
    total = sum(
        line.amount_for(account_id) - line.refunded_for(account_id)
        for line in found
        if line.payment.status == PaymentStatus.succeeded
    )
    return History(
        rows=[history_row(line) for line in found],
        accounts=accounts,
        total_text=texts.PAYMENTS["history_total"].format(amount=format_rubles(total)),
        account_filter=str(account_id) if account_id is not None else ALL,
        period_filter=period,
        status_filter=status.value if status is not None else ALL,
    )
