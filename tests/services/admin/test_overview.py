"""The admin overview counts residents, links, money taken today and this month, readings and the mail queue."""

from __future__ import annotations

import datetime as dt

from cabinet.models import (
    AccountLink,
    EmailStatus,
    MeterReading,
    OutgoingEmail,
    Payment,
    PaymentStatus,
    ProviderAccount,
    ReadingSource,
)
from cabinet.services.admin import overview
from tests.factories import NOW, make_meter, make_payment, parts_of

NOVEMBER = dt.date(2026, 11, 1)


def test_overview_counts(session, people, ids):
    payment = session.get(Payment, ids["payment"])
    payment.status, payment.paid_at = PaymentStatus.succeeded, NOW
    (part,) = parts_of(session, payment)
    account_id = part.account_id
    resident = people["resident"].id

    def paid(key: str, amount: int, at: dt.datetime, status: PaymentStatus = PaymentStatus.succeeded) -> None:
        # A canceled payment keeps a paid_at too: only the status keeps it out of the sums.
        make_payment(session, resident, account_id, amount, status=status, when=at, paid_at=at, idempotency_key=key)

    paid("earlier-this-month", 2500, dt.datetime(2026, 11, 3, 12, tzinfo=dt.UTC))
    paid("last-month", 7000, dt.datetime(2026, 10, 20, 12, tzinfo=dt.UTC))
    paid("canceled-today", 9900, NOW, PaymentStatus.canceled)
    session.add(AccountLink(user_id=resident, account_id=account_id))
    session.add(AccountLink(user_id=ids["unconfirmed"], account_id=account_id))
    meter = make_meter(session, session.get(ProviderAccount, account_id))
    for value, submitted in (
        (1_000, NOW),
        (2_000, dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC)),
        (500, dt.datetime(2026, 10, 24, tzinfo=dt.UTC)),
    ):
        session.add(
            MeterReading(
                meter_id=meter.id,
                value_thousandths=value,
                period=NOVEMBER,
                source=ReadingSource.resident,
                submitted_at=submitted,
                updated_at=submitted,
            )
        )
    for number, status in enumerate((EmailStatus.queued, EmailStatus.queued, EmailStatus.failed, EmailStatus.sent)):
        session.add(
            OutgoingEmail(
                to_address="olga.petrova@example.com",
                subject="Письмо",
                text_body="",
                html_body="",
                idempotency_key=f"letter-{number}",
                status=status,
                created_at=NOW,
            )
        )
    session.flush()

    summary = overview.overview(session=session, actor_id=people["admin"].id, now=NOW)
    assert summary == overview.Overview(
        residents=2,
        linked_accounts=2,
        payments_today=1,
        paid_today_kopecks=1000,
        payments_month=2,
        paid_month_kopecks=3500,
        readings_this_month=2,
        outbox_queued=2,
        outbox_failed=1,
    )
