"""Refunds of a part of a paid payment (#17), with the real SDK against the stand-in: bounded by the part, once per
form, a negative ledger entry once whoever brings the news, lost answers and notifications recovered."""

from __future__ import annotations

import collections
import datetime as dt
import json
import threading
import uuid

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cabinet import texts
from cabinet.errors import DomainError
from cabinet.gateways import yookassa as yookassa_gateway
from cabinet.models import (
    AuditEvent,
    NotificationOutcome,
    OutgoingEmail,
    PaymentFailure,
    PaymentStatus,
    ProviderAccount,
    Refund,
    RefundStatus,
    UserRole,
)
from cabinet.money import format_rubles
from cabinet.sandbox.models import SandboxYookassaRefund
from cabinet.services import payments
from cabinet.services.admin import payment_detail, refunds
from tests.factories import NOW, make_account, make_payment, make_provider, make_user, parts_of
from tests.paying import count, fault, to_pay
from tests.recording_hop import recording_hop
from tests.refunding import (
    negative_entries,
    paid_household,
    pending_at_the_gateway,
    refund_of,
    refund_row,
    result_words,
    settle_at_the_stand_in,
)


@pytest.fixture
def paid(engine, stand_in):
    return paid_household(engine)


def _refused(paid: dict, part: str, amount: str) -> DomainError:
    with pytest.raises(DomainError) as raised:
        refund_of(paid, part, amount)
    return raised.value


def test_partial_refunds_up_to_the_part_and_no_further(engine, paid):
    water = paid["accounts"]["water"]
    first = refund_of(paid, "water", "1000")
    assert (first.status, first.message) == ("succeeded", result_words("succeeded", 100_000))
    too_much = _refused(paid, "water", "1500,01")
    assert (too_much.code, too_much.field, too_much.params["max"]) == (
        "refund_amount_range",
        "refund_amount",
        format_rubles(150_000),
    )
    second = refund_of(paid, "water", "1500")
    assert _refused(paid, "water", "0,01").code == "refund_nothing_left"
    assert negative_entries(engine) == [(first.refund_id, -100_000), (second.refund_id, -150_000)]
    assert to_pay(engine, water) == 250_000  # the whole part came back: the debt is owed again
    assert count(engine, SandboxYookassaRefund) == 2


def test_a_part_of_a_payment_for_several_accounts_is_refunded_within_that_part(engine, paid, stand_in):
    assert (error := _refused(paid, "power", "700,01")).code == "refund_amount_range"
    assert error.params["max"] == format_rubles(70_000)
    with recording_hop(stand_in) as seen:
        power = refund_of(paid, "power", "700")
    assert power.status == "succeeded" and _refused(paid, "power", "1").code == "refund_nothing_left"
    (sent,) = [request["json"] for request in seen if request["method"] == "POST"]
    # The power part went to the provider's own shop, so its money comes back from there.
    assert sent["sources"] == [{"account_id": "456789", "amount": {"value": "700.00", "currency": "RUB"}}]
    assert [item["amount"]["value"] for item in sent["receipt"]["items"]] == ["700.00"]
    with Session(engine) as session:
        shown = payment_detail.payment_detail(session=session, actor_id=paid["admin"], payment_id=paid["payment"])
    assert [(p.amount_kopecks, p.refunded_kopecks, p.left_kopecks, p.may_refund) for p in shown.parts] == [
        (250_000, 0, 250_000, True),
        (70_000, 70_000, 0, False),
    ]
    assert (to_pay(engine, paid["accounts"]["power"]), to_pay(engine, paid["accounts"]["water"])) == (120_000, 0)


def test_the_same_form_twice_is_one_refund(engine, paid):
    first, second = (refund_of(paid, "water", "100", key="refund-form-1") for _ in range(2))
    assert first == second
    assert [count(engine, model) for model in (Refund, SandboxYookassaRefund)] == [1, 1]
    assert negative_entries(engine) == [(first.refund_id, -10_000)]


