"""Builders for test rows with sensible defaults; each returns the flushed object."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlmodel import Session

from cabinet.models import Meter, MeterKind, Provider, ProviderAccount, User, UserRole
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
