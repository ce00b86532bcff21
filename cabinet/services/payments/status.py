"""The payment status machine as data: which status may follow which, and the one write that moves a payment."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, col

from cabinet.models import Payment, PaymentStatus

# Every status and the statuses it may be written as next. YooKassa moves a payment pending →
# (waiting_for_capture →) succeeded or canceled; `failed` is ours, for a payment the gateway never
# took. Writing pending or failed again records the gateway's answer to a create (its payment id, or
# why it refused); a retry of a failed payment is taken (pending) or refused again (failed).
ALLOWED: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    PaymentStatus.pending: frozenset(
        {
            PaymentStatus.pending,
            PaymentStatus.waiting_for_capture,
            PaymentStatus.succeeded,
            PaymentStatus.canceled,
            PaymentStatus.failed,
        }
    ),
    PaymentStatus.waiting_for_capture: frozenset({PaymentStatus.succeeded, PaymentStatus.canceled}),
    PaymentStatus.failed: frozenset({PaymentStatus.pending, PaymentStatus.failed}),
    PaymentStatus.succeeded: frozenset(),
    PaymentStatus.canceled: frozenset(),
}
# Settled: nothing moves them any more.
FINAL = tuple(status for status, following in ALLOWED.items() if not following)
# The statuses YooKassa itself reports; `failed` from its API would be a status we do not know.
GATEWAY_STATUSES = (
    PaymentStatus.pending,
    PaymentStatus.waiting_for_capture,
    PaymentStatus.succeeded,
    PaymentStatus.canceled,
)
# Still being paid: the gateway may yet move these on, so reconciliation and the status page ask it.
AWAITING_GATEWAY = (PaymentStatus.pending, PaymentStatus.waiting_for_capture)


def may_move(current: PaymentStatus, target: PaymentStatus) -> bool:
    """Whether the table lets a payment in `current` be written as `target`."""
    return target in ALLOWED[current]


def moves_into(target: PaymentStatus) -> tuple[PaymentStatus, ...]:
    """The statuses a payment may be in to be written as `target`."""
    return tuple(status for status, following in ALLOWED.items() if target in following)


def transition(
    session: Session,
    *,
    payment_id: int,
    to: PaymentStatus,
    now: dt.datetime,
    when: tuple[sa.ColumnElement[bool], ...] = (),
    **values: object,
) -> bool:
    """Writes status `to` (with `values`) if the payment's status may move there; False when it may not.

    The only status write there is. A compare-and-set (`UPDATE … WHERE status IN (…)`): of writers
    racing, only a move the table allows from the status found at that instant lands, so a late or
    repeated answer never moves a payment back. `when` adds the caller's own conditions.
    """
    moved = session.execute(
        sa.update(Payment)
        .where(col(Payment.id) == payment_id, col(Payment.status).in_(moves_into(to)), *when)
        .values(status=to, updated_at=now, **values)
    ).rowcount
    return bool(moved)
