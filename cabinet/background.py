"""Periodic work the backend does besides answering browsers: the outbox, payment reconciliation, old uploads."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from cabinet.config import get_settings
from cabinet.clock import utc_now
from cabinet.services.mail import deliver_pending_mail
from cabinet.services.payments import reconcile
from cabinet.services.registry_uploads import sweep_registry_uploads

logger = logging.getLogger(__name__)
OUTBOX_INTERVAL_SECONDS = 3.0
RECONCILE_INTERVAL_SECONDS = 60.0
SWEEP_INTERVAL_SECONDS = 3600.0


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


async def registry_uploads_loop() -> None:
    """Removes registry uploads left unimported for a day: once at start, then hourly (any worker may)."""
    while True:
        try:
            await asyncio.to_thread(sweep_registry_uploads, now=utc_now())
        except Exception:  # a file held or a folder gone must not end the loop for good
            logger.exception("Sweeping registry uploads failed")
        await asyncio.sleep(SWEEP_INTERVAL_SECONDS)
