"""Fixtures the service tests share: the YooKassa and Resend stand-ins, webhook included; a home with a meter;
an operator's world."""

from __future__ import annotations

import datetime as dt

import pytest

from cabinet.models import (
    AccountLink,
    MeterReading,
    ReadingSource,
    ReadingStatus,
    ReadingWindowPolicy,
    UserRole,
)
from tests.factories import make_account, make_meter, make_payment, make_provider, make_user
from tests.stand_ins import serve_stand_ins


@pytest.fixture
def stand_in(engine):
    """The stand-ins on a free loopback port, sending notifications to our webhook; yields their URL."""
    with serve_stand_ins(engine, with_webhook=True) as base_url:
        yield base_url


@pytest.fixture
def home(session):
    """A resident with a linked account: one water meter 5.3 digits at 50 ₽ a m³, readings of 91, 94 and 97 m³
    given on the 20th of August, September and October 2026; the provider takes readings from the 15th to the
    25th, refuses them outside that window and any month's use over 50 m³."""
    provider = make_provider(
        session,
        reading_window_start_day=15,
        reading_window_end_day=25,
        reading_window_policy=ReadingWindowPolicy.block,
        consumption_cap_thousandths=50_000,
    )
    account = make_account(session, provider)
    meter = make_meter(session, account, digits_whole=5, digits_fraction=3, tariff_kopecks=5_000)
    user = make_user(session)
    session.add(AccountLink(user_id=user.id, account_id=account.id))
    for months_back, value in ((3, 91_000), (2, 94_000), (1, 97_000)):
        period = dt.date(2026, 11 - months_back, 1)
        session.add(
            MeterReading(
                meter_id=meter.id,
                user_id=user.id,
                value_thousandths=value,
                period=period,
                source=ReadingSource.resident,
                status=ReadingStatus.sent_to_provider,
                submitted_at=dt.datetime.combine(period.replace(day=20), dt.time(9, 0), tzinfo=dt.UTC),
            )
        )
    session.flush()
    return dict(provider=provider, account=account, meter=meter, user=user)


@pytest.fixture
def people(session):
    """An operator and a resident, the two sides every admin test needs."""
    return {
        "admin": make_user(session, role=UserRole.admin),
        "resident": make_user(session, email="olga.petrova@example.com"),
    }


@pytest.fixture
def ids(session, people):
    """What the admin pages look up by id: a provider with an account, an unconfirmed user, a payment."""
    provider = make_provider(session)
    account = make_account(session, provider)
    unconfirmed = make_user(session, confirmed=False)
    payment = make_payment(session, people["resident"], account, 1000, idempotency_key="k-admin")
    return {
        "provider": provider.id,
        "resident": people["resident"].id,
        "unconfirmed": unconfirmed.id,
        "payment": payment.id,
    }
