"""Bench residents in the cabinet's database (the one the environment names), each with a session.

    python -m bench.seed_residents 50 [--own-accounts]

Prints JSON: for each resident its session token, account, meter and the meter's last value. By
default they all share the demo gas account 370012345601 (one meter, a year of readings, always
open for readings). With `--own-accounts` each gets a copy of it (its meter, readings and ledger
entries, under another number): on PostgreSQL, fifty residents submitting for one meter at once
queue on its row lock and deadlock; one family per meter is what a real building looks like.
"""

from __future__ import annotations

import argparse
import json
import sys

from sqlmodel import Session, SQLModel, select

from cabinet.clock import utc_now
from cabinet.db import session_scope
from cabinet.models import AccountLink, LedgerEntry, Meter, MeterReading, ProviderAccount, User
from cabinet.services import sessions
from cabinet.services.passwords import hash_password

DEMO_ACCOUNT = "370012345601"


def _copy(row: SQLModel, **changes) -> SQLModel:
    return type(row)(**{**row.model_dump(exclude={"id"}), **changes})


def _account_copy(session: Session, demo: ProviderAccount, number: str) -> ProviderAccount:
    """The demo account under `number`, with its meters, their readings and its ledger (made once)."""
    query = select(ProviderAccount).where(ProviderAccount.provider_id == demo.provider_id)
    found = session.exec(query.where(ProviderAccount.number == number)).first()
    if found is not None:
        return found
    account = _copy(demo, number=number)
    session.add(account)
    session.flush()
    for meter in session.exec(select(Meter).where(Meter.account_id == demo.id)).all():
        copy = _copy(meter, account_id=account.id)
        session.add(copy)
        session.flush()
        for reading in session.exec(select(MeterReading).where(MeterReading.meter_id == meter.id)).all():
            session.add(_copy(reading, meter_id=copy.id, payment_id=None))
    for entry in session.exec(select(LedgerEntry).where(LedgerEntry.account_id == demo.id)).all():
        session.add(_copy(entry, account_id=account.id, payment_id=None, part_id=None, refund_id=None))
    session.flush()
    return account


def _user(session: Session, email: str, password: str, now) -> User:
    user = session.exec(select(User).where(User.email_canonical == email)).first()
    if user is None:
        user = User(
            email=email, email_canonical=email, password_hash=password, confirmed_at=now, created_at=now, updated_at=now
        )
        session.add(user)
        session.flush()
    return user


def seed(residents: int, own_accounts: bool) -> list[dict]:
    now = utc_now()
    out = []
    with session_scope() as session:
        demo = session.exec(select(ProviderAccount).where(ProviderAccount.number == DEMO_ACCOUNT)).one()
        password = hash_password("bench1")
        for index in range(residents):
            user = _user(session, f"bench{index}@example.com", password, now)
            account = _account_copy(session, demo, f"3799{index:08d}") if own_accounts else demo
            link = select(AccountLink).where(AccountLink.user_id == user.id, AccountLink.account_id == account.id)
            if session.exec(link).first() is None:
                session.add(AccountLink(user_id=user.id, account_id=account.id, created_at=now))
            meter = session.exec(select(Meter).where(Meter.account_id == account.id)).first()
            token = sessions.start_session(session=session, user_id=user.id, remember=True, now=now)
            out.append({"token": token, "account": account.id, "meter": meter.id, "last": meter.last_value_thousandths})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("residents", type=int)
    parser.add_argument("--own-accounts", action="store_true")
    args = parser.parse_args()
    print(json.dumps(seed(args.residents, args.own_accounts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
