"""«Задать вопрос»: a resident's question goes to the provider's support (or ours) through the outbox."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from cabinet import texts
from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import AuditEvent, Provider, ProviderAccount, User
from cabinet.services import letter_limits
from cabinet.services.accounts import links_of, require_linked_account
from cabinet.services.audit import account_provider, record_event
from cabinet.services.identity import parse_email
from cabinet.services.letters import render_letter
from cabinet.services.mail import queue_email
from cabinet.services.transactions import transactional

TOPICS = ("payment", "readings", "account", "cabinet", "other")
MESSAGE_MIN, MESSAGE_MAX = 10, 2000
# The public letters' numbers: enough for a real conversation, too few to flood a provider's
# mailbox from one address or one network address.
QUESTIONS_PER_ADDRESS = letter_limits.PER_ADDRESS_PER_HOUR
QUESTIONS_PER_CLIENT = letter_limits.PER_CLIENT_PER_HOUR
# The dialog's field a refusal of the question itself goes under.
MESSAGE = "message"


@dataclass(frozen=True)
class QuestionTarget:
    account_id: int
    label: str


@transactional()
def question_targets(*, session: Session, user_id: int) -> list[QuestionTarget]:
    """The resident's accounts a question may be about."""
    return [
        QuestionTarget(account.id or 0, f"{link.nickname or provider.name} · {account.number}")
        for link, account, provider in links_of(session=session, user_id=user_id)
    ]


def _recent_questions(session: Session, *, now: dt.datetime, sender: str = "", client_address: str = "") -> int:
    query = (
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "support_question", col(AuditEvent.created_at) > now - dt.timedelta(hours=1))
    )
    if sender:
        query = query.where(AuditEvent.target_id == sender)
    else:
        query = query.where(AuditEvent.client_address == client_address)
    return int(session.exec(query).one())


def _check_question(*, topic: str, text: str) -> None:
    if topic not in TOPICS:
        raise DomainError("question_topic", field="topic")
    if len(text) < MESSAGE_MIN:
        raise DomainError("question_short", field=MESSAGE, min=MESSAGE_MIN)
    if len(text) > MESSAGE_MAX:
        raise DomainError("question_long", field=MESSAGE, max=MESSAGE_MAX)


def _check_limits(session: Session, *, sender: str, client_address: str, now: dt.datetime) -> None:
    # Said aloud, unlike the other letters' limits: it counts only this person's own questions,
    # which tells nothing about anyone's account, and a silently dropped question would leave
    # a resident waiting for an answer that never comes.
    if _recent_questions(session, sender=sender.lower(), now=now) >= QUESTIONS_PER_ADDRESS:
        raise DomainError("question_too_many", field=MESSAGE)
    # A visitor could name a new address each time: the network address is limited too.
    if (
        client_address
        and _recent_questions(session, client_address=client_address[:64], now=now) >= QUESTIONS_PER_CLIENT
    ):
        raise DomainError("question_too_many", field=MESSAGE)


def _account_asked_about(session: Session, user: User | None, account_id: int) -> tuple[Provider, ProviderAccount]:
    """The resident's own account and its provider; anyone else's is «not found», by the account choice."""
    try:
        if user is None or user.id is None:
            raise DomainError("not_found")
        account = require_linked_account(session=session, user_id=user.id, account_id=account_id)
    except DomainError as refusal:
        raise DomainError(refusal.code, field="account", **refusal.params) from None
    provider = session.get(Provider, account.provider_id)
    assert provider is not None
    return provider, account


def _recipient_and_about(
    session: Session, user: User | None, account_id: int | None, *, support_email: str
) -> tuple[str, str]:
    """Where the question goes (the account's provider's support, else ours) and the letter's line about it."""
    recipient, about = support_email, texts.QUESTIONS["no_account"]
    if account_id is not None:
        provider, account = _account_asked_about(session, user, account_id)
        recipient = provider.support_email or recipient
        about = texts.QUESTIONS["about_account"].format(
            provider=provider.name, number=account.number, address=account.address
        )
    return recipient, about


def _queue_copy(
    session: Session,
    *,
    sender: str,
    recipient: str,
    support_email: str,
    topic_label: str,
    text: str,
    client_address: str,
    now: dt.datetime,
) -> None:
    """The resident's copy of the question, when the shared limit allows it."""
    # The copy goes to an address a visitor typed: a public letter, under the shared limit.
    if letter_limits.take_letter(
        session=session, kind="support_question_copy", recipient=sender, client_address=client_address, now=now
    ):
        copy = render_letter(
            "support_question_copy",
            support=support_email,
            topic=topic_label,
            recipient=recipient,
            message=text,
        )
        queue_email(
            session=session,
            to_address=sender,
            subject=copy.subject,
            text_body=copy.text_body,
            html_body=copy.html_body,
            now=now,
        )


@transactional()
def ask_question(
    *,
    session: Session,
    user_id: int | None,
    contact_email: str,
    topic: str,
    message: str,
    account_id: int | None,
    now: dt.datetime,
    client_address: str = "",
) -> str:
    """Queues the question and a copy for the resident; returns where it went.

    A signed-in resident writes from their own address; a visitor gives one. An account must be
    one of the resident's (anyone else's is «not found»); its provider's support gets the letter.
    """
    text = message.strip()
    _check_question(topic=topic, text=text)
    user = session.get(User, user_id) if user_id else None
    sender = user.email if user else parse_email(contact_email).display
    _check_limits(session, sender=sender, client_address=client_address, now=now)

    settings = get_settings()
    recipient, about = _recipient_and_about(session, user, account_id, support_email=settings.support_email)
    topic_label = texts.QUESTIONS["topics"][topic]
    who = ", ".join(part for part in (user.full_name if user else "", sender, user.phone if user else "") if part)
    letter = render_letter(
        "support_question", support=settings.support_email, topic=topic_label, sender=who, about=about, message=text
    )
    queue_email(
        session=session,
        to_address=recipient,
        subject=letter.subject,
        text_body=letter.text_body,
        html_body=letter.html_body,
        now=now,
    )
    _queue_copy(
        session,
        sender=sender,
        recipient=recipient,
        support_email=settings.support_email,
        topic_label=topic_label,
        text=text,
        client_address=client_address,
        now=now,
    )
    record_event(
        session=session,
        action="support_question",
        now=now,
        actor_user_id=user.id if user else None,
        client_address=client_address,
        target_type="sender",
        target_id=sender.lower(),
        details={"topic": topic, "account": account_id, "to": recipient},
        provider_id=account_provider(session, account_id),
    )
    return recipient
