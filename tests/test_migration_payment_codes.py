"""Revision deb92b5113f3 turns stored Russian failure texts and English webhook outcomes into codes, and back."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from alembic import command
from cabinet.db import engine_for
from cabinet.migrations import alembic_config
from cabinet.models import NotificationOutcome, Payment, PaymentFailure, PaymentNotification
from cabinet.services.payments import failure_text, outcome_text
from tests.conftest import create_postgres_database, drop_postgres_database

BEFORE, AFTER = "bd28a8faf3c6", "deb92b5113f3"
NOW = dt.datetime(2026, 12, 1, 9, 0)
TIMEOUT_TEXT = "Платёжный сервис не ответил вовремя. Деньги не списаны — попробуйте ещё раз."
FAILURES = {  # failure_message as stored → the code it becomes
    TIMEOUT_TEXT: "timeout",
    "Платёжный сервис временно недоступен. Деньги не списаны — попробуйте через минуту.": "unavailable",
    "Платёжный сервис отклонил платёж. Деньги не списаны — попробуйте ещё раз или напишите в поддержку.": "rejected",
    "Платёжный сервис не нашёл платёж. Деньги не списаны — попробуйте ещё раз.": "not_found",
    "Какая-то давняя формулировка": "unknown",
    "": None,
}
OUTCOMES = {  # outcome as stored → (code, outcome_status)
    "now succeeded": ("moved", "succeeded"),
    "now waiting_for_capture": ("moved", "waiting_for_capture"),
    "stays pending": ("unchanged", "pending"),
    "unknown status 'refunded'": ("unknown_status", "refunded"),
    'unknown status "it\'s"': ("unknown_status", "its"),
    "gateway id does not match": ("id_mismatch", ""),
    "amount mismatch, not credited": ("amount_mismatch", ""),
    "rejected: not a notification": ("rejected", ""),
    "unknown payment": ("unknown_payment", ""),
    "gateway timeout": ("gateway_error", ""),
    "gateway unavailable": ("gateway_error", ""),
    "something else entirely": ("unrecognized", ""),
    "": ("unrecognized", ""),
}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


def _row(table: sa.Table, **given) -> dict:
    """`given`, and a plain value for every other required column."""
    row = dict(given)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        kind = column.type.python_type
        row[column.name] = {str: "x", int: 1, bool: False, dt.datetime: NOW, dt.date: NOW.date()}[kind]
    return row


def _old_rows(url: str) -> None:
    """A resident, an account and a payment per failure text, and a delivery per outcome, as stored before."""
    engine = engine_for(url)
    tables = sa.MetaData()
    tables.reflect(engine)
    with engine.begin() as connection:

        def insert(name: str, **given) -> None:
            connection.execute(tables.tables[name].insert().values(_row(tables.tables[name], **given)))

        insert("users", id=1, email_canonical="anna@example.com")
        insert("providers", id=1)
        insert("provider_accounts", id=1, provider_id=1)
        for number, message in enumerate(FAILURES, start=1):
            insert(
                "payments",
                id=number,
                user_id=1,
                account_id=1,
                idempotency_key=f"key-{number}",
                status="failed" if message else "pending",
                purpose="debt",
                failure_message=message,
            )
        for number, outcome in enumerate(OUTCOMES, start=1):
            insert("payment_notifications", id=number, outcome=outcome)


def _codes(url: str) -> tuple[dict, dict]:
    # Only the columns this revision made: the models' later columns do not exist yet at AFTER.
    with Session(engine_for(url)) as session:
        failures = dict(session.exec(select(Payment.idempotency_key, Payment.failure_code)).all())
        outcomes = {
            note_id: (outcome, status)
            for note_id, outcome, status in session.exec(
                select(PaymentNotification.id, PaymentNotification.outcome, PaymentNotification.outcome_status)
            )
        }
    return failures, outcomes


def test_old_texts_become_codes_and_come_back(database_url):
    config = alembic_config(database_url)
    command.upgrade(config, BEFORE)
    _old_rows(database_url)

    command.upgrade(config, AFTER)

    failures, outcomes = _codes(database_url)
    assert failures == {
        f"key-{number}": (PaymentFailure(code) if code else None)
        for number, code in enumerate(FAILURES.values(), start=1)
    }
    assert outcomes == {
        number: (NotificationOutcome(code), status) for number, (code, status) in enumerate(OUTCOMES.values(), start=1)
    }
    # What the pages show from the codes.
    assert failure_text(failures["key-1"]) == TIMEOUT_TEXT
    assert outcome_text(*outcomes[1]) == "статус стал «Оплачено»"

    command.downgrade(config, BEFORE)
    with engine_for(database_url).connect() as connection:
        messages = dict(connection.execute(sa.text("SELECT idempotency_key, failure_message FROM payments")).all())
        back = dict(connection.execute(sa.text("SELECT id, outcome FROM payment_notifications")).all())
    assert messages["key-1"] == TIMEOUT_TEXT and messages[f"key-{len(FAILURES)}"] == ""
    assert (back[1], back[3], back[4], back[6], back[10]) == (
        "now succeeded",
        "stays pending",
        "unknown status 'refunded'",
        "gateway id does not match",
        "gateway unavailable",
    )
