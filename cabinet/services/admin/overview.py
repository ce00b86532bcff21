"""The admin overview: residents, links, money taken today and this month, readings, the mail queue."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlmodel import Session, col, func, select

from cabinet.models import AccountLink, EmailStatus, MeterReading, OutgoingEmail, Payment, PaymentStatus, User, UserRole
from cabinet.services.access import require_operator
from cabinet.services.calendar import local_date, month_start, start_of_local_day
from cabinet.services.transactions import transactional


@dataclasses.dataclass(frozen=True)
class Overview:
    residents: int
    linked_accounts: int
    payments_today: int
    paid_today_kopecks: int
    payments_month: int
    paid_month_kopecks: int
    readings_this_month: int
    outbox_queued: int
    outbox_failed: int


def _count(session: Session, model: type, *where: object) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def _paid_since(session: Session, since: dt.datetime) -> tuple[int, int]:
    """How many payments succeeded since `since`, and their sum in kopecks."""
    row = session.exec(
        select(func.count(), func.coalesce(func.sum(Payment.amount_kopecks), 0)).where(
            Payment.status == PaymentStatus.succeeded, col(Payment.paid_at) >= since
        )
    ).one()
    return int(row[0]), int(row[1])


@transactional()
def overview(*, session: Session, actor_id: int, now: dt.datetime) -> Overview:
    require_operator(session, actor_id)
    today = local_date(now)
    day_start, month_begin = start_of_local_day(today), start_of_local_day(month_start(today))
    today_count, today_sum = _paid_since(session, day_start)
    month_count, month_sum = _paid_since(session, month_begin)
    return Overview(
        residents=_count(session, User, User.role == UserRole.resident),
        linked_accounts=_count(session, AccountLink),
        payments_today=today_count,
        paid_today_kopecks=today_sum,
        payments_month=month_count,
        paid_month_kopecks=month_sum,
        readings_this_month=_count(session, MeterReading, MeterReading.submitted_at >= month_begin),
        outbox_queued=_count(session, OutgoingEmail, OutgoingEmail.status == EmailStatus.queued),
        outbox_failed=_count(session, OutgoingEmail, OutgoingEmail.status == EmailStatus.failed),
    )
