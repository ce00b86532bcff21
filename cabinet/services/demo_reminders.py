"""The demo's reminders: what makes one of each kind due on `make run` (the runner's first pass sends them).

- «closes soon»: ООО «Газ-Сервис» takes readings all month, so with «closes in 31 days» it is always due
  for the resident's «Дача», which has no reading this month;
- «opens»: a family member shares «Дача» with «closes soon» switched off, so gets «opens» instead;
- verification due and expired: demo.py gives meters dates 20 days ahead and 10 days past;
- «new bill»: the resident's «Квартира» at the water utility counts one raise by an import, made at seeding.

Idempotent like the rest: a second run finds every value in place and writes nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from cabinet.models import AccountLink, Provider, ProviderAccount, UserRole
from cabinet.services.demo_rows import demo_user, upsert

FAMILY_EMAIL = "maria.ivanova@example.com"
FAMILY_PASSWORD = "demo-family-2026"


def seed_reminders(
    session: Session, *, always_open: Provider, shared: ProviderAccount, billed: ProviderAccount, now: dt.datetime
) -> int:
    """Makes each reminder kind due for the demo resident (and family); returns how many rows it wrote."""
    writes = 0
    _provider, wrote = upsert(session, Provider, {"id": always_open.id}, {"reminder_closing_days": 31}, now)
    writes += wrote
    family, wrote = demo_user(
        session,
        email=FAMILY_EMAIL,
        password=FAMILY_PASSWORD,
        role=UserRole.resident,
        now=now,
        full_name="Иванова Мария Петровна",
        notify_window_closing=False,
    )
    writes += wrote
    _link, wrote = upsert(
        session, AccountLink, {"user_id": family.id, "account_id": shared.id}, {"nickname": "Дача"}, now
    )
    writes += wrote
    # Raised once, at the first seeding: a later run leaves it, so the reminder keeps its key and goes once.
    if billed.debt_raises == 0:
        billed.debt_raises, billed.debt_raised_at = 1, now
        session.add(billed)
        writes += 1
    return writes
