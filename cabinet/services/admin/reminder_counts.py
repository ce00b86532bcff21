"""How many reminders of each kind went to the provider's residents, per provider and month, and how many of their
letters failed (the outbox gave up on them): the admin overview's «Напоминания».

Counted over the acting staff member's providers only (the account a reminder is about names the provider),
for the current month and the two before it, months by Moscow time. One grouped query: the month is a CASE over
the months' bounds, so SQLite and PostgreSQL count alike."""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cabinet.models import EmailStatus, OutgoingEmail, Provider, ProviderAccount, ReminderKind, ReminderSent
from cabinet.services.access import require_staff
from cabinet.services.calendar import add_months, local_date, month_start, start_of_local_day
from cabinet.services.transactions import transactional

MONTHS = 3


@dataclasses.dataclass(frozen=True)
class ReminderCount:
    """One provider's reminders of one kind in one month: all of them, those whose letter went, those that failed."""

    provider_id: int
    provider_name: str
    month: dt.date
    kind: ReminderKind
    total: int
    sent: int
    failed: int


def _months(now: dt.datetime) -> list[tuple[dt.date, dt.datetime, dt.datetime]]:
    """The counted months, newest first, each with its bounds (start inclusive, end exclusive) in UTC."""
    current = month_start(local_date(now))
    months = [add_months(current, -back) for back in range(MONTHS)]
    return [(month, start_of_local_day(month), start_of_local_day(add_months(month, 1))) for month in months]


@transactional()
def reminder_counts(*, session: Session, actor_id: int, now: dt.datetime) -> list[ReminderCount]:
    """Per provider (by name), month (newest first) and kind: the reminders made and what became of their letters."""
    scope = require_staff(session, actor_id)
    months = _months(now)
    created = col(ReminderSent.created_at)
    month = sa.case(
        *[(sa.and_(created >= start, created < end), index) for index, (_month, start, end) in enumerate(months)],
        else_=None,
    ).label("month")
    # The month is worked out per row in a subquery, so the grouping names a plain column (PostgreSQL refuses
    # a GROUP BY expression whose bound values are not the very ones of the SELECT).
    each = (
        select(
            col(ProviderAccount.provider_id).label("provider_id"),
            month,
            col(ReminderSent.kind).label("kind"),
            col(OutgoingEmail.status).label("status"),
        )
        .join(ProviderAccount, col(ProviderAccount.id) == col(ReminderSent.account_id))
        .outerjoin(OutgoingEmail, col(OutgoingEmail.id) == col(ReminderSent.email_id))
        .where(scope.visible(ProviderAccount.provider_id), created >= months[-1][1], created < months[0][2])
        .subquery()
    )
    sent = func.sum(sa.case((each.c.status == EmailStatus.sent, 1), else_=0))
    failed = func.sum(sa.case((each.c.status == EmailStatus.failed, 1), else_=0))
    rows = session.exec(
        select(Provider.id, Provider.name, each.c.month, each.c.kind, func.count(), sent, failed)
        .join(Provider, col(Provider.id) == each.c.provider_id)
        .group_by(col(Provider.id), col(Provider.name), each.c.month, each.c.kind)
    ).all()
    counts = [
        ReminderCount(int(pid), name, months[int(index)][0], ReminderKind(kind), int(total), int(ok), int(bad))
        for pid, name, index, kind, total, ok, bad in rows
    ]
    kinds = list(ReminderKind)
    return sorted(
        counts, key=lambda row: (row.provider_name, row.provider_id, -row.month.toordinal(), kinds.index(row.kind))
    )
