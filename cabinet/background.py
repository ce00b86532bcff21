"""Periodic work the backend does besides answering browsers: the outbox, payment reconciliation."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from cabinet.config import get_settings
from cabinet.services.mail import deliver_pending_mail
from cabinet.services.payments import reconcile

logger = logging.getLogger(__name__)
OUTBOX_INTERVAL_SECONDS = 3.0
RECONCILE_INTERVAL_SECONDS = 60.0


async def outbox_loop() -> None:
    """Runs for the life of the backend; every worker runs one (PostgreSQL rows are locked per letter)."""
    while True:
        try:
            report = await asyncio.to_thread(deliver_pending_mail)
            if report.sent or report.retrying or report.failed:
                logger.info("Outbox: %s sent, %s to retry, %s failed", report.sent, report.retrying, report.failed)
        except Exception:  # a database hiccup must not end the loop for good
            logger.exception("Outbox pass failed")
        await asyncio.sleep(OUTBOX_INTERVAL_SECONDS)


async def reconcile_loop() -> None:
    """Re-reads payments left open longer than RECONCILE_AFTER_MINUTES, in case a notification was lost."""
    older_than = dt.timedelta(minutes=get_settings().reconcile_after_minutes)
    while True:
        try:
            report = await asyncio.to_thread(reconcile, older_than=older_than)
            if report.checked:
                logger.info("Reconciliation: %s checked, %s changed, %s errors", report.checked, report.changed,
                            report.errors)
        except Exception:
            logger.exception("Reconciliation pass failed")
        await asyncio.sleep(RECONCILE_INTERVAL_SECONDS)
