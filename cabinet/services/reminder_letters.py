"""The letters of new reminders: Russian, naming the account, with a button to its page and a one-click unsubscribe.

Queued in the transaction that recorded the reminders (services/reminders.py), and each reminder row
is pointed at its letter, so the admin side can count what went out and bounced.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session

from cabinet.config import get_settings
from cabinet.models import AccountLink, Meter, Provider, ProviderAccount, ReminderKind, ReminderSent, User
from cabinet.money import format_rubles
from cabinet.services.calendar import date_text, days_text, local_date
from cabinet.services.letters import render_letter
from cabinet.services.mail import queue_email
from cabinet.services.meter_text import kind_label
from cabinet.services.reading_rules import window_for_period
from cabinet.services.unsubscribe import KIND_SWITCHES, unsubscribe_token

_IDS_PER_QUERY = 500
_READINGS_KINDS = (ReminderKind.window_opens, ReminderKind.window_closing)
_METER_KINDS = (ReminderKind.verification_soon, ReminderKind.verification_expired)


def unsubscribe_links(user_id: int, kind: ReminderKind) -> tuple[str, str]:
    """(the page a resident opens, the address a mail client POSTs to per RFC 8058) for this kind's switch."""
    token = unsubscribe_token(user_id, KIND_SWITCHES[kind])
    base = get_settings().public_url
    return f"{base}/unsubscribe/{token}", f"{base}/api/unsubscribe/{token}"


def queue_reminder_letters(session: Session, reminder_ids: list[int], *, now: dt.datetime) -> None:
    """Queues one letter per reminder row and links each row to its letter."""
    sent, links, accounts, providers = (
        ReminderSent.__table__,
        AccountLink.__table__,
        ProviderAccount.__table__,
        Provider.__table__,
    )
    users, meters = User.__table__, Meter.__table__
    for start in range(0, len(reminder_ids), _IDS_PER_QUERY):
        chunk = reminder_ids[start : start + _IDS_PER_QUERY]
        query = (
            sa.select(
                sent.c.id,
                sent.c.kind,
                sent.c.user_id,
                sent.c.period,
                users.c.email,
                links.c.nickname,
                accounts.c.id.label("account_id"),
                accounts.c.number,
                accounts.c.address,
                accounts.c.debt_kopecks,
                providers.c.name.label("provider"),
                providers.c.reading_window_start_day,
                providers.c.reading_window_end_day,
                meters.c.kind.label("meter_kind"),
                meters.c.serial,
                meters.c.verified_until,
            )
            .select_from(sent)
            .join(users, users.c.id == sent.c.user_id)
            .join(links, sa.and_(links.c.user_id == sent.c.user_id, links.c.account_id == sent.c.account_id))
            .join(accounts, accounts.c.id == sent.c.account_id)
            .join(providers, providers.c.id == accounts.c.provider_id)
            .outerjoin(
                meters,
                sa.and_(meters.c.id == sent.c.subject_id, sent.c.kind.in_([kind.value for kind in _METER_KINDS])),
            )
            .where(sent.c.id.in_(chunk))
            .order_by(sent.c.id)
        )
        pairs = [(row.id, _queue(session, row, now)) for row in session.execute(query)]
        session.flush()
        if pairs:
            session.execute(
                sa.update(sent).where(sent.c.id == sa.bindparam("reminder")).values(email_id=sa.bindparam("email")),
                [{"reminder": reminder, "email": letter.id} for reminder, letter in pairs],
            )


def _queue(session: Session, row: sa.Row, now: dt.datetime):
    kind = ReminderKind(row.kind)
    page, one_click = unsubscribe_links(row.user_id, kind)
    letter = render_letter(
        f"reminder_{kind.value}",
        link=get_settings().public_url + _page(kind, row.account_id),
        support=get_settings().support_email,
        unsubscribe=page,
        **_params(kind, row, now),
    )
    return queue_email(
        session=session,
        to_address=row.email,
        subject=letter.subject,
        text_body=letter.text_body,
        html_body=letter.html_body,
        now=now,
        headers={"List-Unsubscribe": f"<{one_click}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def _page(kind: ReminderKind, account_id: int) -> str:
    """Where the letter's button leads: the account's payment for a bill, its readings otherwise."""
    if kind == ReminderKind.new_bill:
        return f"/accounts/{account_id}/pay"
    return f"/accounts/{account_id}/readings"


def _params(kind: ReminderKind, row: sa.Row, now: dt.datetime) -> dict[str, object]:
    params: dict[str, object] = {
        "nickname": row.nickname or row.number,
        "provider": row.provider,
        "address": row.address,
    }
    if kind in _READINGS_KINDS:
        days = Provider(
            reading_window_start_day=row.reading_window_start_day, reading_window_end_day=row.reading_window_end_day
        )
        window = window_for_period(days, dt.date.fromisoformat(row.period))
        params |= {
            "opens": date_text(window.opens),
            "closes": date_text(window.closes),
            "days_left": days_text((window.closes - local_date(now)).days + 1),
        }
    elif kind in _METER_KINDS:
        meter = kind_label(row.meter_kind) + (f" № {row.serial}" if row.serial else "")
        params |= {"meter": meter, "date": date_text(row.verified_until)}
    else:
        params["amount"] = format_rubles(row.debt_kopecks)
    return params
