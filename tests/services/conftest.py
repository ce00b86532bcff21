"""Fixtures the service tests share: the YooKassa and Resend stand-ins, webhook included; an operator's world."""

from __future__ import annotations

import pytest

from cabinet.models import Payment, PaymentPurpose, UserRole
from tests.factories import NOW, make_account, make_provider, make_user
from tests.stand_ins import serve_stand_ins


@pytest.fixture
def stand_in(engine):
    """The stand-ins on a free loopback port, sending notifications to our webhook; yields their URL."""
    with serve_stand_ins(engine, with_webhook=True) as base_url:
        yield base_url


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
    payment = Payment(user_id=people["resident"].id, account_id=account.id, amount_kopecks=1000,
                      purpose=PaymentPurpose.debt, idempotency_key="k-admin", created_at=NOW, updated_at=NOW)
    session.add(payment)
    session.flush()
    return {"provider": provider.id, "resident": people["resident"].id, "unconfirmed": unconfirmed.id,
            "payment": payment.id}
