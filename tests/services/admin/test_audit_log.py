"""The journal for staff: Russian rows, filters by who/what/provider/dates, 50 a page, CSV, scoped by provider."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from cabinet.errors import DomainError
from cabinet.models import StaffMembership, StaffRole
from cabinet.services.admin import audit_log
from cabinet.services.admin.audit_log import AuditQuery
from cabinet.services.audit import record_event
from tests.factories import NOW, make_provider, make_user


@pytest.fixture
def two_providers(session, people):
    """Provider A with an operator, provider B; an event of each, one without a provider, the operator's own."""
    a = make_provider(session, name="Тепло А")
    b = make_provider(session, name="Вода Б")
    operator = make_user(session, email="operator.a@example.com")
    operator.full_name = "Ирина Смирнова"
    session.add(StaffMembership(user_id=operator.id, provider_id=a.id, role=StaffRole.operator, created_at=NOW))
    admin = people["admin"]

    def event(action, minutes, **given):
        record_event(session=session, action=action, now=NOW - dt.timedelta(minutes=minutes), **given)

    event("provider_activated", 50, actor_user_id=admin.id, target_type="provider", target_id=a.id, provider_id=a.id)
    event("provider_deactivated", 40, actor_user_id=admin.id, target_type="provider", target_id=b.id, provider_id=b.id)
    event("sign_in", 30, actor_user_id=people["resident"].id, client_address="10.0.0.8")
    event("sign_in", 20, actor_user_id=operator.id)
    session.flush()
    return {"a": a, "b": b, "operator": operator, "admin": admin}


def _log(session, actor, **query):
    return audit_log.audit_log(session=session, actor_id=actor.id, query=AuditQuery(**query))


def _actions(log) -> list[str]:
    return [row.action for row in log.rows]


def test_an_administrator_sees_every_event_newest_first_in_russian(session, people, two_providers):
    log = _log(session, people["admin"])
    assert _actions(log) == ["sign_in", "sign_in", "provider_deactivated", "provider_activated"]
    assert [row.sentence for row in log.rows[2:]] == ["Поставщик «Вода Б» отключён.", "Поставщик «Тепло А» включён."]
    assert log.rows[0].who == "Ирина Смирнова (operator.a@example.com)"
    assert log.rows[1].label == "Вход" and log.rows[1].address == "10.0.0.8" and log.rows[1].provider == ""
    assert log.rows[3].provider == "«Тепло А»"
    assert [name for _id, name in log.providers] == ["Вода Б", "Тепло А"]
    assert (log.total, log.page, log.pages, log.errors) == (4, 1, 1, {})


def test_an_operator_sees_their_providers_events_and_their_own_only(session, two_providers):
    operator, a, b = two_providers["operator"], two_providers["a"], two_providers["b"]
    log = _log(session, operator)
    assert _actions(log) == ["sign_in", "provider_activated"]
    assert log.rows[0].who.endswith("(operator.a@example.com)")
    assert log.providers == [(a.id, "Тепло А")]
    # A filter narrows only: B (foreign) finds nothing, exactly like a provider that does not exist.
    assert _log(session, operator, provider=str(b.id)).rows == []
    assert _log(session, operator, provider="999999").rows == []
    assert _log(session, operator, provider="drop table").rows == []
    assert _actions(_log(session, operator, provider=str(a.id))) == ["provider_activated"]
    assert _log(session, operator, action="provider_deactivated").rows == []
    assert b"\xd0\x92\xd0\xbe\xd0\xb4\xd0\xb0" not in audit_log.export_audit_log(  # «Вода» never in the CSV
        session=session, actor_id=operator.id, query=AuditQuery()
    )


def test_residents_and_strangers_get_not_found(session, people, two_providers):
    for actor in (people["resident"].id, 999_999, None):
        with pytest.raises(DomainError, match="not_found"):
            audit_log.audit_log(session=session, actor_id=actor)


