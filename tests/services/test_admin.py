"""The admin services: refused to anyone but an admin; providers, images, residents, payments, overview."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlmodel import select

from cabinet.models import (
    AccountLink,
    AuditEvent,
    LoginSession,
    OutgoingEmail,
    Payment,
    PaymentPurpose,
    PaymentStatus,
    UserRole,
)
from cabinet.services import admin, sessions
from cabinet.services.errors import DomainError
from tests.factories import NOW, make_account, make_provider, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def people(session):
    return {
        "admin": make_user(session, role=UserRole.admin),
        "resident": make_user(session, email="olga.petrova@example.com"),
    }


def _form(**changes) -> admin.ProviderForm:
    values = dict(name="ООО «Теплосеть»", inn="7707083893", account_pattern=r"\d{9}",
                  account_format_description="9 цифр", account_example="123 456 789")
    values.update(changes)
    return admin.ProviderForm(**values)


# Every function an admin page calls, with arguments that would succeed for an admin.
ADMIN_CALLS = {
    "overview": lambda s, actor, ids: admin.overview(s, actor_id=actor, now=NOW),
    "list_providers": lambda s, actor, ids: admin.list_providers(s, actor_id=actor),
    "get_provider_for_admin": lambda s, actor, ids: admin.get_provider_for_admin(s, actor_id=actor, provider_id=ids["provider"]),
    "save_provider": lambda s, actor, ids: admin.save_provider(s, actor_id=actor, provider_id=None, form=_form(), now=NOW),
    "set_provider_active": lambda s, actor, ids: admin.set_provider_active(s, actor_id=actor, provider_id=ids["provider"], active=False, now=NOW),
    "store_image": lambda s, actor, ids: admin.store_image(s, actor_id=actor, data=PNG, now=NOW),
    "search_residents": lambda s, actor, ids: admin.search_residents(s, actor_id=actor, query=""),
    "resident_detail": lambda s, actor, ids: admin.resident_detail(s, actor_id=actor, user_id=ids["resident"], now=NOW),
    "set_blocked": lambda s, actor, ids: admin.set_blocked(s, actor_id=actor, user_id=ids["resident"], blocked=True, now=NOW),
    "resend_confirmation_for": lambda s, actor, ids: admin.resend_confirmation_for(s, actor_id=actor, user_id=ids["unconfirmed"], now=NOW),
    "list_payments": lambda s, actor, ids: admin.list_payments(s, actor_id=actor, filters=admin.PaymentFilter()),
    "payment_detail": lambda s, actor, ids: admin.payment_detail(s, actor_id=actor, payment_id=ids["payment"]),
    "audit_events": lambda s, actor, ids: admin.audit_events(s, actor_id=actor),
    "audit_actions": lambda s, actor, ids: admin.audit_actions(s, actor_id=actor),
}


@pytest.fixture
def ids(session, people):
    provider = make_provider(session)
    account = make_account(session, provider)
    unconfirmed = make_user(session, confirmed=False)
    payment = Payment(user_id=people["resident"].id, account_id=account.id, amount_kopecks=1000,
                      purpose=PaymentPurpose.debt, idempotency_key="k-admin", created_at=NOW, updated_at=NOW)
    session.add(payment)
    session.flush()
    return {"provider": provider.id, "resident": people["resident"].id, "unconfirmed": unconfirmed.id,
            "payment": payment.id}


@pytest.mark.parametrize("call", ADMIN_CALLS, ids=list(ADMIN_CALLS))
def test_every_admin_operation_refuses_residents_and_anonymous(session, people, ids, call):
    for actor in (people["resident"].id, None, 0, 999_999):
        with pytest.raises(DomainError) as raised:
            ADMIN_CALLS[call](session, actor, ids)
        assert raised.value.code == "not_found"
    ADMIN_CALLS[call](session, people["admin"].id, ids)  # and works for an admin


def test_a_blocked_admin_is_refused(session, people, ids):
    people["admin"].is_blocked = True
    with pytest.raises(DomainError):
        admin.overview(session, actor_id=people["admin"].id, now=NOW)


@pytest.mark.parametrize(("inn", "valid"), [("7707083893", True), ("7707083894", False), ("500100732259", True),
                                            ("500100732258", False), ("77070838", False), ("77070838ab", False)])
def test_inn_checksum(inn, valid):
    assert admin.inn_is_valid(inn) is valid


def test_provider_is_created_with_an_audit_of_what_changed(session, people):
    provider = admin.save_provider(session, actor_id=people["admin"].id, provider_id=None,
                                   form=_form(consumption_cap="150,5", reading_window_start_day="20",
                                              reading_window_end_day="3"), now=NOW)
    assert (provider.account_example, provider.consumption_cap_thousandths) == ("123456789", 150_500)
    assert (provider.reading_window_start_day, provider.reading_window_end_day) == (20, 3)
    edited = admin.save_provider(session, actor_id=people["admin"].id, provider_id=provider.id,
                                 form=dataclasses.replace(admin.provider_form(provider), name="ООО «Теплосеть-2»"),
                                 now=NOW)
    assert edited.name == "ООО «Теплосеть-2»"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "provider_updated")).one()
    assert json.loads(event.details)["changed"] == {"name": ["ООО «Теплосеть»", "ООО «Теплосеть-2»"]}


def test_provider_form_names_every_bad_field(session, people):
    with pytest.raises(admin.ProviderInvalid) as raised:
        admin.save_provider(session, actor_id=people["admin"].id, provider_id=None, now=NOW, form=_form(
            name="", inn="123", account_example="12345", reading_window_start_day="32", consumption_cap="-1",
            support_email="not an address", ownership_check="photo"))
    assert {field: error.code for field, error in raised.value.errors.items()} == {
        "name": "field_required", "inn": "provider_inn_invalid", "account_example": "provider_example_mismatch",
        "reading_window_start_day": "provider_day_invalid", "consumption_cap": "provider_cap_invalid",
        "support_email": "email_invalid", "ownership_check": "field_choice"}


@pytest.mark.parametrize(("pattern", "example", "checksum", "code"), [
    (r"[0-9", "1", "none", "provider_pattern_invalid"),
    (r"\d{8}", "1234567", "none", "provider_example_mismatch"),
    (r"\d{8}", "12345675", "luhn", "provider_example_checksum"),
])
def test_pattern_is_tested_against_the_example(pattern, example, checksum, code):
    with pytest.raises(DomainError) as raised:
        admin.check_pattern(pattern, example, checksum)
    assert raised.value.code == code
    admin.check_pattern(r"\d{8}", "12345674", "luhn")


def test_deactivated_provider_keeps_its_links(session, people, ids):
    admin.set_provider_active(session, actor_id=people["admin"].id, provider_id=ids["provider"], active=False, now=NOW)
    assert [provider.is_active for provider, _count in admin.list_providers(session, actor_id=people["admin"].id)] == [False]


def test_images_are_checked_by_content_and_size(session, people):
    actor = people["admin"].id
    url = admin.store_image(session, actor_id=actor, data=PNG, now=NOW)
    assert url.startswith("/api/images/") and admin.store_image(session, actor_id=actor, data=PNG, now=NOW) == url
    assert admin.load_image(session, int(url.rsplit("/", 1)[1])).content_type == "image/png"
    assert admin.store_image(session, actor_id=actor, data=JPEG, now=NOW) != url
    for data, code in ((b"GIF89a" + b"\x00" * 10, "image_type"), (b"<svg></svg>", "image_type"),
                       (PNG + b"\x00" * admin.MAX_IMAGE_BYTES, "image_too_large")):
        with pytest.raises(DomainError) as raised:
            admin.store_image(session, actor_id=actor, data=data, now=NOW)
        assert raised.value.code == code


def test_search_by_email_name_or_account_number(session, people):
    resident = people["resident"]
    resident.full_name = "Ольга Петрова"
    account = make_account(session, make_provider(session), number="3700555001")
    session.add(AccountLink(user_id=resident.id, account_id=account.id))
    session.flush()
    for query in ("olga.PETROVA", "петрова", "3700-555", ""):
        found = admin.search_residents(session, actor_id=people["admin"].id, query=query)
        assert resident.id in [user.id for user in found], query
    assert admin.search_residents(session, actor_id=people["admin"].id, query="nobody-here") == []


def test_blocking_ends_every_session(session, people):
    resident = people["resident"]
    tokens = [sessions.start_session(session=session, user_id=resident.id, remember=remember, now=NOW)
              for remember in (True, False)]
    admin.set_blocked(session, actor_id=people["admin"].id, user_id=resident.id, blocked=True, now=NOW)
    open_sessions = session.exec(select(LoginSession).where(LoginSession.user_id == resident.id,
                                                            LoginSession.revoked_at.is_(None))).all()
    assert open_sessions == [] and resident.is_blocked
    assert all(sessions.resolve_session(session=session, raw_token=token, now=NOW) is None for token in tokens)
    with pytest.raises(DomainError, match="admin_cannot_block_self"):
        admin.set_blocked(session, actor_id=people["admin"].id, user_id=people["admin"].id, blocked=True, now=NOW)


def test_resend_confirmation_mails_an_unconfirmed_resident(session, people, ids):
    admin.resend_confirmation_for(session, actor_id=people["admin"].id, user_id=ids["unconfirmed"], now=NOW)
    assert session.exec(select(OutgoingEmail)).first() is not None
    with pytest.raises(DomainError, match="admin_already_confirmed"):
        admin.resend_confirmation_for(session, actor_id=people["admin"].id, user_id=people["resident"].id, now=NOW)


def test_payments_filter_and_total(session, people, ids):
    payment = session.get(Payment, ids["payment"])
    payment.status, payment.paid_at = PaymentStatus.succeeded, NOW
    other = make_provider(session)
    session.add(Payment(user_id=people["resident"].id, account_id=make_account(session, other).id, amount_kopecks=500,
                        purpose=PaymentPurpose.debt, idempotency_key="k2", created_at=NOW - dt.timedelta(days=60),
                        updated_at=NOW))
    session.flush()
    actor = people["admin"].id
    rows, count, total = admin.list_payments(session, actor_id=actor, filters=admin.PaymentFilter())
    assert (len(rows), count, total) == (2, 1, 1000)
    rows, count, total = admin.list_payments(session, actor_id=actor, filters=admin.PaymentFilter(provider_id=other.id))
    assert (len(rows), count, total) == (1, 0, 0)
    since, until = admin.period_bounds("month", NOW.date())
    rows, _count, _total = admin.list_payments(session, actor_id=actor, filters=admin.PaymentFilter(since=since, until=until))
    assert [row[0].id for row in rows] == [ids["payment"]]


def test_overview_counts(session, people, ids):
    payment = session.get(Payment, ids["payment"])
    payment.status, payment.paid_at = PaymentStatus.succeeded, NOW
    session.flush()
    summary = admin.overview(session, actor_id=people["admin"].id, now=NOW)
    assert (summary.residents, summary.payments_today, summary.paid_today_kopecks) == (2, 1, 1000)


def test_create_admin_makes_or_promotes(session, people):
    created = admin.create_admin(session, email="Chief@Example.com", password="boss2026", now=NOW)
    assert (created.role, created.email_canonical) == (UserRole.admin, "chief@example.com") and created.confirmed_at
    promoted = admin.create_admin(session, email="olga.petrova@example.com", password="new2026", now=NOW)
    assert promoted.id == people["resident"].id and promoted.role == UserRole.admin
    with pytest.raises(DomainError):
        admin.create_admin(session, email="x@example.com", password="пароль", now=NOW)
