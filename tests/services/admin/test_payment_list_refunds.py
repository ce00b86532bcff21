"""The admin payments list, a row per part: which parts are one of several accounts, what succeeded refunds
returned of each — read in the same few queries whatever the number of rows."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools

import sqlalchemy as sa

from cabinet.models import (
    Payment,
    PaymentPart,
    PaymentPurpose,
    PaymentStatus,
    Refund,
    RefundStatus,
    StaffMembership,
    StaffRole,
    UserRole,
)
from cabinet.services.admin import payments as admin_payments
from tests.factories import NOW, make_account, make_provider, make_user

_keys = itertools.count(1)


def _payment(session, user, *parts) -> tuple[Payment, list[PaymentPart]]:
    """A succeeded payment of (account, kopecks) parts; each one made is older than the one before."""
    payment = Payment(
        user_id=user.id,
        amount_kopecks=sum(amount for _account, amount in parts),
        status=PaymentStatus.succeeded,
        idempotency_key=f"list-refunds-{next(_keys)}",
        gateway_payment_id=f"gw-list-refunds-{next(_keys)}",
        paid_at=NOW,
        created_at=NOW - dt.timedelta(minutes=next(_keys)),
        updated_at=NOW,
    )
    session.add(payment)
    session.flush()
    made = []
    for position, (account, amount) in enumerate(parts):
        part = PaymentPart(
            payment_id=payment.id,
            account_id=account.id,
            provider_id=account.provider_id,
            amount_kopecks=amount,
            purpose=PaymentPurpose.custom_amount,
            position=position,
        )
        session.add(part)
        made.append(part)
    session.flush()
    return payment, made


def _refund(session, part: PaymentPart, amount: int, status: RefundStatus) -> None:
    session.add(
        Refund(
            payment_id=part.payment_id,
            part_id=part.id,
            amount_kopecks=amount,
            reason="Ошибка в начислении",
            status=status,
            idempotency_key=f"list-refund-{next(_keys)}",
            created_at=NOW,
            updated_at=NOW,
        )
    )
    session.flush()


@contextlib.contextmanager
def _statements(session):
    """Counts the SQL statements the session's connection runs inside the block."""
    seen: list[str] = []
    engine = session.get_bind()

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _listed(session, actor_id: int) -> admin_payments.PaymentList:
    return admin_payments.list_payments(session=session, actor_id=actor_id, filters=admin_payments.PaymentFilter())


def test_a_row_per_part_marked_when_several_with_what_was_refunded(session):
    admin = make_user(session, role=UserRole.admin)
    resident = make_user(session)
    water, power = make_provider(session), make_provider(session)
    water_account, power_account = make_account(session, water), make_account(session, power)
    several, (water_part, power_part) = _payment(session, resident, (water_account, 30_000), (power_account, 20_000))
    single, (single_part,) = _payment(session, resident, (water_account, 10_000))
    _refund(session, water_part, 5_000, RefundStatus.succeeded)
    _refund(session, water_part, 1_000, RefundStatus.succeeded)
    # Money not returned (yet, or at all) is not «возвращено».
    _refund(session, water_part, 700, RefundStatus.pending)
    _refund(session, single_part, 2_500, RefundStatus.failed)

    rows = {row.part_id: row for row in _listed(session, admin.id).rows}
    assert {part_id: (row.id, row.several, row.refunded_kopecks) for part_id, row in rows.items()} == {
        water_part.id: (several.id, True, 6_000),
        power_part.id: (several.id, True, 0),
        single_part.id: (single.id, False, 0),
    }

    # The water utility's operator sees its own part of the payment for several accounts, still marked as one.
    operator = make_user(session)
    session.add(StaffMembership(user_id=operator.id, provider_id=water.id, role=StaffRole.operator, created_at=NOW))
    session.flush()
    theirs = _listed(session, operator.id).rows  # newest first: the payment for several accounts was made first
    assert [(row.part_id, row.several, row.refunded_kopecks) for row in theirs] == [
        (water_part.id, True, 6_000),
        (single_part.id, False, 0),
    ]


def test_the_list_reads_refunds_in_one_query_whatever_the_number_of_rows(session):
    """Regression guard: the refunded sums of 500 rows must not cost a query per row."""
    admin = make_user(session, role=UserRole.admin)
    resident = make_user(session)
    account = make_account(session, make_provider(session))
    _paid, (part,) = _payment(session, resident, (account, 10_000))
    _refund(session, part, 1_000, RefundStatus.succeeded)
    with _statements(session) as few:
        assert len(_listed(session, admin.id).rows) == 1
    for _ in range(12):
        _paid, (part,) = _payment(session, resident, (account, 10_000))
        _refund(session, part, 1_000, RefundStatus.succeeded)
    with _statements(session) as many:
        listed = _listed(session, admin.id)
    assert [row.refunded_kopecks for row in listed.rows] == [1_000] * 13
    assert len(many) == len(few)
