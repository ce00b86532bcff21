"""The dashboard's figures: amount to pay after payments, penalty, overpayment, last payment, meters."""

from __future__ import annotations

import datetime as dt

import pytest

from cabinet.errors import DomainError
from cabinet.models import AccountLink, Payment, PaymentStatus
from cabinet.services import dashboard
from tests.factories import make_account, make_meter, make_payment, make_provider, make_user

AS_OF = dt.date(2026, 11, 1)
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def linked(session):
    provider = make_provider(session)
    account = make_account(session, provider, debt_kopecks=250_000, penalty_kopecks=12_000, balance_as_of=AS_OF)
    user = make_user(session)
    session.add(AccountLink(user_id=user.id, account_id=account.id, nickname="Дача"))
    session.flush()
    return user, account


def _paid(session, user, account, kopecks: int, moment: dt.datetime) -> Payment:
    return make_payment(session, user, account, kopecks, status=PaymentStatus.succeeded, when=moment)


def test_payments_from_the_as_of_day_on_lower_the_amount_to_pay(session, linked):
    user, account = linked
    # 31 October 23:30 Moscow is before the registry's opening balance of 1 November: counted in it.
    _paid(session, user, account, 50_000, dt.datetime(2026, 10, 31, 20, 30, tzinfo=dt.UTC))
    # 1 November 00:30 Moscow is the as-of day itself: the registry does not know of it yet.
    _paid(session, user, account, 100_000, dt.datetime(2026, 10, 31, 21, 30, tzinfo=dt.UTC))
    balance = dashboard.balance_of(session, account)
    assert (balance.to_pay_kopecks, balance.paid_since_kopecks, balance.penalty_kopecks) == (150_000, 100_000, 12_000)


def test_penalty_is_the_last_part_settled_and_overpayment_shows(session, linked):
    user, account = linked
    _paid(session, user, account, 245_000, dt.datetime(2026, 11, 5, tzinfo=dt.UTC))
    assert dashboard.balance_of(session, account).penalty_kopecks == 5_000
    _paid(session, user, account, 10_000, dt.datetime(2026, 11, 6, tzinfo=dt.UTC))
    balance = dashboard.balance_of(session, account)
    assert (balance.to_pay_kopecks, balance.overpaid_kopecks, balance.penalty_kopecks) == (-5_000, 5_000, 0)


def test_registry_overpayment(session):
    account = make_account(session, make_provider(session), debt_kopecks=-30_000, balance_as_of=AS_OF)
    assert dashboard.balance_of(session, account).overpaid_kopecks == 30_000


def test_card_shows_last_payment_meters_and_nickname(session, linked):
    user, account = linked
    make_meter(session, account, verified_until=TODAY + dt.timedelta(days=30))
    _paid(session, user, account, 1_000, dt.datetime(2026, 11, 3, tzinfo=dt.UTC))
    latest = _paid(session, user, account, 2_000, dt.datetime(2026, 11, 9, tzinfo=dt.UTC))
    (card,) = dashboard.dashboard_cards(session, user_id=user.id, today=TODAY)
    assert (card.nickname, card.number, card.last_payment.amount_kopecks) == ("Дача", account.number, 2_000)
    assert card.last_payment.paid_at == latest.paid_at
    assert len(card.meters) == 1 and card.window.is_open


@pytest.mark.parametrize(("days", "state"), [(-1, "expired"), (0, "soon"), (60, "soon"), (61, "ok")])
def test_verification_flag(days, state):
    assert dashboard.verification_state(TODAY + dt.timedelta(days=days), TODAY) == state
    assert dashboard.verification_state(None, TODAY) == "unknown"


def test_monthly_payments_cover_twelve_months_with_zeros(session, linked):
    user, account = linked
    _paid(session, user, account, 3_000, dt.datetime(2026, 11, 5, tzinfo=dt.UTC))
    _paid(session, user, account, 4_000, dt.datetime(2026, 6, 5, tzinfo=dt.UTC))
    series = dashboard.monthly_payments(session, account.id, TODAY)
    assert len(series) == 12 and series[0][0] == dt.date(2025, 12, 1)
    assert dict(series)[dt.date(2026, 11, 1)] == 3_000 and dict(series)[dt.date(2026, 6, 1)] == 4_000
    assert sum(amount for _month, amount in series) == 7_000


def test_another_residents_account_is_not_found(session, linked):
    _user, account = linked
    stranger = make_user(session)
    with pytest.raises(DomainError) as raised:
        dashboard.card_for(session, user_id=stranger.id, account_id=account.id, today=TODAY)
    assert raised.value.code == "not_found"


def test_only_succeeded_payments_lower_the_amount_to_pay(session, linked):
    """Money not yet taken (pending, waiting_for_capture) or never taken (canceled, failed) is still owed."""
    user, account = linked
    moment = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
    for status in (
        PaymentStatus.pending,
        PaymentStatus.waiting_for_capture,
        PaymentStatus.canceled,
        PaymentStatus.failed,
    ):
        make_payment(session, user, account, 70_000, status=status, when=moment)
    balance = dashboard.balance_of(session, account)
    assert (balance.to_pay_kopecks, balance.paid_since_kopecks, balance.penalty_kopecks) == (250_000, 0, 12_000)
    assert dashboard.last_payment(session, account.id) is None
    assert sum(amount for _month, amount in dashboard.monthly_payments(session, account.id, TODAY)) == 0

    # The first of November (Moscow) is the registry's as-of day: a success on it is subtracted.
    _paid(session, user, account, 30_000, dt.datetime(2026, 10, 31, 21, 0, tzinfo=dt.UTC))
    balance = dashboard.balance_of(session, account)
    assert (balance.to_pay_kopecks, balance.paid_since_kopecks) == (220_000, 30_000)
    (card,) = dashboard.dashboard_cards(session, user_id=user.id, today=TODAY)
    assert card.balance.to_pay_kopecks == 220_000 and card.last_payment.amount_kopecks == 30_000
