"""Everything the cabinet holds about one resident, gathered for «Мои данные» (services/data_archive.py).

Each section is a list of rows of plain values (times UTC, money in kopecks, meter values in thousandths, codes
as stored): the archive writes them as they are for programs and in words for people (services/archive_files.py).
Only this resident's rows are read: every query is bound to their id, or to their own address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from cabinet.models import (
    AccountLink,
    AuditEvent,
    LoginSession,
    Meter,
    MeterReading,
    Payment,
    PaymentPart,
    Provider,
    ProviderAccount,
    Refund,
    User,
)

Row = dict[str, object]
SIGN_IN_HISTORY_ACTIONS = ("sign_in", "sign_in_failed", "sign_out")
# The letter switches of the profile, each a consent to one kind of letter: (column, its key in texts).
LETTER_CONSENTS = (
    ("notify_payment_receipts", "letters_receipts"),
    ("notify_reading_reminders", "letters_window_opens"),
    ("notify_window_closing", "letters_window_closing"),
    ("notify_verification", "letters_verification"),
    ("notify_new_bill", "letters_new_bill"),
)


@dataclass(frozen=True)
class ResidentData:
    prepared_at: dt.datetime
    sections: dict[str, list[Row]]


def collect(
    session: Session, *, user_id: int, now: dt.datetime, progress: Callable[[int], None] = lambda _percent: None
) -> ResidentData:
    """The resident's data, section by section; `progress` hears the share done (0–80 %) after each one."""
    user = session.get(User, user_id)
    assert user is not None
    sections: dict[str, list[Row]] = {}
    for done, (key, read) in enumerate(_READERS.items(), start=1):
        sections[key] = read(session, user)
        progress(done * 80 // len(_READERS))
    return ResidentData(prepared_at=now, sections=sections)


def _profile(_session: Session, user: User) -> list[Row]:
    return [
        {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "registered_at": user.created_at,
            "confirmed_at": user.confirmed_at,
        }
    ]


def _consents(session: Session, user: User) -> list[Row]:
    """The consent to processing given at sign-up (the policy's text is in the archive), and each letter switch."""
    signed_up = session.exec(
        select(AuditEvent.created_at)
        .where(AuditEvent.actor_user_id == user.id, AuditEvent.action == "sign_up")
        .order_by(col(AuditEvent.created_at))
    ).first()
    rows: list[Row] = [{"consent": "personal_data", "given": True, "since": signed_up or user.created_at}]
    rows += [
        {"consent": key, "given": bool(getattr(user, column)), "since": user.updated_at}
        for column, key in LETTER_CONSENTS
    ]
    return rows


def _accounts(session: Session, user: User) -> list[Row]:
    found = session.exec(
        select(AccountLink, ProviderAccount, Provider)
        .join(ProviderAccount, col(ProviderAccount.id) == AccountLink.account_id)
        .join(Provider, col(Provider.id) == ProviderAccount.provider_id)
        .where(AccountLink.user_id == user.id)
        .order_by(col(AccountLink.created_at), col(AccountLink.id))
    )
    return [
        {
            "provider": provider.name,
            "account": account.number,
            "address": account.address,
            "nickname": link.nickname,
            "linked_at": link.created_at,
        }
        for link, account, provider in found
    ]


def _readings(session: Session, user: User) -> list[Row]:
    found = session.exec(
        select(MeterReading, Meter, ProviderAccount, Provider)
        .join(Meter, col(Meter.id) == MeterReading.meter_id)
        .join(ProviderAccount, col(ProviderAccount.id) == Meter.account_id)
        .join(Provider, col(Provider.id) == ProviderAccount.provider_id)
        .where(MeterReading.user_id == user.id)
        .order_by(col(MeterReading.submitted_at), col(MeterReading.id))
    )
    return [
        {
            "submitted_at": reading.submitted_at,
            "provider": provider.name,
            "account": account.number,
            "meter_kind": meter.kind.value,
            "meter_serial": meter.serial,
            "period": reading.period,
            "value_thousandths": reading.value_thousandths,
            "source": reading.source.value,
            "outside_window": reading.outside_window,
        }
        for reading, meter, account, provider in found
    ]


def _payments(session: Session, user: User) -> list[Row]:
    found = session.exec(select(Payment).where(Payment.user_id == user.id).order_by(col(Payment.created_at)))
    return [
        {
            "payment": payment.id,
            "created_at": payment.created_at,
            "paid_at": payment.paid_at,
            "status": payment.status.value,
            "amount_kopecks": payment.amount_kopecks,
            "receipt_email": payment.receipt_email,
            "description": payment.description,
            "gateway_payment_id": payment.gateway_payment_id or "",
        }
        for payment in found
    ]


def _receipt_lines(session: Session, user: User) -> list[Row]:
    """Each payment's lines, as its receipt lists them: one account of one provider each."""
    found = session.exec(
        select(PaymentPart, ProviderAccount, Provider)
        .join(Payment, col(Payment.id) == PaymentPart.payment_id)
        .join(ProviderAccount, col(ProviderAccount.id) == PaymentPart.account_id)
        .join(Provider, col(Provider.id) == PaymentPart.provider_id)
        .where(Payment.user_id == user.id)
        .order_by(col(PaymentPart.payment_id), col(PaymentPart.position), col(PaymentPart.id))
    )
    return [
        {
            "payment": part.payment_id,
            "provider": provider.name,
            "provider_inn": provider.inn,
            "account": account.number,
            "purpose": part.purpose.value,
            "amount_kopecks": part.amount_kopecks,
        }
        for part, account, provider in found
    ]


def _refunds(session: Session, user: User) -> list[Row]:
    found = session.exec(
        select(Refund)
        .join(Payment, col(Payment.id) == Refund.payment_id)
        .where(Payment.user_id == user.id)
        .order_by(col(Refund.created_at), col(Refund.id))
    )
    return [
        {
            "payment": refund.payment_id,
            "created_at": refund.created_at,
            "refunded_at": refund.refunded_at,
            "status": refund.status.value,
            "amount_kopecks": refund.amount_kopecks,
            "reason": refund.reason,
        }
        for refund in found
    ]


def _sign_ins(session: Session, user: User) -> list[Row]:
    """Sign-ins, failed tries and sign-outs from the journal, then the browsers that were signed in."""
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.actor_user_id == user.id, col(AuditEvent.action).in_(SIGN_IN_HISTORY_ACTIONS))
        .order_by(col(AuditEvent.created_at), col(AuditEvent.id))
    )
    rows: list[Row] = [
        {"at": event.created_at, "event": event.action, "address": event.client_address, "browser": ""}
        for event in events
    ]
    browsers = session.exec(
        select(LoginSession).where(LoginSession.user_id == user.id).order_by(col(LoginSession.created_at))
    )
    rows += [
        {
            "at": browser.last_seen_at,
            "event": "session",
            "address": browser.client_address,
            "browser": browser.user_agent,
        }
        for browser in browsers
    ]
    return rows


# Each section and how it is read, in the order they are gathered and written; texts.DATA_ARCHIVE names each
# and its columns.
_READERS: dict[str, Callable[[Session, User], list[Row]]] = {
    "profile": _profile,
    "consents": _consents,
    "accounts": _accounts,
    "readings": _readings,
    "payments": _payments,
    "receipt_lines": _receipt_lines,
    "refunds": _refunds,
    "sign_ins": _sign_ins,
}
SECTIONS = tuple(_READERS)
