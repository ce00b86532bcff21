"""The letters of new reminders: Russian, naming the account, with a button to its page and a one-click unsubscribe.

Queued in the transaction that recorded the reminders (services/reminders.py), and each reminder row
is pointed at its letter, so the admin side can count what went out and bounced.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Session

from cabinet.config import get_settings
from cabinet.models import (
    AccountLink,
    Meter,
    OutgoingEmail,
    Provider,
    ProviderAccount,
    ReminderKind,
    ReminderSent,
    User,
)
from cabinet.money import format_rubles
from cabinet.services.calendar import date_text, days_text, local_date
from cabinet.services.letters import render_letter
from cabinet.services.mail import outbox_row
from cabinet.services.meter_text import kind_label
from cabinet.services.reading_rules import window_for_period
from cabinet.services.unsubscribe import KIND_SWITCHES, unsubscribe_token

_IDS_PER_QUERY = 1000
_READINGS_KINDS = (ReminderKind.window_opens, ReminderKind.window_closing)
_METER_KINDS = (ReminderKind.verification_soon, ReminderKind.verification_expired)


def unsubscribe_links(user_id: int, kind: ReminderKind) -> tuple[str, str]:
    """(the page a resident opens, the address a mail client POSTs to per RFC 8058) for this kind's switch."""
    token = unsubscribe_token(user_id, KIND_SWITCHES[kind])
    base = get_settings().public_url
    return f"{base}/unsubscribe/{token}", f"{base}/api/unsubscribe/{token}"


def queue_reminder_letters(session: Session, reminder_ids: list[int], *, now: dt.datetime) -> None:
    """Queues one letter per reminder row and links each row to its letter.

    Set-based per chunk of rows: one SELECT of what the letters say, the letters rendered in Python
    (no ORM object per letter), one write of the chunk's letters (COPY on PostgreSQL, a many-row
    INSERT elsewhere) and one UPDATE pointing the rows at them.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    for start in range(0, len(reminder_ids), _IDS_PER_QUERY):
        rows = session.execute(_letter_rows(reminder_ids[start : start + _IDS_PER_QUERY])).all()
        if not rows:
            continue
        values = [_letter(row, now) for row in rows]
        pairs = _copy_letters(session, values) if postgres else _insert_letters(session, values)
        _point_at_letters(session, [row.id for row in rows], pairs, postgres=postgres)


def _letter_rows(chunk: list[int]) -> sa.Select:
    """What the letters of these reminder rows say, in the rows' order."""
    sent, links, accounts, providers = (
        ReminderSent.__table__,
        AccountLink.__table__,
        ProviderAccount.__table__,
        Provider.__table__,
    )
    users, meters = User.__table__, Meter.__table__
    return (
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


def _insert_letters(session: Session, values: list[dict[str, object]]) -> list[int]:
    """One many-row INSERT; the letters' ids in the order of `values`."""
    letters = OutgoingEmail.__table__
    insert = sa.insert(letters).returning(letters.c.id, sort_by_parameter_order=True)
    return list(session.execute(insert, values).scalars())


def _copy_letters(session: Session, values: list[dict[str, object]]) -> list[int]:
    """PostgreSQL: the ids taken from the table's sequence at once, the letters written with COPY."""
    ids = list(
        session.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence('outgoing_emails', 'id')) FROM generate_series(1, :n)"),
            {"n": len(values)},
        ).scalars()
    )
    columns = ["id", *values[0]]
    cursor = session.connection().connection.driver_connection.cursor()
    with cursor, cursor.copy(f"COPY outgoing_emails ({', '.join(columns)}) FROM STDIN") as copy:
        for letter_id, letter in zip(ids, values, strict=True):
            copy.write_row([letter_id, *(_copy_value(value) for value in letter.values())])
    return ids


def _copy_value(value: object) -> object:
    return value.value if isinstance(value, enum.Enum) else value


def _point_at_letters(session: Session, reminders: list[int], letters: list[int], *, postgres: bool) -> None:
    sent = ReminderSent.__table__
    if postgres:  # one UPDATE from two arrays; SQLite has neither arrays nor column names for a VALUES list
        session.execute(
            sa.text(
                "UPDATE reminders_sent SET email_id = pairs.email"
                " FROM unnest(CAST(:reminders AS integer[]), CAST(:letters AS integer[])) AS pairs(reminder, email)"
                " WHERE reminders_sent.id = pairs.reminder"
            ),
            {"reminders": reminders, "letters": letters},
        )
        return
    session.execute(
        sa.update(sent).where(sent.c.id == sa.bindparam("reminder")).values(email_id=sa.bindparam("email")),
        [{"reminder": reminder, "email": letter} for reminder, letter in zip(reminders, letters, strict=True)],
    )


def _letter(row: sa.Row, now: dt.datetime) -> dict[str, object]:
    """The outbox row of one reminder's letter."""
    kind = ReminderKind(row.kind)
    page, one_click = unsubscribe_links(row.user_id, kind)
    settings = get_settings()
    letter = render_letter(
        f"reminder_{kind.value}",
        link=settings.public_url + _page(kind, row.account_id),
        support=settings.support_email,
        unsubscribe=page,
        **_params(kind, row, now),
    )
    return outbox_row(
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
        # The row carries the provider's window days; a Provider model object per letter costs more than the letter.
        window = window_for_period(row, dt.date.fromisoformat(row.period))  # type: ignore[arg-type]
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
