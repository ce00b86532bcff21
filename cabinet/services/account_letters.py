"""The letters about a resident's own account: links to confirm, reset or change, and the notices."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from cabinet.config import get_settings
from cabinet.models import OutgoingEmail, TokenPurpose, User
from cabinet.services import letter_limits
from cabinet.services.letters import render_letter
from cabinet.services.mail import queue_email
from cabinet.services.tokens import LIFETIMES


def link_to(path: str) -> str:
    """The address of one of the cabinet's pages, for a letter."""
    return f"{get_settings().public_url}{path}"


def lifetime_hours(purpose: TokenPurpose) -> int:
    """How long a link of this purpose works, in hours, as the letter says."""
    return int(LIFETIMES[purpose].total_seconds() // 3600)


def send_letter(
    session: Session, *, to: str, kind: str, now: dt.datetime, link: str = "", **params: object
) -> OutgoingEmail:
    """Queues the letter `kind` (texts.LETTERS) to `to`; it leaves when the caller's transaction commits."""
    letter = render_letter(kind, link=link, support=get_settings().support_email, **params)
    return queue_email(
        session=session,
        to_address=to,
        subject=letter.subject,
        text_body=letter.text_body,
        html_body=letter.html_body,
        now=now,
    )


def may_send(session: Session, *, kind: str, to: str, client_address: str, now: dt.datetime) -> bool:
    """Whether a letter the public asked for may go (see services/letter_limits.py); when it
    may not, the caller sends nothing and answers as if it had."""
    return letter_limits.take_letter(session=session, kind=kind, recipient=to, client_address=client_address, now=now)


def send_confirmation(session: Session, user: User, token: str, now: dt.datetime) -> None:
    """The sign-up letter: the link that confirms the address."""
    send_letter(
        session,
        to=user.email,
        kind="confirm_email",
        now=now,
        link=link_to(f"/confirm/{token}"),
        hours=lifetime_hours(TokenPurpose.confirm_email),
    )