def test_filters_by_who_action_group_and_provider(session, people, two_providers):
    admin, a = people["admin"], two_providers["a"]
    assert _actions(_log(session, admin, who="ИРИНА")) in (["sign_in"], [])  # SQLite lowers ASCII only
    assert _actions(_log(session, admin, who="Ирина")) == ["sign_in"]
    assert _actions(_log(session, admin, who="OLGA.petrova")) == ["sign_in"]
    assert _log(session, admin, who="%").rows == []  # a wildcard is a character, not «anything»
    assert _actions(_log(session, admin, action="group:providers")) == ["provider_deactivated", "provider_activated"]
    assert _log(session, admin, action="group:nonsense").rows == []
    assert _log(session, admin, action="x" * 500).rows == []
    assert _actions(_log(session, admin, provider=str(a.id))) == ["provider_activated"]


def test_dates_are_moscow_days_and_bad_ones_are_said_next_to_their_field(session, people):
    admin = people["admin"]
    # 21:30 UTC on 6 December is 00:30 on 7 December in Moscow.
    record_event(session=session, action="sign_out", now=dt.datetime(2026, 12, 6, 21, 30, tzinfo=dt.UTC))
    record_event(session=session, action="sign_in", now=dt.datetime(2026, 12, 6, 20, 30, tzinfo=dt.UTC))
    session.flush()
    assert _actions(_log(session, admin, date_from="2026-12-07")) == ["sign_out"]
    assert _actions(_log(session, admin, date_to="06.12.2026")) == ["sign_in"]
    assert _actions(_log(session, admin, date_from="07.12.2026", date_to="2026-12-07")) == ["sign_out"]
    bad = _log(session, admin, date_from="31.02.2026", date_to="вчера")
    assert bad.errors == {"date_from": "Введите дату в виде ДД.ММ.ГГГГ.", "date_to": "Введите дату в виде ДД.ММ.ГГГГ."}
    assert len(bad.rows) == 2  # an unusable date is not applied
    backwards = _log(session, admin, date_from="2026-12-07", date_to="2026-12-01")
    assert backwards.errors == {"date_to": "Дата «по» раньше даты «с»."}
    assert _actions(backwards) == ["sign_out"]


def test_fifty_a_page_and_a_page_past_the_end_is_the_last(session, people):
    for minute in range(120):
        record_event(
            session=session, action="sign_in", now=NOW - dt.timedelta(minutes=minute), client_address=str(minute)
        )
    session.flush()
    first = _log(session, people["admin"])
    assert (len(first.rows), first.page, first.pages, first.total) == (50, 1, 3, 120)
    third = _log(session, people["admin"], page=3)
    assert len(third.rows) == 20 and third.rows[-1].address == "119"
    assert _log(session, people["admin"], page=99).page == 3
    assert _log(session, people["admin"], page=-4).page == 1
    second = _log(session, people["admin"], page=2)
    assert second.rows[0].address == "50" and not {r.id for r in second.rows} & {r.id for r in first.rows}


def test_the_csv_has_every_filtered_row_with_russian_headers(session, people, two_providers):
    for minute in range(60):
        record_event(session=session, action="sign_out", now=NOW - dt.timedelta(hours=1, minutes=minute))
    session.flush()
    data = audit_log.export_audit_log(session=session, actor_id=people["admin"].id, query=AuditQuery(action="sign_out"))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Когда", "Кто", "Действие", "Поставщик", "Подробности", "IP-адрес", "Код действия"]
    assert len(rows) == 61 and {row[2] for row in rows[1:]} == {"Выход"}
    assert rows[1][4] == "Выход из кабинета." and rows[1][6] == "sign_out"
    providers = audit_log.export_audit_log(
        session=session, actor_id=people["admin"].id, query=AuditQuery(provider=str(two_providers["b"].id))
    )
    lines = list(csv.reader(io.StringIO(providers.decode("utf-8-sig")), delimiter=";"))
    assert [line[4] for line in lines[1:]] == ["Поставщик «Вода Б» отключён."]
