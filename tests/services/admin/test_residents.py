"""Residents for operators: found by e-mail, name or account; their detail; blocking; a new confirmation letter."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from cabinet.errors import DomainError
from cabinet.models import AccountLink, LoginSession, OutgoingEmail, Provider, UserRole
from cabinet.services import sessions
from cabinet.services.admin import residents
from cabinet.services.audit import record_event
from tests.factories import NOW, make_account, make_payment, make_provider, make_user


def test_search_by_email_name_or_account_number(session, people):
    resident = people["resident"]
    resident.full_name = "Ольга Петрова"
    account = make_account(session, make_provider(session), number="3700555001")
    session.add(AccountLink(user_id=resident.id, account_id=account.id))
    session.flush()
    for query in ("olga.PETROVA", "петрова", "3700-555", ""):
        found = residents.search_residents(session=session, actor_id=people["admin"].id, query=query)
        assert resident.id in [user.id for user in found], query
    assert residents.search_residents(session=session, actor_id=people["admin"].id, query="nobody-here") == []


def test_each_user_has_one_standing_the_first_that_applies(session, people):
    blocked_unconfirmed = make_user(session, confirmed=False)
    blocked_unconfirmed.is_blocked = True
    unconfirmed_admin = make_user(session, role=UserRole.admin, confirmed=False)
    session.flush()
    rows = residents.search_residents(session=session, actor_id=people["admin"].id, query="")
    standing = {row.id: row.state for row in rows}
    assert standing == {
        people["admin"].id: "admin",
        people["resident"].id: "active",
        blocked_unconfirmed.id: "blocked",
        unconfirmed_admin.id: "unconfirmed",
    }


def test_blocking_ends_every_session(session, people):
    resident = people["resident"]
    tokens = [
        sessions.start_session(session=session, user_id=resident.id, remember=remember, now=NOW)
        for remember in (True, False)
    ]
    detail = residents.set_blocked(
        session=session, actor_id=people["admin"].id, user_id=resident.id, blocked=True, now=NOW
    )
    open_sessions = session.exec(
        select(LoginSession).where(LoginSession.user_id == resident.id, LoginSession.revoked_at.is_(None))
    ).all()
    assert open_sessions == [] and resident.is_blocked
    assert (detail.blocked, detail.state, detail.sessions_active) == (True, "blocked", 0)
    assert all(sessions.resolve_session(session=session, raw_token=token, now=NOW) is None for token in tokens)
    with pytest.raises(DomainError, match="admin_cannot_block_self"):
        residents.set_blocked(
            session=session, actor_id=people["admin"].id, user_id=people["admin"].id, blocked=True, now=NOW
        )


def test_resend_confirmation_mails_an_unconfirmed_resident(session, people, ids):
    residents.resend_confirmation_for(session=session, actor_id=people["admin"].id, user_id=ids["unconfirmed"], now=NOW)
    assert session.exec(select(OutgoingEmail)).first() is not None
    with pytest.raises(DomainError, match="admin_already_confirmed"):
        residents.resend_confirmation_for(
            session=session, actor_id=people["admin"].id, user_id=people["resident"].id, now=NOW
        )


def test_resident_detail_shows_linked_accounts_payments_and_sign_ins(session, people, ids):
    resident, other = people["resident"], make_user(session)
    provider = session.get(Provider, ids["provider"])
    theirs = make_account(session, provider, number="3700222001", address="г. Тестов, ул. Липовая, д. 7")
    someone_elses = make_account(session, provider, number="3700222002")
    session.add(AccountLink(user_id=resident.id, account_id=theirs.id, created_at=NOW))
    session.add(AccountLink(user_id=other.id, account_id=someone_elses.id, created_at=NOW))
    make_payment(session, other, someone_elses, 300)
    for action, hours, actor, address in (
        ("sign_in_failed", 3, resident.id, "10.0.0.7"),
        ("sign_in", 2, resident.id, "10.0.0.8"),
        ("account_linked", 1, resident.id, "10.0.0.8"),
        ("sign_in", 1, other.id, "10.9.9.9"),
    ):
        record_event(
            session=session,
            action=action,
            now=NOW - dt.timedelta(hours=hours),
            actor_user_id=actor,
            client_address=address,
        )
    sessions.start_session(session=session, user_id=resident.id, remember=False, now=NOW)
    session.flush()

    detail = residents.resident_detail(session=session, actor_id=people["admin"].id, user_id=resident.id, now=NOW)

    assert detail.email == "olga.petrova@example.com"
    assert [(link.provider, link.number, link.address) for link in detail.links] == [
        (provider.name, "3700222001", "г. Тестов, ул. Липовая, д. 7")
    ]
    assert [(p.id, p.amount_kopecks) for p in detail.payments] == [(ids["payment"], 1000)]
    assert [(e.action, e.client_address) for e in detail.sign_ins] == [
        ("sign_in", "10.0.0.8"),
        ("sign_in_failed", "10.0.0.7"),
    ]
    assert detail.sessions_active == 1
