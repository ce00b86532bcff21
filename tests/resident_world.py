"""A resident with every kind of data the cabinet keeps, for the archive and closing tests (#19).

Rows are written as the services write them (the same columns, audit details of the same shape), so a test
can compare every table before and after.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json

from sqlmodel import Session

from cabinet.models import (
    AccountLink,
    AuditEvent,
    DataArchive,
    DataArchiveStatus,
    LoginAttempt,
    MeterReading,
    OneTimeToken,
    OutgoingEmail,
    OwnershipFailure,
    PaymentStatus,
    PublicLetter,
    ReadingSource,
    Refund,
    RefundStatus,
    ReminderKind,
    ReminderSent,
    TokenPurpose,
    User,
)
from cabinet.services import sessions
from tests.factories import NOW, make_account, make_meter, make_payment, make_provider, make_user, parts_of

_serial = itertools.count(1)


def _audit(session: Session, user: User, action: str, address: str, **details) -> None:
    session.add(
        AuditEvent(
            action=action,
            created_at=NOW,
            actor_user_id=user.id,
            client_address=address,
            details=json.dumps(details, ensure_ascii=False, sort_keys=True),
        )
    )


def make_resident_with_everything(session: Session, *, name: str, password: str = "secret12") -> dict:
    """A resident called `name` (their address `<name>@example.com`, an earlier one `<name>.old@example.com`)
    with a linked account and its nickname, readings, a paid and refunded payment, a signed-in browser, sign-in
    tries, links by e-mail, letters and reminders, journal entries and an archive. Returns what was made, the
    raw session token and the strings that identify the person (`personal`)."""
    n = next(_serial)
    email, old_email = f"{name}@example.com", f"{name}.old@example.com"
    address, phone, agent = f"10.9.{n}.7", f"+7 900 000-0{n}-00", f"Browser-of-{name}"
    user = make_user(session, email=email, password=password)
    user.full_name, user.phone = f"Фамилия-{name} Имя", phone
    provider = make_provider(session)
    account = make_account(session, provider)
    meter = make_meter(session, account)
    session.add(AccountLink(user_id=user.id, account_id=account.id, nickname=f"Дача-{name}", created_at=NOW))
    session.add(OwnershipFailure(user_id=user.id, account_id=account.id, created_at=NOW))
    session.add(
        MeterReading(
            meter_id=meter.id,
            user_id=user.id,
            value_thousandths=123_456,
            period=dt.date(2026, 11, 1),
            source=ReadingSource.resident,
            submitted_at=NOW,
        )
    )
    paid = make_payment(
        session,
        user,
        account,
        150_000,
        status=PaymentStatus.succeeded,
        receipt_email=email,
        gateway_payment_id=f"g-{n}",
    )
    part = parts_of(session, paid)[0]
    session.add(
        Refund(
            payment_id=paid.id,
            part_id=part.id,
            amount_kopecks=10_000,
            reason="Ошибочная сумма",
            status=RefundStatus.succeeded,
            idempotency_key=f"r-{n}",
            refunded_at=NOW,
            created_at=NOW,
            updated_at=NOW,
        )
    )
    token = sessions.start_session(
        session=session, user_id=user.id, remember=True, now=NOW, client_address=address, user_agent=agent
    )
    session.add(LoginAttempt(email_canonical=email, client_address=address, succeeded=True, created_at=NOW))
    session.add(
        OneTimeToken(
            user_id=user.id,
            purpose=TokenPurpose.change_email,
            token_hash=f"{n:064d}",
            new_email=f"{name}.new@example.com",
            created_at=NOW,
            expires_at=NOW + dt.timedelta(days=1),
        )
    )
    letter = OutgoingEmail(
        to_address=email,
        subject=f"Письмо для {name}",
        text_body=f"Здравствуйте, {user.full_name}",
        html_body="<p>…</p>",
        idempotency_key=f"e-{n}",
        created_at=NOW,
    )
    session.add(letter)
    session.add(
        OutgoingEmail(
            to_address=old_email, subject="Адрес изменён", text_body="…", html_body="…", idempotency_key=f"o-{n}"
        )
    )
    session.flush()
    session.add(
        ReminderSent(
            user_id=user.id,
            account_id=account.id,
            kind=ReminderKind.window_opens,
            subject_id=account.id,
            period="2026-11",
            email_id=letter.id,
            created_at=NOW,
        )
    )
    session.add(PublicLetter(kind="confirm_email", recipient=email, client_address=address, created_at=NOW))
    session.add(PublicLetter(kind="reset_password", recipient=old_email, client_address=address, created_at=NOW))
    session.add(
        DataArchive(
            user_id=user.id,
            token_hash=f"a{n:063d}",
            status=DataArchiveStatus.ready,
            content=b"zip",
            size_bytes=3,
            created_at=NOW - dt.timedelta(hours=1),
            expires_at=NOW + dt.timedelta(hours=23),
        )
    )
    _audit(session, user, "sign_up", address)
    _audit(session, user, "sign_in", address)
    _audit(session, user, "sign_in_failed", address)
    _audit(session, user, "email_changed", address, before=old_email, after=email)
    _audit(session, user, "profile_updated", address, before={"full_name": "", "phone": ""}, after={"phone": phone})
    _audit(session, user, "payment_created", address, amount=150_000, account=account.id)
    # A stranger's sign-ups for this address hit the letter limit: the entry names the address.
    session.add(
        AuditEvent(action="letter_limited", created_at=NOW, details=json.dumps({"kind": "confirm_email", "to": email}))
    )
    session.add(user)
    session.flush()
    return dict(
        user=user,
        provider=provider,
        account=account,
        meter=meter,
        payment=paid,
        token=token,
        personal=(email, old_email, user.full_name, phone, address, agent, f"Дача-{name}"),
    )
