"""What a resident sees on the dashboard: per linked account, what is owed now, meters, the window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cabinet.errors import DomainError
from cabinet.models import (
    AccountLink,
    LedgerEntry,
    Payment,
    PaymentPart,
    PaymentStatus,
    Provider,
    ProviderAccount,
    ReadingWindowPolicy,
)
from cabinet.services.accounts import links_of
from cabinet.services.calendar import add_months, local_date, month_start, start_of_local_day
from cabinet.services.ids import parse_id
from cabinet.services.reading_history import MeterSummary, meters_of, summarize_meter
from cabinet.services.reading_rules import WindowState, window_state

# Meters whose verification ends this soon are flagged so the resident books it in time.
VERIFICATION_WARNING_DAYS = 60


@dataclass(frozen=True)
class Balance:
    """The registry's figures brought up to date with the payments made since."""

    to_pay_kopecks: int
    penalty_kopecks: int
    registry_debt_kopecks: int
    paid_since_kopecks: int
    as_of: dt.date

    @property
    def overpaid_kopecks(self) -> int:
        return max(0, -self.to_pay_kopecks)


def paid_since_registry(session: Session, account: ProviderAccount) -> int:
    """Money booked from the registry's as-of day on: the registry does not know of it yet."""
    # A registry's debt «на 01.12» is the balance at the start of that day (the opening balance
    # on a receipt). Money paid here on the day itself reaches the provider days later, so it is
    # subtracted: otherwise a resident who pays on the as-of day still sees the debt and pays twice.
    since = start_of_local_day(account.balance_as_of)
    total = session.exec(_PAID_SINCE, params={"account_id": account.id, "since": since}).one()
    return int(total)


# Built once, run on every dashboard opening (see reading_history._METERS_OF_ACCOUNT).
_PAID_SINCE = select(func.coalesce(func.sum(LedgerEntry.amount_kopecks), 0)).where(
    LedgerEntry.account_id == sa.bindparam("account_id"), LedgerEntry.booked_at >= sa.bindparam("since")
)
# The account's own part of its newest succeeded payment (a payment may pay several accounts).
_LAST_SUCCEEDED_PAYMENT = (
    select(PaymentPart.amount_kopecks, Payment.paid_at, Payment.updated_at)
    .join(Payment, col(Payment.id) == PaymentPart.payment_id)
    .where(PaymentPart.account_id == sa.bindparam("account_id"), Payment.status == PaymentStatus.succeeded)
    .order_by(col(Payment.paid_at).desc(), col(Payment.id).desc())
    .limit(1)
)
_LEDGER_SINCE = select(LedgerEntry.booked_at, LedgerEntry.amount_kopecks).where(
    LedgerEntry.account_id == sa.bindparam("account_id"), LedgerEntry.booked_at >= sa.bindparam("since")
)


def balance_of(session: Session, account: ProviderAccount) -> Balance:
    paid = paid_since_registry(session, account)
    to_pay = account.debt_kopecks - paid
    return Balance(
        to_pay_kopecks=to_pay,
        # Payments settle the penalty last, as providers book them.
        penalty_kopecks=max(0, min(account.penalty_kopecks, to_pay)),
        registry_debt_kopecks=account.debt_kopecks,
        paid_since_kopecks=paid,
        as_of=account.balance_as_of,
    )


@dataclass(frozen=True)
class LastPayment:
    amount_kopecks: int
    paid_at: dt.datetime


def last_payment(session: Session, account_id: int) -> LastPayment | None:
    found = session.exec(_LAST_SUCCEEDED_PAYMENT, params={"account_id": account_id}).first()
    if found is None:
        return None
    amount, paid_at, updated_at = found
    return LastPayment(amount, paid_at or updated_at)


