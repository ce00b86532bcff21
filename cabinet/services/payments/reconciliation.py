"""Reconciliation: payments and refunds still open after a while are re-read from YooKassa: no lost money."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlmodel import col, select

from cabinet.clock import utc_now
from cabinet.db import session_scope
from cabinet.gateways import GatewayError
from cabinet.gateways.payment_gateway import PaymentGateway
from cabinet.models import Payment, Refund, RefundStatus
from cabinet.services.payments.applying import refresh_from_gateway
from cabinet.services.payments.refunds import refresh_refund
from cabinet.services.payments.status import AWAITING_GATEWAY

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReconcileReport:
    """Payments and refunds re-read in one pass (counted together), how many moved, how many calls failed."""

    checked: int = 0
    changed: int = 0
    errors: int = 0


def reconcile(
    *,
    older_than: dt.timedelta = dt.timedelta(minutes=10),
    now: dt.datetime | None = None,
    gateway: PaymentGateway | None = None,
    limit: int = 200,
) -> ReconcileReport:
    """Re-reads payments and refunds still open after `older_than`: a lost notification never loses money."""
    now = now or utc_now()
    with session_scope() as session:
        ids = list(
            session.exec(
                select(Payment.id)
                .where(
                    col(Payment.status).in_(AWAITING_GATEWAY),
                    col(Payment.gateway_payment_id).is_not(None),
                    Payment.created_at < now - older_than,
                )
                .order_by(col(Payment.created_at))
                .limit(limit)
            )
        )
        refund_ids = list(
            session.exec(
                select(Refund.id)
                .where(Refund.status == RefundStatus.pending, Refund.created_at < now - older_than)
                .order_by(col(Refund.created_at))
                .limit(limit)
            )
        )
    checked = changed = errors = 0
    for refresh, subject_ids in (
        (lambda id_: refresh_from_gateway(id_, gateway=gateway).changed, ids),
        # A refund stuck pending: read back, or sent again with its key when it never got an answer.
        (lambda id_: refresh_refund(id_, gateway=gateway), refund_ids),
    ):
        for subject_id in subject_ids:
            checked += 1
            try:
                changed += bool(refresh(subject_id))
            except GatewayError as error:
                errors += 1
                logger.warning("Reconciliation of %s failed: %s", subject_id, error)
    return ReconcileReport(checked, changed, errors)
