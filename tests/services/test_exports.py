"""CSV exports: Excel-safe cells, `;` and BOM, the readings round-trip and its mark, payment filters."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from cabinet.models import (
    AuditEvent,
    Meter,
    MeterKind,
    MeterReading,
    PaymentPurpose,
    PaymentStatus,
    ReadingSource,
    ReadingStatus,
    Refund,
    RefundStatus,
)
from cabinet.services import exports, payment_exports
from tests.factories import NOW, make_account, make_meter, make_payment, make_provider, make_user, parts_of

PAYMENTS_HEADER = [
    "id",
    "created_at",
    "paid_at",
    "provider",
    "account",
    "amount",
    "status",
    "gateway_payment_id",
    "email",
    "kind",
    "payment_id",
    "refund_reason",
]


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_formula_cells_are_escaped(dangerous):
    rows = _rows(exports.csv_bytes(["name"], [[dangerous]]))
    assert rows[1] == ["'" + dangerous]


def test_our_numbers_stay_numbers_and_plain_text_is_untouched():
    rows = _rows(
        exports.csv_bytes(["a", "b", "c", "d", "e"], [[exports.rubles(-12_345), "Иванов; И.", "ok", -5, None]])
    )
    # Our figure stays a number for Excel; a bare value of unknown origin is treated as text and defused.
    assert rows == [["a", "b", "c", "d", "e"], ["-123,45", "Иванов; И.", "ok", "'-5", ""]]


def test_file_is_utf8_with_bom_semicolons_and_crlf():
    data = exports.csv_bytes(["счёт", "сумма"], [["1", exports.rubles(5)], ["2", exports.rubles(100_000_000)]])
    assert data == "\ufeffсчёт;сумма\r\n1;0,05\r\n2;1000000,00\r\n".encode()


@pytest.mark.parametrize(
    ("thousandths", "fraction", "text"),
    [(123_456, 3, "123,456"), (123_456, 2, "123,45"), (123_456, 0, "123"), (5, 3, "0,005"), (7_000, 1, "7,0")],
)
def test_reading_values_show_the_meters_fraction_digits(thousandths, fraction, text):
    assert exports.reading_value(thousandths, fraction).text == text


def test_readings_export_round_trip_and_mark_sent(session):
    provider = make_provider(session)
    account = make_account(session, provider, number="3700123456", address="=ул. Мира, 1")
    meter = make_meter(session, account, serial="W1", digits_fraction=2)
    other_period = make_meter(session, account, serial="W2")
    user = make_user(session)
    november, october = dt.date(2026, 11, 1), dt.date(2026, 10, 1)
    session.add_all(
        [
            MeterReading(
                meter_id=meter.id,
                user_id=user.id,
                value_thousandths=123_450,
                period=november,
                source=ReadingSource.payment_form,
                submitted_at=NOW,
            ),
            MeterReading(
                meter_id=other_period.id,
                user_id=user.id,
                value_thousandths=5_000,
                period=october,
                source=ReadingSource.resident,
                submitted_at=NOW - dt.timedelta(days=30),
            ),
        ]
    )
    session.flush()
    data = exports.export_readings(session, provider_id=provider.id, period=november, now=NOW)
    assert _rows(data) == [
        ["account", "address", "meter_serial", "meter_kind", "value", "submitted_at", "source"],
        ["3700123456", "'=ул. Мира, 1", "W1", "cold_water", "123,45", "25.11.2026 12:00", "payment_form"],
    ]
    statuses = {r.period: r.status for r in session.exec(select(MeterReading))}
    assert statuses == {november: ReadingStatus.sent_to_provider, october: ReadingStatus.accepted}
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "readings_exported")).one()
    assert '"readings": 1' in event.details


def test_readings_export_without_marking(session):
    provider = make_provider(session)
    meter = make_meter(session, make_account(session, provider))
    session.add(
        MeterReading(
            meter_id=meter.id,
            value_thousandths=1,
            period=dt.date(2026, 11, 1),
            source=ReadingSource.resident,
            submitted_at=NOW,
        )
    )
    session.flush()
    exports.export_readings(session, provider_id=provider.id, period=dt.date(2026, 11, 1), mark_sent=False, now=NOW)
    assert session.exec(select(MeterReading)).one().status == ReadingStatus.accepted


def test_payments_export_filters(session):
    user = make_user(session, email="payer@example.com")
    first, second = make_provider(session), make_provider(session)
    for index, (provider, status) in enumerate(
        [(first, PaymentStatus.succeeded), (first, PaymentStatus.canceled), (second, PaymentStatus.succeeded)]
    ):
        make_payment(session, user, make_account(session, provider), 10_050, status=status, idempotency_key=f"e{index}")
    every = _rows(payment_exports.export_payments(session))
    assert every[0] == PAYMENTS_HEADER
    assert len(every) == 4 and every[1][5] == "100,50" and every[1][8] == "payer@example.com"
    only = _rows(payment_exports.export_payments(session, provider_id=first.id, status=PaymentStatus.succeeded))
    assert len(only) == 2 and only[1][6] == "succeeded"
    assert len(_rows(payment_exports.export_payments(session, since=NOW + dt.timedelta(seconds=1)))) == 1


def test_readings_export_takes_only_that_provider_and_keeps_sent_readings_as_they_were(session):
    ours, theirs = make_provider(session), make_provider(session)
    meter, other = make_meter(session, make_account(session, ours)), make_meter(session, make_account(session, theirs))
    november = dt.date(2026, 11, 1)
    earlier = NOW - dt.timedelta(days=2)
    session.add_all(
        [
            MeterReading(
                meter_id=meter.id,
                value_thousandths=1_000,
                period=november,
                source=ReadingSource.resident,
                status=ReadingStatus.sent_to_provider,
                submitted_at=earlier,
                updated_at=earlier,
            ),
            MeterReading(
                meter_id=other.id,
                value_thousandths=2_000,
                period=november,
                source=ReadingSource.resident,
                submitted_at=NOW,
                updated_at=NOW,
            ),
        ]
    )
    session.flush()
    rows = _rows(exports.export_readings(session, provider_id=ours.id, period=november, now=NOW))
    assert [row[4] for row in rows[1:]] == ["1,000"]  # a second export still carries what was sent
    session.expire_all()
    readings = {r.meter_id: (r.status, r.updated_at) for r in session.exec(select(MeterReading))}
    assert readings == {meter.id: (ReadingStatus.sent_to_provider, earlier), other.id: (ReadingStatus.accepted, NOW)}


def test_marking_more_readings_than_one_statement_may_name(session):
    """Regression: SQLite refuses an IN list longer than its parameter limit."""
    account = make_account(session, make_provider(session))
    session.execute(
        sa.insert(Meter),
        [{"account_id": account.id, "kind": MeterKind.cold_water, "serial": f"M{i}"} for i in range(2_000)],
    )
    ids = session.exec(select(Meter.id)).all()
    session.execute(
        sa.insert(MeterReading),
        [
            {
                "meter_id": meter_id,
                "value_thousandths": 1,
                "period": dt.date(2026, 11, 1),
                "source": ReadingSource.resident,
                "status": ReadingStatus.accepted,
                "is_rollover": False,
                "outside_window": False,
                "submitted_at": NOW,
                "updated_at": NOW,
            }
            for meter_id in ids
        ],
    )
    data = exports.export_readings(session, provider_id=account.provider_id, period=dt.date(2026, 11, 1), now=NOW)
    assert len(_rows(data)) == 2_001
    still_open = select(func.count()).select_from(MeterReading).where(MeterReading.status == ReadingStatus.accepted)
    assert session.exec(still_open).one() == 0


def test_payments_export_defuses_what_people_typed_and_bounds_the_period(session):
    user = make_user(session, email="payer@example.com")
    provider = make_provider(session, name='=HYPERLINK("http://evil")')
    account = make_account(session, provider)
    made = [
        make_payment(
            session,
            user,
            account,
            100 + index,
            purpose=PaymentPurpose.custom_amount,
            when=created,
            gateway_payment_id=f"-g{index}",
        )
        for index, created in enumerate([NOW - dt.timedelta(days=1), NOW, NOW + dt.timedelta(days=1)])
    ]
    rows = _rows(payment_exports.export_payments(session, since=NOW, until=NOW + dt.timedelta(days=1)))
    assert len(rows) == 2
    assert rows[1] == [
        str(made[1].id),
        "25.11.2026 12:00",
        "",
        '\'=HYPERLINK("http://evil")',
        account.number,
        "1,01",
        "pending",
        "'-g1",
        "payer@example.com",
        "payment",
        str(made[1].id),
        "",
    ]


def test_payments_export_has_a_row_per_part_and_a_negative_row_per_succeeded_refund(session):
    user = make_user(session, email="payer@example.com")
    water, power = make_provider(session, name="Водоканал"), make_provider(session, name="Энергосбыт")
    flat, garage = make_account(session, water), make_account(session, power)
    payment = make_payment(
        session, user, [flat, garage], [30_000, 12_000], status=PaymentStatus.succeeded, gateway_payment_id="gw-1"
    )
    _flat_part, garage_part = parts_of(session, payment)
    later = NOW + dt.timedelta(hours=1)
    refunds = [
        Refund(
            payment_id=payment.id,
            part_id=garage_part.id,
            amount_kopecks=amount,
            reason=reason,
            status=status,
            idempotency_key=f"r-{status.value}",
            gateway_refund_id=f"gr-{status.value}",
            refunded_at=later if status == RefundStatus.succeeded else None,
            created_at=later,
            updated_at=later,
        )
        for amount, reason, status in (
            (2_500, "Оплачено дважды", RefundStatus.succeeded),
            (1_000, "Ещё не выполнен", RefundStatus.pending),
            (700, "Отклонён", RefundStatus.canceled),
        )
    ]
    session.add_all(refunds)
    session.flush()

    rows = _rows(payment_exports.export_payments(session))
    money = [[row[0], row[3], row[4], row[5], row[6], row[7], row[9], row[10], row[11]] for row in rows[1:]]
    assert money == [
        [str(payment.id), "Водоканал", flat.number, "300,00", "succeeded", "gw-1", "payment", str(payment.id), ""],
        [str(payment.id), "Энергосбыт", garage.number, "120,00", "succeeded", "gw-1", "payment", str(payment.id), ""],
        [
            f"R{refunds[0].id}",
            "Энергосбыт",
            garage.number,
            "-25,00",
            "succeeded",
            "gr-succeeded",
            "refund",
            str(payment.id),
            "Оплачено дважды",
        ],
    ]
    assert rows[3][1:3] == ["25.11.2026 13:00", "25.11.2026 13:00"]  # asked for and done an hour after the payment
    # A provider's file holds its own money only; a filter on unfinished payments holds no refunds.
    assert [row[0] for row in _rows(payment_exports.export_payments(session, provider_id=water.id))[1:]] == [
        str(payment.id)
    ]
    assert len(_rows(payment_exports.export_payments(session, status=PaymentStatus.canceled))) == 1