def monthly_payments(session: Session, account_id: int, today: dt.date, months: int = 12) -> list[tuple[dt.date, int]]:
    """(month, sum paid) for the last `months` months, oldest first, zero months included."""
    first = add_months(month_start(today), -(months - 1))
    entries = session.exec(_LEDGER_SINCE, params={"account_id": account_id, "since": start_of_local_day(first)}).all()
    sums = {add_months(first, offset): 0 for offset in range(months)}
    for booked_at, amount in entries:
        sums[month_start(local_date(booked_at))] += amount
    return sorted(sums.items())


def verification_state(verified_until: dt.date | None, today: dt.date) -> str:
    """«expired», «soon» (within 60 days) or «ok»; «unknown» when the registry does not say."""
    if verified_until is None:
        return "unknown"
    if verified_until < today:
        return "expired"
    if (verified_until - today).days <= VERIFICATION_WARNING_DAYS:
        return "soon"
    return "ok"


@dataclass(frozen=True)
class MetersCard:
    """An account as its readings form shows it: whose and where, its meters and the window; no money."""

    account_id: int
    provider_id: int
    provider_name: str
    number: str
    nickname: str
    address: str
    meters: list[MeterSummary]
    window: WindowState
    # Outside the window readings are refused (True) or taken with a warning (False).
    window_blocks: bool
    unavailable_message: str
    support_email: str


@dataclass(frozen=True)
class AccountCard(MetersCard):
    """The whole card: the meters and what is owed and paid."""

    balance: Balance
    last_payment: LastPayment | None


def meters_card(
    session: Session, *, account: ProviderAccount, provider: Provider, nickname: str, today: dt.date
) -> MetersCard:
    assert account.id is not None and provider.id is not None
    window = window_state(provider, today)
    return MetersCard(
        account_id=account.id,
        provider_id=provider.id,
        provider_name=provider.name,
        number=account.number,
        nickname=nickname,
        address=account.address,
        meters=[summarize_meter(session, meter, window.window) for meter in meters_of(session, account)],
        window=window,
        window_blocks=provider.reading_window_policy == ReadingWindowPolicy.block,
        unavailable_message=provider.unavailable_message,
        support_email=provider.support_email,
    )


def account_card(
    session: Session, *, account: ProviderAccount, provider: Provider, nickname: str, today: dt.date
) -> AccountCard:
    card = meters_card(session, account=account, provider=provider, nickname=nickname, today=today)
    return AccountCard(
        **{field.name: getattr(card, field.name) for field in fields(card)},
        balance=balance_of(session, account),
        last_payment=last_payment(session, card.account_id),
    )


def dashboard_cards(session: Session, *, user_id: int, today: dt.date) -> list[AccountCard]:
    return [
        account_card(session, account=account, provider=provider, nickname=link.nickname, today=today)
        for link, account, provider in links_of(session=session, user_id=user_id)
    ]


def _linked(session: Session, *, user_id: int, account_id: int) -> tuple[AccountLink, ProviderAccount, Provider]:
    """One of the resident's accounts; «not found» unless linked."""
    # The resident's own list: one query, and another resident's account is simply not in it.
    account_id = parse_id(account_id)
    for link, account, provider in links_of(session=session, user_id=user_id):
        if account_id is not None and account.id == account_id:
            return link, account, provider
    raise DomainError("not_found")


def card_for(session: Session, *, user_id: int, account_id: int, today: dt.date) -> AccountCard:
    """One account's whole card, for its payment page; «not found» unless linked."""
    link, account, provider = _linked(session, user_id=user_id, account_id=account_id)
    return account_card(session, account=account, provider=provider, nickname=link.nickname, today=today)


def meters_card_for(session: Session, *, user_id: int, account_id: int, today: dt.date) -> MetersCard:
    """One account's meters, for its readings form (two queries fewer than the card); «not found» unless linked."""
    link, account, provider = _linked(session, user_id=user_id, account_id=account_id)
    return meters_card(session, account=account, provider=provider, nickname=link.nickname, today=today)
