"""A resident's own payments: one of them, the filtered list, and the history page as it reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from cabinet import texts
from cabinet.errors import DomainError
from cabinet.models import Payment, PaymentStatus, Provider, ProviderAccount
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


def payments_of(
    session: Session,
    *,
    user_id: int,
    account_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    status: PaymentStatus | None = None,
) -> list[tuple[Payment, ProviderAccount, Provider]]:
    query = (
        select(Payment, ProviderAccount, Provider)
        .join(ProviderAccount, col(ProviderAccount.id) == Payment.account_id)
        .join(Provider, col(Provider.id) == ProviderAccount.provider_id)
        .where(Payment.user_id == user_id)
        .order_by(col(Payment.created_at).desc(), col(Payment.id).desc())
    )
    if account_id is not None:
        # An id past the column's range matches nothing, as a missing one does, instead of overflowing.
        query = query.where(Payment.account_id == (parse_id(account_id) or 0))
    if since:
        query = query.where(Payment.created_at >= since)
    if until:
        query = query.where(Payment.created_at < until)
    if status:
        query = query.where(Payment.status == status)
    return list(session.exec(query))


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
    provider: str
    account_label: str
    amount_text: str
    status: str
    status_label: str
    status_color: str


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


def history_row(payment: Payment, account: ProviderAccount, provider: Provider) -> HistoryRow:
    return HistoryRow(
        id=payment.id or 0,
        created_text=local_time_text(payment.created_at),
        provider=provider.name,
        account_label=account.number,
        amount_text=format_rubles(payment.amount_kopecks),
        status=payment.status.value,
        status_label=texts.PAYMENTS["statuses"][payment.status.value],
        status_color=STATUS_COLORS.get(payment.status, PENDING_COLOR),
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
    # The total is what reached the provider: canceled, failed and unfinished payments are not money paid.
    total = sum(payment.amount_kopecks for payment, _a, _p in found if payment.status == PaymentStatus.succeeded)
    return History(
        rows=[history_row(payment, account, provider) for payment, account, provider in found],
        accounts=accounts,
        total_text=texts.PAYMENTS["history_total"].format(amount=format_rubles(total)),
        account_filter=str(account_id) if account_id is not None else ALL,
        period_filter=period,
        status_filter=status.value if status is not None else ALL,
    )
