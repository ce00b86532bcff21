"""The outbox: letters are queued in the transaction that causes them and delivered with retries."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from cabinet.clock import utc_now
from cabinet.db import session_scope
from cabinet.gateways import GatewayError
from cabinet.models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd, … failed attempt; the last one repeats until MAX_ATTEMPTS.
BACKOFF = (
    dt.timedelta(seconds=30),
    dt.timedelta(minutes=2),
    dt.timedelta(minutes=10),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
)
MAX_ATTEMPTS = 10

SendFunction = Callable[..., str]


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def queue_email(
    *,
    session: Session,
    to_address: str,
    subject: str,
    text_body: str,
    html_body: str,
    now: dt.datetime,
    headers: dict[str, str] | None = None,
) -> OutgoingEmail:
    """Adds a letter to the outbox; it leaves only if the caller's transaction commits."""
    letter = OutgoingEmail(
        **outbox_row(
            to_address=to_address, subject=subject, text_body=text_body, html_body=html_body, now=now, headers=headers
        )
    )
    session.add(letter)
    return letter


def outbox_row(
    *, to_address: str, subject: str, text_body: str, html_body: str, now: dt.datetime, headers: dict[str, str] | None
) -> dict[str, object]:
    """Every column of a queued letter, for `queue_email` or a many-row INSERT of many letters at once
    (services/reminder_letters.py), which builds no ORM object per letter."""
    return {
        "to_address": to_address,
        "subject": subject,
        "text_body": text_body,
        "html_body": html_body,
        "headers": json.dumps(headers or {}, ensure_ascii=False),
        "idempotency_key": uuid.uuid4().hex,
        "status": EmailStatus.queued,
        "attempts": 0,
        "last_error": "",
        "gateway_message_id": "",
        "next_attempt_at": now,
        "created_at": now,
        "sent_at": None,
        "forget_after_sending": False,
    }


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failure."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def _due(session: Session, now: dt.datetime, batch_size: int) -> list[OutgoingEmail]:
    query = (
        select(OutgoingEmail)
        .where(OutgoingEmail.status == EmailStatus.queued, OutgoingEmail.next_attempt_at <= now)
        .order_by(col(OutgoingEmail.next_attempt_at), col(OutgoingEmail.id))
        .limit(batch_size)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Two workers delivering at once each take different letters.
        query = query.with_for_update(skip_locked=True)
    return list(session.exec(query))


def _default_send(**kwargs) -> str:
    from cabinet.gateways.resend import send_email

    return send_email(**kwargs)


def deliver_due(
    *, session: Session, now: dt.datetime, send: SendFunction = _default_send, batch_size: int = 20
) -> DeliveryReport:
    """Sends the letters that are due; a failure reschedules that letter, never raises."""
    sent = retrying = failed = 0
    for letter in _due(session, now, batch_size):
        letter.attempts += 1
        # Only a letter with headers passes them: the others call the gateway exactly as before.
        extra = {"headers": headers} if (headers := json.loads(letter.headers or "{}")) else {}
        try:
            letter.gateway_message_id = send(
                to=letter.to_address,
                subject=letter.subject,
                html=letter.html_body,
                text=letter.text_body,
                idempotency_key=letter.idempotency_key,
                **extra,
            )
        except GatewayError as error:
            letter.last_error = str(error)[:500]
            # A refused letter (bad address) will be refused again: stop at once.
            if error.kind == "rejected" or letter.attempts >= MAX_ATTEMPTS:
                letter.status = EmailStatus.failed
                failed += 1
                logger.error("Letter %s failed for good: %s", letter.id, error)
            else:
                letter.next_attempt_at = now + retry_delay(letter.attempts)
                retrying += 1
                logger.warning("Letter %s not sent (attempt %s): %s", letter.id, letter.attempts, error)
        else:
            letter.status = EmailStatus.sent
            letter.sent_at = now
            letter.last_error = ""
            sent += 1
        if letter.forget_after_sending and letter.status != EmailStatus.queued:
            _forget(letter)
        session.add(letter)
    return DeliveryReport(sent=sent, retrying=retrying, failed=failed)


def _forget(letter: OutgoingEmail) -> None:
    """Erases a letter's address and text once it has gone or failed for good (a closed cabinet's last letter)."""
    letter.to_address = letter.subject = letter.text_body = letter.html_body = letter.last_error = ""
    letter.headers = "{}"


def deliver_pending_mail(batch_size: int = 20) -> DeliveryReport:
    """One pass of the outbox in its own transaction: what the periodic task calls."""
    with session_scope() as session:
        return deliver_due(session=session, now=utc_now(), batch_size=batch_size)
