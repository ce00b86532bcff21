"""Payments on the admin side: the filtered list with its total, one payment's detail, a check at YooKassa, the CSV.

Everything stays within the acting staff member's scope (services/access.py): a foreign provider's
payments are neither listed, counted, summed nor exported, and a foreign payment's id is «не найдено».
One payment's detail, the check at YooKassa and refunds are in payment_detail and refunds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import NamedTuple

from sqlmodel import Session, col, func, select

from cabinet.models import (
    Payment,
    PaymentPart,
    PaymentStatus,
    Provider,
    ProviderAccount,
    Refund,
    RefundStatus,
    User,
)
from cabinet.services import payment_exports
from cabinet.services.access import StaffScope, require_staff
from cabinet.services.identity import shown_email
from cabinet.services.ids import parse_id
from cabinet.services.periods import period_bounds
from cabinet.services.providers import ProviderRow, providers_in_scope
from cabinet.services.transactions import transactional


@dataclasses.dataclass(frozen=True)
class PaymentFilter:
    provider_id: int | None = None
    status: PaymentStatus | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def chosen_filter(*, provider: str, status: str, period: str, today: dt.date) -> PaymentFilter:
    """The payments page's three selects as a filter; «all» or a value that names nothing filters nothing."""
    since, until = period_bounds(period, today)
    known = status in {member.value for member in PaymentStatus}
    return PaymentFilter(
        provider_id=parse_id(provider), status=PaymentStatus(status) if known else None, since=since, until=until
    )


def _provider_filter(filters: PaymentFilter) -> int | None:
    """None for «all providers»; an id no provider can have (out of range) becomes 0, which matches none."""
    if filters.provider_id is None:
        return None
    return parse_id(filters.provider_id) or 0


@dataclasses.dataclass(frozen=True)
class PaymentRow:
    """One part of a payment: a payment for several accounts is a row per account, each in its provider's scope."""

    id: int
    created_at: dt.datetime
    provider: str
    account: str
    payer: str
    amount_kopecks: int
    status: str
    # The part is one of several accounts paid at once.
    several: bool = False
    # What succeeded refunds returned of this part.
    refunded_kopecks: int = 0
    part_id: int = 0


class PaymentList(NamedTuple):
    """Parts of payments newest first, with the count of succeeded payments and the sum of their parts that match."""

    rows: list[PaymentRow]
    count: int
    total_kopecks: int


def list_payments(*, session: Session, actor_id: int, filters: PaymentFilter, limit: int = 500) -> PaymentList:
    return _list_payments(session, require_staff(session, actor_id), filters, limit)


def _list_payments(session: Session, scope: StaffScope, filters: PaymentFilter, limit: int) -> PaymentList:
    statement = (
        select(PaymentPart, Payment, ProviderAccount, Provider, User)
        .join(Payment, col(Payment.id) == PaymentPart.payment_id)
        .join(ProviderAccount, col(ProviderAccount.id) == PaymentPart.account_id)
        .join(Provider, col(Provider.id) == PaymentPart.provider_id)
        .join(User, col(User.id) == Payment.user_id)
        .where(scope.visible(Provider.id))
    )
    provider_id = _provider_filter(filters)
    if provider_id is not None:
        statement = statement.where(Provider.id == provider_id)
    if filters.status:
        statement = statement.where(Payment.status == filters.status)
    if filters.since:
        statement = statement.where(Payment.created_at >= filters.since)
    if filters.until:
        statement = statement.where(Payment.created_at < filters.until)
    found = list(
        session.exec(
            statement.order_by(col(Payment.created_at).desc(), col(Payment.id).desc(), col(PaymentPart.position)).limit(
                limit
            )
        )
    )
    several = _several(session, [payment.id for _part, payment, *_rest in found])
    refunded = _refunded(session, [part.id for part, *_rest in found])
    rows = [
        PaymentRow(
            payment.id or 0,
            payment.created_at,
            provider.name,
            account.number,
            shown_email(user),
            part.amount_kopecks,
            payment.status.value,
            several=payment.id in several,
            refunded_kopecks=refunded.get(part.id or 0, 0),
            part_id=part.id or 0,
        )
        for part, payment, account, provider, user in found
    ]
    total_statement = (
        statement.with_only_columns(
            func.count(func.distinct(Payment.id)), func.coalesce(func.sum(PaymentPart.amount_kopecks), 0)
        )
        .where(Payment.status == PaymentStatus.succeeded)
        .order_by(None)
    )
    count, total = session.exec(total_statement).one()
    return PaymentList(rows, int(count), int(total))


def _several(session: Session, payment_ids: list[int | None]) -> set[int]:
    """Which of the payments pay more than one account."""
    return set(
        session.exec(
            select(PaymentPart.payment_id)
            .where(col(PaymentPart.payment_id).in_([i for i in payment_ids if i is not None]))
            .group_by(col(PaymentPart.payment_id))
            .having(func.count() > 1)
        )
    )


def _refunded(session: Session, part_ids: list[int | None]) -> dict[int, int]:
    """What succeeded refunds returned of each of the parts, in one query whatever their number."""
    found = session.exec(
        select(Refund.part_id, func.sum(Refund.amount_kopecks))
        .where(col(Refund.part_id).in_([i for i in part_ids if i is not None]))
        .where(Refund.status == RefundStatus.succeeded)
        .group_by(col(Refund.part_id))
    )
    return {part_id: int(amount) for part_id, amount in found}


@dataclasses.dataclass(frozen=True)
class PaymentsPage:
    payments: PaymentList
    providers: list[ProviderRow]


@transactional()
def payments_page(*, session: Session, actor_id: int, filters: PaymentFilter) -> PaymentsPage:
    """The list as filtered, and the providers in scope for the filter's choices."""
    scope = require_staff(session, actor_id)
    return PaymentsPage(_list_payments(session, scope, filters, 500), providers_in_scope(session, scope))


@transactional()
def export_payments(*, session: Session, actor_id: int, filters: PaymentFilter, now: dt.datetime) -> bytes:
    """The payments list as a CSV for accountants (`;`, UTF-8 with BOM, safe in Excel); a viewer may export too."""
    scope = require_staff(session, actor_id)
    return payment_exports.export_payments(
        session,
        provider_id=_provider_filter(filters),
        status=filters.status,
        since=filters.since,
        until=filters.until,
        actor_user_id=actor_id,
        now=now,
        within=scope.visible(Provider.id),
    )
