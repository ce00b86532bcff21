"""No needless work per open tab (#18): however many tabs poll a payment, YooKassa is asked once per interval.

Each "tab" is a thread calling `check_payment` — what every open /payments/<id> does every 2 s — at the
same instant; the real adapter talks to the stand-in and counts its reads.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlmodel import Session

from cabinet.models import AccountLink, Payment, PaymentStatus, UserRole
from cabinet.services import payments
from cabinet.services.admin import payment_detail
from tests.factories import NOW, make_account, make_payment, make_provider, make_user
from tests.paying import CountingGateway, DownGateway, checkout, fault, request_of, resident_with_debt

TABS = 10
INTERVAL = payments.GATEWAY_CHECK_INTERVAL


@pytest.fixture
def resident(engine, stand_in):
    return resident_with_debt(engine)


def _tabs(*, user_id: int, payment_id: int, now: dt.datetime, gateway) -> list[payments.PaymentView]:
    """TABS status pages polling the payment at once; what each shows."""
    start = threading.Barrier(TABS)
    views: list[payments.PaymentView] = []
    failures: list[Exception] = []

    def tab() -> None:
        start.wait()
        try:
            views.append(payments.check_payment(user_id=user_id, payment_id=payment_id, now=now, gateway=gateway))
        except Exception as error:  # reported below: a thread's exception would otherwise be lost
            failures.append(error)

    threads = [threading.Thread(target=tab) for _ in range(TABS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == [] and len(views) == TABS
    return views


def test_ten_tabs_ask_yookassa_once_per_interval_and_never_once_the_payment_is_settled(resident, stand_in):
    fault(stand_in, drop_notifications=True, count=0)
    payment = payments.pay(request_of(resident))
    gateway = CountingGateway()
    poll = dict(user_id=resident["user"], payment_id=payment.id, gateway=gateway)

    views = _tabs(now=NOW, **poll)
    assert gateway.reads == 1
    assert {view.status for view in views} == {"pending"} and all(view.awaiting for view in views)

    _tabs(now=NOW + INTERVAL - dt.timedelta(seconds=1), **poll)
    assert gateway.reads == 1  # every tab read our database instead

    _tabs(now=NOW + INTERVAL, **poll)
    assert gateway.reads == 2

    # The notification arrives (the stand-in's checkout sends it to our webhook): the tabs learn it from our
    # database, within the interval, without asking YooKassa.
    fault(stand_in, count=0)
    checkout(payment, "pay")
    views = _tabs(now=NOW + INTERVAL + dt.timedelta(seconds=1), **poll)
    assert {view.status for view in views} == {"succeeded"} and not any(view.awaiting for view in views)
    _tabs(now=NOW + dt.timedelta(hours=1), **poll)
    assert gateway.reads == 2


def test_a_tab_that_asked_while_the_notification_was_lost_shows_the_answer_to_the_others(engine, resident, stand_in):
    fault(stand_in, drop_notifications=True, count=0)
    payment = payments.pay(request_of(resident))
    gateway = CountingGateway()
    poll = dict(user_id=resident["user"], payment_id=payment.id, gateway=gateway)
    _tabs(now=NOW, **poll)
    checkout(payment, "pay")  # paid, but no notification reaches us

    views = _tabs(now=NOW + INTERVAL, **poll)
    # One tab asked and booked it; the others, finding the claim taken, read the payment as it was before
    # or after that tab's write — and on their next poll all of them show it.
    assert gateway.reads == 2 and "succeeded" in {view.status for view in views}
    views = _tabs(now=NOW + INTERVAL + dt.timedelta(seconds=2), **poll)
    assert {view.status for view in views} == {"succeeded"} and gateway.reads == 2


def test_reconciliation_is_not_held_back_by_a_tabs_claim(resident, stand_in):
    """Reconciliation runs once a minute in one worker and by hand; it reads every payment it picks, now."""
    fault(stand_in, drop_notifications=True, count=0)
    payment = payments.pay(request_of(resident))
    gateway, now = CountingGateway(), payment.created_at + dt.timedelta(seconds=1)
    _tabs(user_id=resident["user"], payment_id=payment.id, now=now, gateway=gateway)
    assert gateway.reads == 1
    report = payments.reconcile(older_than=dt.timedelta(0), now=now, gateway=gateway)
    assert (report.checked, gateway.reads) == (1, 2)


def test_the_operators_check_at_yookassa_is_not_held_back_by_a_tabs_claim(engine, resident, stand_in):
    """«Проверить в ЮKassa» is a person asking for YooKassa's answer this instant: it always asks."""
    fault(stand_in, drop_notifications=True, count=0)
    payment = payments.pay(request_of(resident))
    with Session(engine) as session:
        operator = make_user(session, role=UserRole.admin).id
        session.commit()
    gateway, now = CountingGateway(), payment.created_at + dt.timedelta(seconds=1)
    _tabs(user_id=resident["user"], payment_id=payment.id, now=now, gateway=gateway)
    checkout(payment, "pay")  # no notification comes
    checked = payment_detail.check_at_gateway(actor_id=operator, payment_id=payment.id, now=now, gateway=gateway)
    assert (checked.changed, checked.status, gateway.reads) == (True, "succeeded", 2)


@pytest.fixture
def waiting(app_database, session):
    """A resident's payment YooKassa knows, still pending; (user id, payment id)."""
    account = make_account(session, make_provider(session))
    user = make_user(session)
    session.add(AccountLink(user_id=user.id, account_id=account.id))
    payment = make_payment(session, user, account, 10_000, gateway_payment_id="2f0b0d1e-000f-5000-9000-1b2c3d4e5f60")
    session.commit()
    return user.id, payment.id


def test_a_gateway_error_holds_the_claim_for_one_interval_and_no_longer(waiting):
    user_id, payment_id = waiting
    down = CountingGateway(DownGateway())
    poll = dict(user_id=user_id, payment_id=payment_id, gateway=down)

    assert _tabs(now=NOW, **poll)[0].awaiting  # YooKassa away: the page shows what is known
    assert down.reads == 1
    _tabs(now=NOW + INTERVAL - dt.timedelta(microseconds=1), **poll)
    assert down.reads == 1  # ten tabs do not hammer a gateway that is down
    _tabs(now=NOW + INTERVAL, **poll)
    assert down.reads == 2  # and it is asked again once the interval is over


@pytest.mark.parametrize(
    ("status", "gateway_id", "claimed"),
    [
        (PaymentStatus.pending, "gw-1", True),
        (PaymentStatus.waiting_for_capture, "gw-1", True),
        (PaymentStatus.pending, None, False),  # never reached YooKassa: nothing to ask
        (PaymentStatus.failed, None, False),
        (PaymentStatus.succeeded, "gw-1", False),  # settled: nothing will change it
        (PaymentStatus.canceled, "gw-1", False),
    ],
)
def test_only_a_payment_yookassa_may_still_move_is_claimed(engine, session, status, gateway_id, claimed):
    account = make_account(session, make_provider(session))
    payment = make_payment(session, make_user(session), account, 10_000, status=status, gateway_payment_id=gateway_id)
    session.commit()
    assert payments.claim_gateway_check(session, payment_id=payment.id, now=NOW) is claimed
    session.commit()
    with Session(engine) as other:
        assert other.get(Payment, payment.id).gateway_checked_at == (NOW if claimed else None)
