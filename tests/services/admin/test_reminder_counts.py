"""The overview's «Напоминания»: per provider, month (Moscow) and kind, how many reminders went and how many of
their letters failed — only the acting staff member's providers, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from cabinet.errors import DomainError
from cabinet.models import (
    EmailStatus,
    OutgoingEmail,
    ReminderKind,
    ReminderSent,
    StaffMembership,
    StaffRole,
    UserRole,
)
from cabinet.services.admin import reminder_counts
from tests.factories import NOW, make_account, make_provider, make_user

NOVEMBER, OCTOBER = dt.date(2026, 11, 1), dt.date(2026, 10, 1)
_keys = itertools.count(1)


def _reminder(session, user, account, kind: ReminderKind, at: dt.datetime, status: EmailStatus | None) -> None:
    """A reminder row made at `at`, with its letter in `status` (None: no letter)."""
    key = next(_keys)
    email_id = None
    if status is not None:
        letter = OutgoingEmail(
            to_address=user.email,
            subject="Напоминание",
            text_body="",
            html_body="",
            idempotency_key=f"reminder-{key}",
            status=status,
            created_at=at,
        )
        session.add(letter)
        session.flush()
        email_id = letter.id
    session.add(
        ReminderSent(
            user_id=user.id,
            account_id=account.id,
            kind=kind,
            subject_id=account.id,
            period=f"p{key}",
            email_id=email_id,
            created_at=at,
        )
    )
    session.flush()


@pytest.fixture
def two_providers(session):
    """Provider «А» with reminders this month and last, provider «Б» with one; an operator of «А» only."""
    first, second = make_provider(session, name="А-Вода"), make_provider(session, name="Б-Газ")
    account_a, account_b = make_account(session, first), make_account(session, second)
    resident = make_user(session)
    this_month = dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)
    for status in (EmailStatus.sent, EmailStatus.sent, EmailStatus.failed, EmailStatus.queued):
        _reminder(session, resident, account_a, ReminderKind.window_opens, this_month, status)
    _reminder(session, resident, account_a, ReminderKind.new_bill, this_month, EmailStatus.failed)
    # 31 October 22:00 UTC is 1 November in Moscow: November's.
    _reminder(
        session, resident, account_a, ReminderKind.window_closing, dt.datetime(2026, 10, 31, 22, tzinfo=dt.UTC), None
    )
    _reminder(
        session,
        resident,
        account_a,
        ReminderKind.window_closing,
        dt.datetime(2026, 10, 20, tzinfo=dt.UTC),
        EmailStatus.sent,
    )
    # Older than the three months shown: not counted.
    _reminder(
        session,
        resident,
        account_a,
        ReminderKind.window_opens,
        dt.datetime(2026, 8, 10, tzinfo=dt.UTC),
        EmailStatus.sent,
    )
    _reminder(session, resident, account_b, ReminderKind.verification_soon, this_month, EmailStatus.failed)
    operator = make_user(session)
    session.add(StaffMembership(user_id=operator.id, provider_id=first.id, role=StaffRole.operator, created_at=NOW))
    session.flush()
    return {
        "first": first,
        "second": second,
        "operator": operator.id,
        "admin": make_user(session, role=UserRole.admin).id,
    }


def _table(rows) -> list[tuple]:
    return [(row.provider_name, row.month, row.kind, row.total, row.sent, row.failed) for row in rows]


def test_counts_per_provider_month_and_kind_with_the_failed_letters(session, two_providers):
    rows = reminder_counts.reminder_counts(session=session, actor_id=two_providers["admin"], now=NOW)
    assert _table(rows) == [
        ("А-Вода", NOVEMBER, ReminderKind.window_opens, 4, 2, 1),
        ("А-Вода", NOVEMBER, ReminderKind.window_closing, 1, 0, 0),
        ("А-Вода", NOVEMBER, ReminderKind.new_bill, 1, 0, 1),
        ("А-Вода", OCTOBER, ReminderKind.window_closing, 1, 1, 0),
        ("Б-Газ", NOVEMBER, ReminderKind.verification_soon, 1, 0, 1),
    ]
    assert {row.provider_id for row in rows} == {two_providers["first"].id, two_providers["second"].id}


def test_an_operator_of_one_provider_never_sees_anothers_counts(session, two_providers):
    rows = reminder_counts.reminder_counts(session=session, actor_id=two_providers["operator"], now=NOW)
    assert {row.provider_name for row in rows} == {"А-Вода"}
    assert sum(row.total for row in rows) == 7


def test_nothing_yet_is_an_empty_table_and_a_resident_is_refused(session, people):
    assert reminder_counts.reminder_counts(session=session, actor_id=people["admin"].id, now=NOW) == []
    with pytest.raises(DomainError, match="not_found"):
        reminder_counts.reminder_counts(session=session, actor_id=people["resident"].id, now=NOW)
