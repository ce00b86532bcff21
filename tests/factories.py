"""Builders for test rows with sensible defaults; each returns the flushed object."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlmodel import Session, col, select

from cabinet.models import (
    LedgerEntry,
    Meter,
    MeterKind,
    Payment,
    PaymentPart,
    PaymentPurpose,
    PaymentStatus,
    Provider,
    ProviderAccount,
    User,
    UserRole,
)
from cabinet.services.passwords import hash_password

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
_numbers = itertools.count(1)


def make_user(
    session: Session,
    *,
    email: str | None = None,
    password: str = "secret12",
    confirmed: bool = True,
    blocked: bool = False,
    role: UserRole = UserRole.resident,
) -> User:
    email = email or f"resident{next(_numbers)}@example.com"
    user = User(
        email=email,
        email_canonical=email.lower(),
        password_hash=hash_password(password),
        confirmed_at=NOW if confirmed else None,
        is_blocked=blocked,
        role=role,
        created_at=NOW,
        updated_at=NOW,
    )
    session.add(user)
    session.flush()
    return user


def make_provider(session: Session, **overrides) -> Provider:
    values = dict(
        name=f"Поставщик {next(_numbers)}",
        inn="7707083893",
        account_pattern=r"\d{10}",
        account_format_description="10 цифр без пробелов",
        account_example="3700123456",
        created_at=NOW,
        updated_at=NOW,
    )
    values.update(overrides)
    provider = Provider(**values)
    session.add(provider)
    session.flush()
    return provider


def make_account(session: Session, provider, **overrides) -> ProviderAccount:
    values = dict(
        provider_id=provider.id,
        number=f"{next(_numbers):010d}",
        address="г. Тестов, ул. Садовая, д. 1, кв. 1",
        debt_kopecks=150000,
        balance_as_of=NOW.date().replace(day=1),
        created_at=NOW,
        updated_at=NOW,
    )
    values.update(overrides)
    account = ProviderAccount(**values)
    session.add(account)
    session.flush()
    return account


def make_meter(session: Session, account, **overrides) -> Meter:
    values = dict(account_id=account.id, kind=MeterKind.cold_water, serial=f"SN{next(_numbers):06d}")
    values.update(overrides)
    meter = Meter(**values)
    session.add(meter)
    session.flush()
    return meter


def make_payment(
    session: Session,
    user,
    accounts,
    amounts,
    *,
    status: PaymentStatus = PaymentStatus.pending,
    purpose: PaymentPurpose = PaymentPurpose.debt,
    when: dt.datetime = NOW,
    book: bool | None = None,
    **overrides,
) -> Payment:
    """A payment of one account (`accounts` an account, `amounts` kopecks) or several (two lists), with a part each.

    The user and the accounts may be rows or ids.
    A succeeded payment is booked as `_book` books it — a ledger entry per part at its paid_at — unless
    `book=False`; `book=True` books one of another status (a row left from before a status moved back).
    """
    several = isinstance(accounts, list | tuple)
    accounts = [
        account if isinstance(account, ProviderAccount) else session.get(ProviderAccount, account)
        for account in (accounts if several else [accounts])
    ]
    amounts = list(amounts) if several else [amounts]
    assert len(accounts) == len(amounts) and accounts
    values = dict(
        user_id=user if isinstance(user, int) else user.id,
        amount_kopecks=sum(amounts),
        status=status,
        idempotency_key=f"k-{next(_numbers)}",
        paid_at=when if status == PaymentStatus.succeeded else None,
        created_at=when,
        updated_at=when,
    )
    values.update(overrides)
    payment = Payment(**values)
    session.add(payment)
    session.flush()
    parts = [
        PaymentPart(
            payment_id=payment.id,
            account_id=account.id,
            provider_id=account.provider_id,
            amount_kopecks=amount,
            purpose=purpose,
            # As prepare_payment writes it: a provider with its own shop gets its part transferred there.
            transfer_account_id=session.get(Provider, account.provider_id).yookassa_account_id,
            position=position,
        )
        for position, (account, amount) in enumerate(zip(accounts, amounts, strict=True))
    ]
    session.add_all(parts)
    session.flush()
    if book if book is not None else status == PaymentStatus.succeeded:
        for part in parts:
            session.add(
                LedgerEntry(
                    account_id=part.account_id,
                    payment_id=payment.id,
                    part_id=part.id,
                    amount_kopecks=part.amount_kopecks,
                    booked_at=payment.paid_at or when,
                )
            )
        session.flush()
    return payment


def parts_of(session: Session, payment) -> list[PaymentPart]:
    """A payment's parts in their order."""
    return list(
        session.exec(
            select(PaymentPart).where(PaymentPart.payment_id == payment.id).order_by(col(PaymentPart.position))
        )
    )
