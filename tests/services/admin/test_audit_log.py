"""The audit log for operators: newest first, filtered by action, each event's details as one readable line."""

from __future__ import annotations

import datetime as dt

from cabinet.models import AuditEvent
from cabinet.services.admin import audit_log
from cabinet.services.audit import record_event
from tests.factories import NOW


def test_the_log_is_newest_first_and_filtered_by_action(session, people):
    resident = people["resident"]
    record_event(
        session=session,
        action="sign_in",
        now=NOW - dt.timedelta(hours=2),
        actor_user_id=resident.id,
        client_address="10.0.0.8",
    )
    record_event(
        session=session,
        action="provider_updated",
        now=NOW - dt.timedelta(hours=1),
        target_type="provider",
        target_id=7,
        details={"changed": {"name": ["А", "Б"], "hint_text": [None, "Новая"]}},
    )
    session.flush()

    log = audit_log.audit_log(session=session, actor_id=people["admin"].id)

    assert [(row.action, row.who, row.target, row.address) for row in log.rows] == [
        ("provider_updated", "—", "provider 7", ""),
        ("sign_in", resident.email, "", "10.0.0.8"),
    ]
    assert log.rows[0].details == "hint_text: Новая; name: А → Б"
    assert log.actions == ["provider_updated", "sign_in"]
    only = audit_log.audit_log(session=session, actor_id=people["admin"].id, action="sign_in")
    assert [row.action for row in only.rows] == ["sign_in"] and only.actions == log.actions


def test_details_read_as_one_line_whatever_was_kept():
    assert (
        audit_log.details_text(AuditEvent(action="x", created_at=NOW, details='{"sessions_ended": 2, "note": ""}'))
        == "sessions_ended: 2; note: —"
    )
    assert audit_log.details_text(AuditEvent(action="x", created_at=NOW, details="not json")) == "not json"
    assert audit_log.details_text(AuditEvent(action="x", created_at=NOW, details="")) == ""
