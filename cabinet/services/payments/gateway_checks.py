"""How often the status page asks YooKassa about one payment: once per interval, whatever the tabs and workers."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, col

from cabinet.db import session_scope
from cabinet.gateways.payment_gateway import PaymentGateway
from cabinet.models import Payment
from cabinet.services.payments.applying import Applied, refresh_from_gateway
from cabinet.services.payments.status import AWAITING_GATEWAY

# At most one ask of YooKassa per payment in this time. Every open tab of /payments/<id> polls every
# 2 s (state/payment_status.py) for a minute; without a claim ten tabs were 300 API calls a minute,
# with it a payment costs about 12, however many tabs and backend workers poll it. 5 s because
# a resident whose notification is late still sees the result within a few seconds (the tabs read
# our own database every 2 s, so what the webhook or another tab learned shows on the next poll),
# and because a claim that ended in an error (timeout, 5xx) is not given back: a YooKassa that is
# down is asked once per interval, not by every tab at once, and asked again after it.
GATEWAY_CHECK_INTERVAL = dt.timedelta(seconds=5)


def claim_gateway_check(session: Session, *, payment_id: int, now: dt.datetime) -> bool:
    """Takes the right to ask YooKassa about the payment now; False when someone asked within the interval.

    A compare-and-set the database decides (`UPDATE … WHERE gateway_checked_at IS NULL OR … <= now −
    interval`): of callers racing — tabs, threads, workers — exactly one sees its row updated; on
    PostgreSQL the others wait for its commit and then find the new time, on SQLite writers queue.
    Only a payment the gateway may still move, and that it knows of, is worth a claim.
    """
    claimed = session.execute(
        sa.update(Payment)
        .where(
            col(Payment.id) == payment_id,
            col(Payment.status).in_(AWAITING_GATEWAY),
            col(Payment.gateway_payment_id).is_not(None),
            sa.or_(
                col(Payment.gateway_checked_at).is_(None),
                col(Payment.gateway_checked_at) <= now - GATEWAY_CHECK_INTERVAL,
            ),
        )
        .values(gateway_checked_at=now)
    ).rowcount
    return bool(claimed)


def refresh_when_due(payment_id: int, *, now: dt.datetime, gateway: PaymentGateway | None = None) -> Applied | None:
    """`refresh_from_gateway` for the status page's poll, at most once per payment per GATEWAY_CHECK_INTERVAL.

    The claim is committed before YooKassa is asked, so every other poller sees it at once; None when
    the caller did not get it (it reads the payment from our database instead). A gateway error
    leaves the claim as it is: it stops blocking when the interval is over, by construction.

    Only the status page goes through here. Reconciliation does not: it runs once a minute in one
    worker (its lock) over payments older than RECONCILE_AFTER_MINUTES, so it adds at most one ask
    per payment a minute, and `reconcile --older-than 0` by hand must read every open payment now.
    Nor does the operator's «Проверить в ЮKassa»: a person asked for YooKassa's answer this instant,
    one click, journaled — the button must not answer «checked» without asking.
    """
    with session_scope() as session:
        claimed = claim_gateway_check(session, payment_id=payment_id, now=now)
    if not claimed:
        return None
    return refresh_from_gateway(payment_id, gateway=gateway)