def test_fifty_refunds_at_once_never_exceed_the_part(engine):
    with Session(engine, expire_on_commit=False) as session:
        account = make_account(session, make_provider(session))
        payment = make_payment(
            session, make_user(session), account, 10_000, status=PaymentStatus.succeeded, gateway_payment_id="gw-race"
        )
        admin, part = make_user(session, role=UserRole.admin), parts_of(session, payment)[0]
        session.commit()
    start = threading.Barrier(50)
    outcomes: list[str] = []

    def ask(number: int) -> None:
        start.wait()
        with Session(engine) as session:
            try:
                refunds.refund_part(
                    session=session,
                    actor_id=admin.id,
                    payment_id=payment.id,
                    part_id=part.id,
                    amount_text="30",
                    reason="Оплачено дважды",
                    request_key=f"race-{number}",
                    now=NOW,
                )
                session.commit()
                outcomes.append("written")
            except DomainError as error:
                outcomes.append(error.code)
            except sa.exc.OperationalError:
                outcomes.append("locked")  # SQLite's one writer: contention may refuse a request outright

    threads = [threading.Thread(target=ask, args=(number,)) for number in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    with Session(engine) as session:
        held = session.exec(
            select(func.coalesce(func.sum(Refund.amount_kopecks), 0)).where(
                col(Refund.status).in_(("pending", "succeeded"))
            )
        ).one()
    assert held <= part.amount_kopecks and held == 3_000 * outcomes.count("written")
    if engine.dialect.name == "postgresql":
        # Each request waits for the one before it: three fit, every other is told what is left.
        assert collections.Counter(outcomes) == {"written": 3, "refund_amount_range": 47}
    else:
        assert len(outcomes) == 50 and set(outcomes) <= {"written", "refund_amount_range", "locked"}


def test_a_succeeded_refund_is_booked_once_written_to_the_resident_and_journaled(engine, paid):
    before = to_pay(engine, paid["accounts"]["water"])
    result = refund_of(paid, "water", "250", actor="operator", reason="Ошибка в расчёте")
    assert to_pay(engine, paid["accounts"]["water"]) == before + 25_000
    refund = refund_row(engine, result.refund_id)
    applied = payments.apply_refund_state(
        refund_id=refund.id, gateway_refund=yookassa_gateway.get_refund(refund.gateway_refund_id)
    )
    assert applied is False and negative_entries(engine) == [(refund.id, -25_000)]  # the same news again books nothing
    subject = texts.LETTERS["refund_succeeded"]["subject"].format(amount=format_rubles(25_000))
    with Session(engine) as session:
        (letter,) = session.exec(select(OutgoingEmail).where(OutgoingEmail.subject == subject)).all()
        number = session.get(ProviderAccount, paid["accounts"]["water"]).number
        events = session.exec(
            select(AuditEvent).where(col(AuditEvent.action).startswith("refund_")).order_by(col(AuditEvent.id))
        ).all()
    assert letter.to_address == paid["email"] and "Ошибка в расчёте" in letter.text_body and number in letter.text_body
    assert [(e.action, e.actor_user_id, e.provider_id, e.target_id) for e in events] == [
        ("refund_requested", paid["operator"], paid["providers"]["water"], str(paid["payment"])),
        ("refund_succeeded", None, paid["providers"]["water"], str(paid["payment"])),
    ]
    assert json.loads(events[0].details) == {
        "amount": 25_000,
        "account": paid["accounts"]["water"],
        "refund": refund.id,
        "reason": "Ошибка в расчёте",
    }


def test_duplicated_and_reordered_refund_notifications_change_nothing_the_second_time(engine, paid, stand_in):
    refund = pending_at_the_gateway(engine, paid, stand_in, "300")
    settled = settle_at_the_stand_in(stand_in, refund, "succeed")
    succeeded = json.dumps({"type": "notification", "event": "refund.succeeded", "object": settled})
    canceled = json.dumps(
        {"type": "notification", "event": "refund.canceled", "object": settled | {"status": "canceled"}}
    )
    answers = [
        payments.handle_notification(body, source_address="185.71.76.3") for body in (succeeded, succeeded, canceled)
    ]
    assert [(a.http_status, a.outcome, a.outcome_status) for a in answers] == [
        (200, NotificationOutcome.moved, "refund_succeeded"),
        (200, NotificationOutcome.unchanged, "refund_succeeded"),
        (200, NotificationOutcome.unchanged, "refund_succeeded"),  # the API, asked, still says succeeded
    ]
    assert refund_row(engine, refund.id).status == RefundStatus.succeeded
    assert negative_entries(engine) == [(refund.id, -30_000)]
    assert count(engine, AuditEvent, AuditEvent.action == "refund_succeeded") == 1
    assert count(engine, AuditEvent, AuditEvent.action == "refund_canceled") == 0


@pytest.mark.parametrize(
    ("action", "status", "booked"),
    [("succeed", RefundStatus.succeeded, True), ("cancel", RefundStatus.canceled, False)],
)
def test_a_lost_refund_notification_is_recovered_by_reconciliation(engine, paid, stand_in, action, status, booked):
    refund = pending_at_the_gateway(engine, paid, stand_in, "2500")
    settle_at_the_stand_in(stand_in, refund, action)
    assert refund_row(engine, refund.id).status == RefundStatus.pending  # settled at YooKassa; nobody told us
    report = payments.reconcile(older_than=dt.timedelta(0))
    assert (report.checked, report.changed, report.errors) == (1, 1, 0)
    assert refund_row(engine, refund.id).status == status
    assert negative_entries(engine) == ([(refund.id, -250_000)] if booked else [])
    assert payments.reconcile(older_than=dt.timedelta(0)).checked == 0
    if not booked:  # a canceled refund returned nothing: the whole part may be refunded again
        fault(stand_in, count=0)
        assert refund_of(paid, "water", "2500").status == "succeeded"


def test_a_gateway_timeout_leaves_the_refund_pending_and_reconciliation_sends_it_again_with_its_key(
    engine, paid, stand_in, monkeypatch
):
    monkeypatch.setattr(yookassa_gateway, "CALL_TIMEOUT_SECONDS", 1)
    fault(stand_in, delay_seconds=2.5, count=1)
    result = refund_of(paid, "water", "400")
    refund = refund_row(engine, result.refund_id)
    assert (refund.status, refund.gateway_refund_id, refund.failure_code) == (
        RefundStatus.pending,
        None,
        PaymentFailure.timeout,
    )
    threading.Event().wait(2.5)  # the slow create finishes at the stand-in meanwhile
    report = payments.reconcile(older_than=dt.timedelta(0))
    assert (report.checked, report.changed, report.errors) == (1, 1, 0)
    with Session(engine) as session:
        (at_gateway,) = session.exec(select(SandboxYookassaRefund)).all()
    refund = refund_row(engine, result.refund_id)
    assert (refund.status, refund.gateway_refund_id) == (RefundStatus.succeeded, at_gateway.id)
    assert at_gateway.idempotence_key == refund.idempotency_key
    assert negative_entries(engine) == [(refund.id, -40_000)]


def test_a_rejected_refund_fails_and_its_money_may_be_refunded_again(engine, paid, stand_in):
    fault(stand_in, status=400, count=1)
    rejected = refund_of(paid, "water", "2500")
    assert (rejected.status, rejected.message) == ("failed", result_words("failed", 250_000))
    assert refund_row(engine, rejected.refund_id).failure_code == PaymentFailure.rejected
    assert negative_entries(engine) == []
    again = refund_of(paid, "water", "2500")
    assert again.status == "succeeded" and negative_entries(engine) == [(again.refund_id, -250_000)]


def test_what_the_operator_types_and_what_may_be_refunded_are_checked_before_anything_is_written(session):
    account = make_account(session, make_provider(session))
    resident, admin = make_user(session), make_user(session, role=UserRole.admin)
    paid = make_payment(session, resident, account, 10_000, status=PaymentStatus.succeeded, gateway_payment_id="gw-1")
    waiting = make_payment(session, resident, account, 10_000, gateway_payment_id="gw-2")
    cases = [
        (paid, paid, "", "Оплачено дважды", "refund_amount_required"),
        (paid, paid, "abc", "Оплачено дважды", "amount_format"),
        (paid, paid, "10", "  ok ", "refund_reason_required"),
        (waiting, waiting, "10", "Оплачено дважды", "refund_not_refundable"),
        (paid, waiting, "10", "Оплачено дважды", "not_found"),  # a part of another payment
    ]
    for payment, owner, amount, reason, code in cases:
        with pytest.raises(DomainError) as raised:
            refunds.refund_part(
                session=session,
                actor_id=admin.id,
                payment_id=payment.id,
                part_id=parts_of(session, owner)[0].id,
                amount_text=amount,
                reason=reason,
                request_key=uuid.uuid4().hex,
                now=NOW,
            )
        assert raised.value.code == code, (amount, reason)
    assert session.exec(select(func.count()).select_from(Refund)).one() == 0
    assert session.exec(select(func.count()).select_from(AuditEvent)).one() == 0
