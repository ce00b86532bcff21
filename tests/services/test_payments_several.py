"""Several accounts in one payment (#17), with the real SDK against the stand-in: a part per account, a receipt
line per supplier, split to providers' own shops, refusals next to the account's own field, each part booked once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlmodel import Session, col, select, update

from cabinet import texts
from cabinet.errors import DomainError
from cabinet.models import (
    AccountLink,
    AuditEvent,
    LedgerEntry,
    MeterReading,
    OutgoingEmail,
    Payment,
    PaymentPart,
    PaymentPurpose,
    PaymentStatus,
    ProviderAccount,
    ReadingSource,
    Refund,
    RefundStatus,
)
from cabinet.sandbox.models import SandboxYookassaPayment
from cabinet.sandbox.yookassa_store import load_payment
from cabinet.services import payments
from cabinet.services.readings import ReadingEntry
from tests.factories import NOW, make_account, make_payment, make_provider, make_user, parts_of
from tests.paying import checkout, count, debt_part, fault, household, notification_body, stored_payment, to_pay
from tests.recording_hop import recording_hop


@pytest.fixture
def home(engine):
    return household(engine)


def _parts(engine, payment_id: int) -> list[PaymentPart]:
    with Session(engine) as session:
        return list(
            session.exec(select(PaymentPart).where(PaymentPart.payment_id == payment_id).order_by(PaymentPart.position))
        )


def _water_and_power(home: dict, **water) -> tuple[payments.PartRequest, ...]:
    """Water's whole debt and 700 ₽ of power's; the gas account is left out."""
    return debt_part(home, "water", **water), debt_part(home, "power", amount_text="700")


def _start(home: dict, parts=None, key: str = "") -> payments.Checkout:
    return payments.start_several(user_id=home["user"], parts=parts or _water_and_power(home), request_key=key)


def test_two_of_three_accounts_make_one_payment_with_a_receipt_line_per_supplier(engine, home, stand_in):
    with recording_hop(stand_in) as seen:
        started = _start(home)
    payment = stored_payment(engine, started.payment_id)
    assert started.checkout_url == payment.confirmation_url != ""
    water, power = home["accounts"]["water"], home["accounts"]["power"]
    parts = _parts(engine, payment.id)
    assert [(p.account_id, p.provider_id, p.amount_kopecks, p.purpose, p.transfer_account_id) for p in parts] == [
        (water, home["providers"]["water"], 250_000, PaymentPurpose.debt, ""),
        (power, home["providers"]["power"], 70_000, PaymentPurpose.custom_amount, ""),
    ]
    assert payment.amount_kopecks == sum(part.amount_kopecks for part in parts)
    assert (count(engine, Payment), count(engine, PaymentPart)) == (1, 2)

    (sent,) = [request for request in seen if request["method"] == "POST"]
    assert sent["json"]["amount"] == {"value": "3200.00", "currency": "RUB"}
    with Session(engine) as session:
        numbers = {account.id: account.number for account in session.exec(select(ProviderAccount))}
    assert [
        (item["description"], item["amount"]["value"], item["supplier"]) for item in sent["json"]["receipt"]["items"]
    ] == [
        (
            texts.PAYMENTS["receipt_item"].format(provider="МУП «Водоканал»", number=numbers[water]),
            "2500.00",
            {"name": "МУП «Водоканал»", "inn": "7701000001"},
        ),
        (
            texts.PAYMENTS["receipt_item"].format(provider="АО «Энергосбыт»", number=numbers[power]),
            "700.00",
            {"name": "АО «Энергосбыт»", "inn": "7702000002"},
        ),
    ]
    stored = load_payment(payment.gateway_payment_id)
    assert {key: stored["metadata"][key] for key in ("payment_id", "user_id", "parts")} == {
        "payment_id": str(payment.id),
        "user_id": str(home["user"]),
        "parts": f"{water}:250000;{power}:70000",
    }
    assert "transfers" not in stored  # no provider has a shop of its own: the platform's shop takes it all


def test_paying_lowers_each_account_by_its_own_part_and_keeps_the_reading_given(engine, home, stand_in):
    before = {name: to_pay(engine, account) for name, account in home["accounts"].items()}
    started = _start(home, _water_and_power(home, readings=(ReadingEntry(home["meter"], "120,5"),)))
    checkout(stored_payment(engine, started.payment_id), "pay")
    assert stored_payment(engine, started.payment_id).status == PaymentStatus.succeeded
    parts = _parts(engine, started.payment_id)
    assert {name: to_pay(engine, account) for name, account in home["accounts"].items()} == {
        "water": before["water"] - parts[0].amount_kopecks,
        "power": before["power"] - parts[1].amount_kopecks,
        "gas": before["gas"],
    }
    with Session(engine) as session:
        booked = session.exec(select(LedgerEntry.part_id, LedgerEntry.account_id, LedgerEntry.amount_kopecks)).all()
        reading = session.exec(select(MeterReading)).one()
        (letter,) = session.exec(select(OutgoingEmail)).all()
        numbers = [session.get(ProviderAccount, part.account_id).number for part in parts]
    assert sorted(booked) == sorted((part.id, part.account_id, part.amount_kopecks) for part in parts)
    assert (reading.meter_id, reading.value_thousandths, reading.source) == (
        home["meter"],
        120_500,
        ReadingSource.payment_form,
    )
    assert letter.to_address == home["email"] and all(number in letter.text_body for number in numbers)


def test_a_provider_with_its_own_shop_gets_exactly_its_part_transferred(engine, stand_in):
    home = household(engine, own_shops={"power": "456789"})
    started = _start(home)
    stored = load_payment(stored_payment(engine, started.payment_id).gateway_payment_id)
    assert [(transfer["account_id"], transfer["amount"]["value"]) for transfer in stored["transfers"]] == [
        ("456789", "700.00")
    ]
    assert [part.transfer_account_id for part in _parts(engine, started.payment_id)] == ["", "456789"]


def test_a_refusal_names_the_accounts_own_field_and_writes_nothing(engine, app_database, home):
    water, power, gas = (home["accounts"][name] for name in ("water", "power", "gas"))
    with Session(engine) as session:
        session.exec(update(ProviderAccount).where(col(ProviderAccount.id) == gas).values(debt_kopecks=0))
        session.commit()
    bad_reading = (ReadingEntry(home["meter"], "abc"),)
    cases = [
        (
            (debt_part(home, "water"), debt_part(home, "power", amount_text="0,50")),
            "payment_amount_range",
            f"amount:{power}",
        ),
        ((debt_part(home, "water"), debt_part(home, "gas")), "payment_nothing_owed", f"amount:{gas}"),
        (
            (debt_part(home, "water", readings=bad_reading), debt_part(home, "power")),
            "readings_rejected",
            f"readings:{water}",
        ),
        ((), "payment_choose_accounts", payments.ACCOUNTS_FIELD),
        ((debt_part(home, "water"),) * 21, "payment_too_many_accounts", payments.ACCOUNTS_FIELD),
        # Each part within the limit (500 000 ₽), the two together over it: one charge has the gateway's limit.
        (
            (debt_part(home, "water", amount_text="300 000"), debt_part(home, "power", amount_text="250 000")),
            "payment_total_range",
            payments.ACCOUNTS_FIELD,
        ),
    ]
    for parts, code, field in cases:
        with pytest.raises(DomainError) as raised:
            payments.start_several(user_id=home["user"], parts=parts)
        assert (raised.value.code, raised.value.field) == (code, field)
    assert payments.account_field(payments.AMOUNT_FIELD, power) == f"amount:{power}"
    assert [count(engine, model) for model in (Payment, PaymentPart, MeterReading)] == [0, 0, 0]


def test_a_foreign_account_or_one_named_twice_is_not_found_and_nothing_is_written(engine, app_database, home):
    neighbour = household(engine)
    reading = (ReadingEntry(home["meter"], "120,5"),)
    foreign = payments.PartRequest(account_id=neighbour["accounts"]["water"], purpose=PaymentPurpose.debt)
    for parts in (
        (debt_part(home, "water", readings=reading), foreign),
        (debt_part(home, "water", readings=reading), debt_part(home, "water")),
    ):
        with pytest.raises(DomainError) as raised:
            payments.start_several(user_id=home["user"], parts=parts)
        assert raised.value.code == "not_found"
    assert [count(engine, model) for model in (Payment, PaymentPart, MeterReading, AuditEvent)] == [0, 0, 0, 0]


def test_a_double_click_of_one_form_is_one_payment(engine, home, stand_in):
    first, second = _start(home, key="several-form-1"), _start(home, key="several-form-1")
    assert first == second and first.checkout_url != ""
    assert [count(engine, model) for model in (Payment, PaymentPart, SandboxYookassaPayment)] == [1, 2, 1]


def test_a_canceled_payment_credits_nothing(engine, home, stand_in):
    before = {name: to_pay(engine, account) for name, account in home["accounts"].items()}
    started = _start(home)
    checkout(stored_payment(engine, started.payment_id), "cancel", reason="insufficient_funds")
    assert stored_payment(engine, started.payment_id).status == PaymentStatus.canceled
    assert count(engine, LedgerEntry) == 0
    assert {name: to_pay(engine, account) for name, account in home["accounts"].items()} == before


def test_the_webhook_and_reconciliation_at_once_book_each_part_once(engine, home, stand_in):
    fault(stand_in, drop_notifications=True, count=0)
    payment = stored_payment(engine, _start(home).payment_id)
    checkout(payment, "pay")
    assert stored_payment(engine, payment.id).status == PaymentStatus.pending  # paid; nobody told us
    body = notification_body(payment)
    start = threading.Barrier(5)
    answers: list = []

    def deliver() -> None:
        start.wait()
        answers.append(payments.handle_notification(body, source_address="127.0.0.1").http_status)

    def reconcile() -> None:
        start.wait()
        answers.append(payments.reconcile(older_than=dt.timedelta(0)).errors)

    threads = [threading.Thread(target=deliver) for _ in range(3)] + [
        threading.Thread(target=reconcile) for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == [0, 0, 200, 200, 200]
    parts = _parts(engine, payment.id)
    with Session(engine) as session:
        booked = session.exec(select(LedgerEntry.part_id, LedgerEntry.amount_kopecks)).all()
        succeeded = session.exec(select(AuditEvent.provider_id).where(AuditEvent.action == "payment_succeeded")).all()
    assert sorted(booked) == sorted((part.id, part.amount_kopecks) for part in parts)
    assert sorted(succeeded) == sorted(part.provider_id for part in parts)  # one event per provider, once
    assert count(engine, OutgoingEmail) == 1


def test_the_form_lists_every_linked_account_and_chooses_those_that_owe(engine, home):
    gas = home["accounts"]["gas"]
    with Session(engine) as session:
        session.exec(update(ProviderAccount).where(col(ProviderAccount.id) == gas).values(debt_kopecks=0))
        session.commit()
        form = payments.several_pay_form(session=session, user_id=home["user"], now=NOW)
    listed = {
        account.account_id: (account.owed_kopecks, account.amount_text, account.chosen) for account in form.accounts
    }
    assert listed == {
        home["accounts"]["water"]: (250_000, "2\u00a0500,00", True),
        home["accounts"]["power"]: (120_000, "1\u00a0200,00", True),
        gas: (0, "", False),
    }
    assert form.enough_accounts and form.email == home["email"]


def test_the_residents_pages_show_each_part_and_what_came_back_of_it(session):
    """The payment's page and the history: a part per account, a refund next to its part, the total net of it."""
    user, water, power = make_user(session), make_provider(session, name="Водоканал"), make_provider(session)
    flat, garage = make_account(session, water), make_account(session, power)
    payment = make_payment(session, user, [flat, garage], [30_000, 12_000], status=PaymentStatus.succeeded)
    _flat_part, garage_part = parts_of(session, payment)
    session.add_all([AccountLink(user_id=user.id, account_id=account.id) for account in (flat, garage)])
    for key, status in (("returned", RefundStatus.succeeded), ("refused", RefundStatus.failed)):
        session.add(
            Refund(
                payment_id=payment.id,
                part_id=garage_part.id,
                amount_kopecks=2_000,
                reason="Оплачено дважды",
                status=status,
                idempotency_key=key,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    session.flush()

    page = payments.payment_page(session=session, user_id=user.id, payment_id=payment.id)
    returned = texts.PAYMENTS["refund_line"].format(amount="20,00\u00a0₽")
    assert [(part.account_number, part.amount_text, part.refunded_text) for part in page.parts] == [
        (flat.number, "300,00\u00a0₽", ""),
        (garage.number, "120,00\u00a0₽", returned),
    ]
    assert [(r.amount_text, r.status_label, r.account_number, r.reason) for r in page.refunds] == [
        ("20,00\u00a0₽", texts.PAYMENTS["refund_statuses"]["succeeded"], garage.number, "Оплачено дважды")
    ]  # a refund YooKassa never took returned nothing: not shown
    assert (page.amount_text, page.refunded_text, page.several) == ("420,00\u00a0₽", returned, True)
    assert page.pay_again_href == payments.SEVERAL_PAY_PATH
    shown = payments.history(
        session=session, user_id=user.id, account_filter="all", period_filter="all", status_filter="all", now=NOW
    )
    (row,) = shown.rows
    assert (row.refund_text, row.parts_text, row.account_label) == (
        returned,
        texts.PAYMENTS["history_parts"].format(count=2, accounts="счёта"),
        f"{flat.number}, {garage.number}",
    )
    assert shown.total_text == texts.PAYMENTS["history_total"].format(amount="400,00\u00a0₽")  # 420 less the refund
    garage_only = payments.history(
        session=session,
        user_id=user.id,
        account_filter=str(garage.id),
        period_filter="all",
        status_filter="all",
        now=NOW,
    )
    assert garage_only.total_text == texts.PAYMENTS["history_total"].format(amount="100,00\u00a0₽")
