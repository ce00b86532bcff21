"""Periodic work the backend does besides answering browsers: the outbox, payment reconciliation, reminders,
old uploads.

Every worker runs every loop, and each pass runs only in the worker holding that loop's lock
(cabinet/locks.py): the others try again at their next interval, so when the holder dies another one
takes over within an interval.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable

from cabinet.clock import utc_now
from cabinet.config import get_settings
from cabinet.locks import HeldLock, database_lock, folder_lock
from cabinet.services.data_archive import sweep_archives
from cabinet.services.mail import deliver_pending_mail
from cabinet.services.payments import reconcile
from cabinet.services.registry_uploads import sweep_registry_uploads
from cabinet.services.reminders import send_due_reminders

logger = logging.getLogger(__name__)
OUTBOX_INTERVAL_SECONDS = 3.0
RECONCILE_INTERVAL_SECONDS = 60.0
SWEEP_INTERVAL_SECONDS = 3600.0
# Reminders are per day, and a pass finds what is already sent by its key: a minute is prompt and cheap.
# The first pass comes at start, so a backlog after downtime goes out at once (daytime only).
REMINDERS_INTERVAL_SECONDS = 60.0


def outbox_pass() -> None:
    """Sends the letters that are due (each letter's row is locked as well, so a pass is safe anywhere)."""
    report = deliver_pending_mail()
    if report.sent or report.retrying or report.failed:
        logger.info("Outbox: %s sent, %s to retry, %s failed", report.sent, report.retrying, report.failed)


def reconcile_pass() -> None:
    """Re-reads payments left open longer than RECONCILE_AFTER_MINUTES, in case a notification was lost."""
    report = reconcile(older_than=dt.timedelta(minutes=get_settings().reconcile_after_minutes))
    if report.checked:
        logger.info("Reconciliation: %s checked, %s changed, %s errors", report.checked, report.changed, report.errors)


def reminders_pass() -> None:
    """Records and queues the reminders due now (services/reminders.py); the outbox loop sends them."""
    report = send_due_reminders(now=utc_now(), quiet_hours=get_settings().reminders_quiet_hours)
    if report.total:
        logger.info("Reminders queued: %s", report.counts)


def registry_uploads_pass() -> None:
    """Removes registry uploads left unimported for a day, and «Мои данные» archives whose day is over."""
    sweep_registry_uploads(now=utc_now())
    sweep_archives(now=utc_now())


def run_pass(lock: HeldLock, work: Callable[[], None]) -> bool:
    """Runs `work` if this process holds `lock` (taking it when free); False, doing nothing, if another one does."""
    if not lock.try_hold():
        return False
    work()
    return True


async def _every(interval: Callable[[], float], lock: HeldLock, work: Callable[[], None], failure: str) -> None:
    try:
        while True:
            try:
                await asyncio.to_thread(run_pass, lock, work)
            except Exception:  # a database hiccup or a folder gone must not end the loop for good
                logger.exception(failure)
            await asyncio.sleep(interval())
    finally:
        lock.release()  # the worker is stopping: another one takes over at its next try


async def outbox_loop() -> None:
    """Runs for the life of the backend: a pass every OUTBOX_INTERVAL_SECONDS in one worker."""
    await _every(lambda: OUTBOX_INTERVAL_SECONDS, database_lock("outbox"), outbox_pass, "Outbox pass failed")


async def reconcile_loop() -> None:
    """A reconciliation pass every RECONCILE_INTERVAL_SECONDS in one worker."""
    await _every(
        lambda: RECONCILE_INTERVAL_SECONDS, database_lock("reconcile"), reconcile_pass, "Reconciliation pass failed"
    )


async def registry_uploads_loop() -> None:
    """A sweep at start, then hourly, in one worker per machine: the uploads are kept on each machine's disk."""
    lock = folder_lock("registry-uploads-sweep", get_settings().cabinet_data_dir)
    await _every(lambda: SWEEP_INTERVAL_SECONDS, lock, registry_uploads_pass, "Sweeping registry uploads failed")


async def reminders_loop() -> None:
    """A reminders pass every REMINDERS_INTERVAL_SECONDS in one worker across machines (the database's lock);
    reminders_sent's unique key keeps each reminder to one letter even if two passes ever overlap."""
    await _every(
        lambda: REMINDERS_INTERVAL_SECONDS, database_lock("reminders"), reminders_pass, "Reminders pass failed"
    )
