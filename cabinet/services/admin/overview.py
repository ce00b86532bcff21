"""The admin overview: residents, links, money taken today and this month, readings, the mail queue.

Counted over the acting staff member's providers only: residents are those linked to an account of one,
payments and readings those of such accounts. The mail queue belongs to no provider, so only the platform
administrator sees it (`outbox_shown`)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import true as sa_true
from sqlmodel import Session, col, func, select

from cabinet.models import (
    AccountLink,
    EmailStatus,
    Meter,
    MeterReading,
    OutgoingEmail,
    Payment,
    PaymentPart,
    PaymentStatus,
    ProviderAccount,
    User,
    UserRole,
)
from cabinet.services.access import StaffScope, require_staff
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
    outbox_shown: bool = True


def _count(session: Session, model: type, *where: object) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def _scoped_accounts(scope: StaffScope):
    """The ids of the accounts of the scope's providers, for an IN clause."""
    return select(ProviderAccount.id).where(scope.visible(ProviderAccount.provider_id))


def _paid_since(session: Session, scope: StaffScope, since: dt.datetime) -> tuple[int, int]:
    """How many payments with a part for the scope's providers succeeded since `since`, and those parts' sum."""
    row = session.exec(
        select(func.count(func.distinct(Payment.id)), func.coalesce(func.sum(PaymentPart.amount_kopecks), 0))
        .join(PaymentPart, col(PaymentPart.payment_id) == Payment.id)
        .where(
            Payment.status == PaymentStatus.succeeded,
            col(Payment.paid_at) >= since,
            scope.visible(PaymentPart.provider_id),
        )
    ).one()
    return int(row[0]), int(row[1])


def _residents(session: Session, scope: StaffScope) -> int:
    if scope.is_platform_admin:
        return _count(session, User, User.role == UserRole.resident)
    linked = select(AccountLink.user_id).where(col(AccountLink.account_id).in_(_scoped_accounts(scope)))
    return _count(session, User, User.role == UserRole.resident, col(User.id).in_(linked))


@transactional()
def overview(*, session: Session, actor_id: int, now: dt.datetime) -> Overview:
    scope = require_staff(session, actor_id)
    today = local_date(now)
    day_start, month_begin = start_of_local_day(today), start_of_local_day(month_start(today))
    today_count, today_sum = _paid_since(session, scope, day_start)
    month_count, month_sum = _paid_since(session, scope, month_begin)
    admin = scope.is_platform_admin
    scoped_links = sa_true() if admin else col(AccountLink.account_id).in_(_scoped_accounts(scope))
    scoped_meters = select(Meter.id).where(col(Meter.account_id).in_(_scoped_accounts(scope)))
    scoped_readings = sa_true() if admin else col(MeterReading.meter_id).in_(scoped_meters)
    return Overview(
        residents=_residents(session, scope),
        linked_accounts=_count(session, AccountLink, scoped_links),
        payments_today=today_count,
        paid_today_kopecks=today_sum,
        payments_month=month_count,
        paid_month_kopecks=month_sum,
        readings_this_month=_count(session, MeterReading, MeterReading.submitted_at >= month_begin, scoped_readings),
        outbox_queued=_count(session, OutgoingEmail, OutgoingEmail.status == EmailStatus.queued) if admin else 0,
        outbox_failed=_count(session, OutgoingEmail, OutgoingEmail.status == EmailStatus.failed) if admin else 0,
        outbox_shown=admin,
    )
