"""Periodic work the backend does besides answering browsers: delivering the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from cabinet.services.mail import deliver_pending_mail

logger = logging.getLogger(__name__)
OUTBOX_INTERVAL_SECONDS = 3.0


async def outbox_loop() -> None:
    """Runs for the life of the backend; every worker runs one (PostgreSQL rows are locked per letter)."""
    while True:
        try:
            report = await asyncio.to_thread(deliver_pending_mail)
            if report.sent or report.retrying or report.failed:
                logger.info("Outbox: %s sent, %s to retry, %s failed", report.sent, report.retrying, report.failed)
        except Exception:  # a database hiccup must not end the loop for good
            logger.exception("Outbox pass failed")
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(OUTBOX_INTERVAL_SECONDS)
