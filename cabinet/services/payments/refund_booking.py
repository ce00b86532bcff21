"""A succeeded refund in our books: a negative ledger entry once, and a letter to the resident who paid."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from cabinet.config import get_settings
from cabinet.models import LedgerEntry, Payment, PaymentPart, Provider, ProviderAccount, Refund, User
from cabinet.money import format_rubles
from cabinet.services.calendar import local_time_text
from cabinet.services.letters import render_letter
from cabinet.services.mail import queue_email


def book_refund(session: Session, refund: Refund, *, now: dt.datetime) -> bool:
    """The account's amount to pay rises back by the refund; the unique refund_id makes it once."""
    if session.exec(select(LedgerEntry.id).where(LedgerEntry.refund_id == refund.id)).first() is not None:
        return False
    part = session.get(PaymentPart, refund.part_id)
    payment = session.get(Payment, refund.payment_id)
    assert part is not None and payment is not None
    session.add(
        LedgerEntry(
            account_id=part.account_id,
            payment_id=payment.id,
            refund_id=refund.id,
            amount_kopecks=-refund.amount_kopecks,
            booked_at=refund.refunded_at or now,
        )
    )
    user = session.get(User, payment.user_id)
    account = session.get(ProviderAccount, part.account_id)
    provider = session.get(Provider, part.provider_id)
    # The resident hears of money coming back whatever their receipt-letter switch says: it is not a notice.
    if user is not None and account is not None and provider is not None and not user.is_blocked:
        settings = get_settings()
        letter = render_letter(
            "refund_succeeded",
            link=f"{settings.public_url}/payments/{payment.id}",
            support=settings.support_email,
            amount=format_rubles(refund.amount_kopecks),
            paid=local_time_text(payment.paid_at or payment.created_at),
            provider=provider.name,
            number=account.number,
            reason=refund.reason,
        )
        queue_email(
            session=session,
            to_address=payment.receipt_email or user.email,
            subject=letter.subject,
            text_body=letter.text_body,
            html_body=letter.html_body,
            now=now,
        )
    session.flush()
    return True
