"""Closing a cabinet column by column: every column of every table has a decision (services/retention.py), and
closing a resident with every kind of data does exactly that to their rows and nothing to anyone else's."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, func, select

import cabinet.sandbox.models  # noqa: F401  (the stand-ins' tables are in the schema too)
from cabinet.models import LedgerEntry, Payment, PaymentPart, User
from cabinet.services import closure, sessions
from cabinet.services.retention import CLOSURE_RULES, Fate
from tests.factories import NOW
from tests.resident_world import make_resident_with_everything

LATER = NOW.replace(hour=12)


def test_every_column_of_every_table_has_a_decision():
    tables = {table.name: {column.name for column in table.columns} for table in SQLModel.metadata.sorted_tables}
    assert set(CLOSURE_RULES) == set(tables), "a table without a rule, or a rule of no table"
    for name, columns in tables.items():
        rule = CLOSURE_RULES[name]
        assert set(rule.columns) == columns, f"{name}: every column needs a decision, and only its columns"
        assert rule.why
        if rule.owner:
            assert rule.owner in columns
        else:
            # A table holding none of the resident's rows can only keep.
            assert set(rule.columns.values()) == {Fate.keep}, name


def _snapshot(engine) -> dict[str, dict[object, dict]]:
    """Every row of every table, by primary key."""
    result: dict[str, dict[object, dict]] = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            rows = connection.execute(sa.select(table)).mappings()
            result[table.name] = {row["id"]: dict(row) for row in rows}
    return result


def _names_them(value: object, personal: tuple[str, ...]) -> bool:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value
    return any(fragment.lower() in text.lower() for fragment in personal)


def _is_theirs(table: str, row: dict, user_id: int, addresses: set[str]) -> bool:
    owner = CLOSURE_RULES[table].owner
    if not owner:
        return False
    value = row[owner]
    if owner in ("to_address", "recipient", "email_canonical") and table != "users":
        return str(value).lower() in addresses
    return value == user_id


def test_closing_does_to_every_column_what_the_rules_say_and_nothing_to_anyone_else(app_database, session):
    anna = make_resident_with_everything(session, name="anna")
    boris = make_resident_with_everything(session, name="boris")
    session.commit()
    user_id = anna["user"].id
    addresses = {"anna@example.com", "anna.old@example.com"}
    before = _snapshot(app_database)

    closure.close_own_cabinet(user_id=user_id, password="secret12", confirmed=True, now=LATER)
    after = _snapshot(app_database)

    for table, rows in before.items():
        for key, old in rows.items():
            new = after[table].get(key)
            if _is_theirs(table, old, user_id, addresses):
                _check_fates(table, old, new, anna["personal"])
            elif table == "audit_events" and (_names_them(old["details"], anna["personal"]) or old["target_id"]):
                assert new is not None and not _names_them(new["details"], anna["personal"])
            else:
                assert new == old, f"{table} #{key} is not the closed resident's and must not change"
    # What closing adds: its own journal entry, and the one letter confirming it — neither names anything else.
    added = {table: [row for key, row in rows.items() if key not in before[table]] for table, rows in after.items()}
    assert [row["action"] for row in added["audit_events"]] == ["cabinet_closed"]
    assert [row["to_address"] for row in added["outgoing_emails"]] == ["anna@example.com"]
    assert added["outgoing_emails"][0]["forget_after_sending"] is True
    assert {table for table, rows in added.items() if rows} == {"audit_events", "outgoing_emails"}
    # Boris keeps everything, Anna's stub is closed.
    assert after["users"][boris["user"].id] == before["users"][boris["user"].id]
    stub = after["users"][user_id]
    assert stub["closed_at"] is not None and stub["is_blocked"] and not stub["notify_new_bill"]
    assert stub["email_canonical"] == f"closed-{user_id}" and stub["password_hash"] == ""


def _check_fates(table: str, old: dict, new: dict | None, personal: tuple[str, ...]) -> None:
    fates = CLOSURE_RULES[table].columns
    if Fate.delete in fates.values():
        assert new is None, f"{table} #{old['id']} of the closed resident must be deleted"
        return
    assert new is not None, f"{table} #{old['id']} must stay"
    for column, fate in fates.items():
        if fate == Fate.keep:
            assert new[column] == old[column], f"{table}.{column} must be kept"
        else:
            assert not _names_them(new[column], personal), f"{table}.{column} still names the person"
            if _names_them(old[column], personal) or column == "user_id":
                assert new[column] != old[column], f"{table}.{column} must be emptied"


def _money(engine) -> tuple:
    with Session(engine) as session:
        return (
            session.exec(select(func.count(), func.sum(Payment.amount_kopecks))).one(),
            session.exec(select(func.sum(PaymentPart.amount_kopecks))).one(),
            session.exec(select(func.count(), func.sum(LedgerEntry.amount_kopecks))).one(),
            sorted(session.exec(select(Payment.id, Payment.status, Payment.user_id)).all()),
        )


def test_payments_and_the_ledger_add_up_the_same_and_the_sessions_are_over(app_database, session):
    anna = make_resident_with_everything(session, name="anna")
    session.commit()
    money = _money(app_database)
    with Session(app_database) as check:
        assert sessions.signed_in(session=check, raw_token=anna["token"], now=NOW) is not None

    closure.close_own_cabinet(user_id=anna["user"].id, password="secret12", confirmed=True, now=LATER)

    assert _money(app_database) == money
    with Session(app_database) as check:
        assert sessions.signed_in(session=check, raw_token=anna["token"], now=LATER) is None
        assert check.get(User, anna["user"].id).closed_by_user_id is None
