"""One limit for every letter the public can make us send: so many an hour per address and per client."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from cabinet.models import PublicLetter
from cabinet.services.audit import record_event

logger = logging.getLogger(__name__)

# The one policy for sign-up, repeated sign-up, resent confirmation, password reset, e-mail
# change and the copy of a question: enough for a person who mistypes or loses a letter, too
# few to turn the cabinet into a way of flooding someone's mailbox.
WINDOW = dt.timedelta(hours=1)
PER_ADDRESS_PER_HOUR = 5
PER_CLIENT_PER_HOUR = 20


@dataclass(frozen=True)
class RecentLetters:
    to_address: int
    from_client: int


def over_limit(recent: RecentLetters) -> str | None:
    """Which limit one more letter would break ('address' or 'client'), or None when it may go."""
    if recent.to_address >= PER_ADDRESS_PER_HOUR:
        return "address"
    if recent.from_client >= PER_CLIENT_PER_HOUR:
        return "client"
    return None


def _count(session: Session, column, value: str, now: dt.datetime) -> int:
    query = (
        select(func.count())
        .select_from(PublicLetter)
        .where(column == value, col(PublicLetter.created_at) > now - WINDOW)
    )
    return int(session.exec(query).one())


def recent_letters(*, session: Session, recipient: str, client_address: str, now: dt.datetime) -> RecentLetters:
    """Public letters in the last hour to this address and from this client (none counted without one)."""
    return RecentLetters(
        to_address=_count(session, PublicLetter.recipient, recipient.strip().lower(), now),
        from_client=_count(session, PublicLetter.client_address, client_address[:64], now) if client_address else 0,
    )


def take_letter(*, session: Session, kind: str, recipient: str, client_address: str, now: dt.datetime) -> bool:
    """True, and the letter counted, when it may go; False when over the limit.

    The caller then sends nothing and answers exactly as if it had: a refused request must
    not tell anyone whether the address has an account. We learn of it from the log and audit.
    """
    canonical = recipient.strip().lower()
    broken = over_limit(recent_letters(session=session, recipient=canonical, client_address=client_address, now=now))
    if broken is not None:
        logger.warning("Letter %s to %s from %r not sent: over the %s limit", kind, canonical, client_address, broken)
        record_event(
            session=session,
            action="letter_limited",
            now=now,
            client_address=client_address,
            target_type="email",
            target_id=canonical[:64],
            details={"kind": kind, "limit": broken, "to": canonical},
        )
        return False
    session.add(PublicLetter(kind=kind, recipient=canonical[:320], client_address=client_address[:64], created_at=now))
    session.flush()
    return True
