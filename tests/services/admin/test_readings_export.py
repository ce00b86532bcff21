"""The readings export for operators: a provider's month, marked as sent, audited with the admin as actor."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from cabinet.errors import DomainError
from cabinet.models import AuditEvent, MeterReading, Provider, ReadingSource, ReadingStatus
from cabinet.services.admin import readings_export
from tests.factories import NOW, make_account, make_meter

NOVEMBER = dt.date(2026, 11, 1)


def test_the_readings_export_marks_them_sent_and_names_the_admin(session, people, ids):
    actor = people["admin"].id
    account = make_account(session, session.get(Provider, ids["provider"]), number="3700333001")
    meter = make_meter(session, account, serial="W-77")
    session.add(
        MeterReading(
            meter_id=meter.id,
            value_thousandths=42_500,
            period=NOVEMBER,
            source=ReadingSource.resident,
            submitted_at=NOW,
            updated_at=NOW,
        )
    )
    session.flush()
    readings = readings_export.export_readings(
        session=session, actor_id=actor, provider_id=ids["provider"], period=NOVEMBER, mark_sent=True, now=NOW
    ).decode("utf-8-sig")
    assert "3700333001;г. Тестов, ул. Садовая, д. 1, кв. 1;W-77;cold_water;" in readings
    assert session.exec(select(MeterReading.status)).all() == [ReadingStatus.sent_to_provider]
    with pytest.raises(DomainError, match="not_found"):
        readings_export.export_readings(
            session=session, actor_id=actor, provider_id=ids["provider"] + 100, period=NOVEMBER, mark_sent=True, now=NOW
        )
    actors = dict(session.exec(select(AuditEvent.action, AuditEvent.actor_user_id)).all())
    assert actors == {"readings_exported": actor}
