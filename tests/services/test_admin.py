"""The admin services: refused to anyone but an admin; providers, images, residents, payments, overview."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

import httpx
import pytest
from sqlmodel import func, select

import cabinet.sandbox.models  # noqa: F401  (the stand-in's tables)
from cabinet.models import (
    AccountLink,
    AuditEvent,
    EmailStatus,
    LedgerEntry,
    LoginSession,
    MeterReading,
    NotificationOutcome,
    OutgoingEmail,
    Payment,
    PaymentNotification,
    PaymentPurpose,
    PaymentStatus,
    ReadingSource,
    ReadingStatus,
    UploadedImage,
    UserRole,
)
from cabinet.services.periods import period_bounds
from cabinet.services import accounts, admin, payments, sessions
from cabinet.services.audit import record_event
from cabinet.services.dashboard import dashboard_cards
from cabinet.errors import DomainError
from cabinet.services.passwords import verify_password
from tests.factories import NOW, make_account, make_meter, make_provider, make_user
from tests.stand_ins import serve_stand_ins

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
NOVEMBER = dt.date(2026, 11, 1)
# One account of the `ids` provider (10-digit numbers), the registry's four required columns.
REGISTRY = "account;address;debt;as_of\r\n3700999001;г. Тестов, ул. Мира, д. 2;1200,50;2026-11-01\r\n".encode()


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
    "check_at_gateway": lambda s, actor, ids: admin.check_at_gateway(s, actor_id=actor, payment_id=ids["payment"], now=NOW),
    "export_payments": lambda s, actor, ids: admin.export_payments(s, actor_id=actor, filters=admin.PaymentFilter(), now=NOW),
    "export_readings": lambda s, actor, ids: admin.export_readings(s, actor_id=actor, provider_id=ids["provider"], period=NOVEMBER, mark_sent=True, now=NOW),
    "preview_registry": lambda s, actor, ids: admin.preview_registry(s, actor_id=actor, provider_id=ids["provider"], source=io.BytesIO(REGISTRY)),
    "import_registry": lambda s, actor, ids: admin.import_registry(s, actor_id=actor, provider_id=ids["provider"], source=io.BytesIO(REGISTRY), now=NOW),
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


def _audit_count(session) -> int:
    return session.exec(select(func.count()).select_from(AuditEvent)).one()


@pytest.mark.parametrize("call", ADMIN_CALLS, ids=list(ADMIN_CALLS))
def test_every_admin_operation_refuses_residents_and_anonymous(session, people, ids, call):
    events = _audit_count(session)
    for actor in (people["resident"].id, None, 0, 999_999):
        with pytest.raises(DomainError) as raised:
            ADMIN_CALLS[call](session, actor, ids)
        assert raised.value.code == "not_found"
    assert _audit_count(session) == events  # a refused call leaves no trace of having acted
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
    """Deactivating stops new links only: a resident's existing account stays on their dashboard."""
    resident, provider_id = people["resident"].id, ids["provider"]
    provider = admin.get_provider_for_admin(session, actor_id=people["admin"].id, provider_id=provider_id)
    linked = make_account(session, provider, number="3700111001")
    fresh = make_account(session, provider, number="3700111002")
    accounts.link_account(session=session, user_id=resident, provider_id=provider_id, number="3700 111 001", now=NOW)

    admin.set_provider_active(session, actor_id=people["admin"].id, provider_id=provider_id, active=False, now=NOW)

    assert [p.is_active for p, _count in admin.list_providers(session, actor_id=people["admin"].id)] == [False]
    assert session.exec(select(AccountLink.account_id).where(AccountLink.user_id == resident)).all() == [linked.id]
    assert [card.number for card in dashboard_cards(session, user_id=resident, today=NOW.date())] == ["3700111001"]
    with pytest.raises(DomainError) as raised:
        accounts.link_account(session=session, user_id=resident, provider_id=provider_id, number=fresh.number, now=NOW)
    assert raised.value.code == "provider_not_found"
    # Active again, the same account links: it was the deactivation that refused it.
    admin.set_provider_active(session, actor_id=people["admin"].id, provider_id=provider_id, active=True, now=NOW)
    accounts.link_account(session=session, user_id=resident, provider_id=provider_id, number=fresh.number, now=NOW)


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
    since, until = period_bounds("month", NOW.date())
    rows, _count, _total = admin.list_payments(session, actor_id=actor, filters=admin.PaymentFilter(since=since, until=until))
    assert [row[0].id for row in rows] == [ids["payment"]]


def test_overview_counts(session, people, ids):
    payment = session.get(Payment, ids["payment"])
    payment.status, payment.paid_at = PaymentStatus.succeeded, NOW
    account_id = payment.account_id
    resident = people["resident"].id

    def paid(key: str, amount: int, at: dt.datetime, status: PaymentStatus = PaymentStatus.succeeded) -> None:
        session.add(Payment(user_id=resident, account_id=account_id, amount_kopecks=amount, purpose=PaymentPurpose.debt,
                            idempotency_key=key, status=status, paid_at=at, created_at=at, updated_at=at))

    paid("earlier-this-month", 2500, dt.datetime(2026, 11, 3, 12, tzinfo=dt.timezone.utc))
    paid("last-month", 7000, dt.datetime(2026, 10, 20, 12, tzinfo=dt.timezone.utc))
    paid("canceled-today", 9900, NOW, PaymentStatus.canceled)
    session.add(AccountLink(user_id=resident, account_id=account_id))
    session.add(AccountLink(user_id=ids["unconfirmed"], account_id=account_id))
    meter = make_meter(session, session.get(cabinet.models.ProviderAccount, account_id))
    for value, submitted in ((1_000, NOW), (2_000, dt.datetime(2026, 11, 1, 8, tzinfo=dt.timezone.utc)),
                             (500, dt.datetime(2026, 10, 24, tzinfo=dt.timezone.utc))):
        session.add(MeterReading(meter_id=meter.id, value_thousandths=value, period=NOVEMBER,
                                 source=ReadingSource.resident, submitted_at=submitted, updated_at=submitted))
    for number, status in enumerate((EmailStatus.queued, EmailStatus.queued, EmailStatus.failed, EmailStatus.sent)):
        session.add(OutgoingEmail(to_address="olga.petrova@example.com", subject="Письмо", text_body="", html_body="",
                                  idempotency_key=f"letter-{number}", status=status, created_at=NOW))
    session.flush()

    summary = admin.overview(session, actor_id=people["admin"].id, now=NOW)
    assert summary == admin.Overview(
        residents=2, linked_accounts=2, payments_today=1, paid_today_kopecks=1000, payments_month=2,
        paid_month_kopecks=3500, readings_this_month=2, outbox_queued=2, outbox_failed=1)


def test_resident_detail_shows_linked_accounts_payments_and_sign_ins(session, people, ids):
    resident, other = people["resident"], make_user(session)
    provider = admin.get_provider_for_admin(session, actor_id=people["admin"].id, provider_id=ids["provider"])
    theirs = make_account(session, provider, number="3700222001", address="г. Тестов, ул. Липовая, д. 7")
    someone_elses = make_account(session, provider, number="3700222002")
    session.add(AccountLink(user_id=resident.id, account_id=theirs.id, created_at=NOW))
    session.add(AccountLink(user_id=other.id, account_id=someone_elses.id, created_at=NOW))
    session.add(Payment(user_id=other.id, account_id=someone_elses.id, amount_kopecks=300, purpose=PaymentPurpose.debt,
                        idempotency_key="k-other", created_at=NOW, updated_at=NOW))
    for action, hours, actor, address in (("sign_in_failed", 3, resident.id, "10.0.0.7"),
                                          ("sign_in", 2, resident.id, "10.0.0.8"),
                                          ("account_linked", 1, resident.id, "10.0.0.8"),
                                          ("sign_in", 1, other.id, "10.9.9.9")):
        record_event(session=session, action=action, now=NOW - dt.timedelta(hours=hours), actor_user_id=actor,
                     client_address=address)
    sessions.start_session(session=session, user_id=resident.id, remember=False, now=NOW)
    session.flush()

    detail = admin.resident_detail(session, actor_id=people["admin"].id, user_id=resident.id, now=NOW)

    assert detail.user.email == "olga.petrova@example.com"
    assert [(p.name, a.number, a.address) for _link, a, p in detail.links] == [
        (provider.name, "3700222001", "г. Тестов, ул. Липовая, д. 7")]
    assert [(p.id, p.amount_kopecks) for p in detail.payments] == [(ids["payment"], 1000)]
    assert [(e.action, e.client_address) for e in detail.sign_ins] == [("sign_in", "10.0.0.8"),
                                                                      ("sign_in_failed", "10.0.0.7")]
    assert detail.sessions_active == 1


def test_payment_detail_shows_gateway_id_and_notification_log(session, people, ids):
    payment = session.get(Payment, ids["payment"])
    payment.gateway_payment_id = "2f4c7a1e-000f-5000-9000-1b2c3d4e5f60"
    log = ((30, "payment.waiting_for_capture", payment.gateway_payment_id, NotificationOutcome.unchanged),
           (10, "payment.succeeded", payment.gateway_payment_id, NotificationOutcome.moved),
           (20, "payment.succeeded", "another-payment", NotificationOutcome.unknown_payment))
    for minutes, event, gateway_id, outcome in log:
        session.add(PaymentNotification(received_at=NOW - dt.timedelta(minutes=minutes), source_address="185.71.76.3",
                                        event=event, gateway_payment_id=gateway_id, body="{}", outcome=outcome))
    session.flush()

    shown, account, provider, user, log = admin.payment_detail(session, actor_id=people["admin"].id,
                                                               payment_id=payment.id)

    assert shown.gateway_payment_id == "2f4c7a1e-000f-5000-9000-1b2c3d4e5f60"
    assert (provider.id, user.id, account.id) == (ids["provider"], people["resident"].id, payment.account_id)
    assert [(n.event, n.outcome, n.source_address) for n in log] == [
        ("payment.succeeded", NotificationOutcome.moved, "185.71.76.3"),
        ("payment.waiting_for_capture", NotificationOutcome.unchanged, "185.71.76.3")]
    payment.gateway_payment_id = None  # never reached YooKassa: nothing to show, not every stray notification
    session.flush()
    assert admin.payment_detail(session, actor_id=people["admin"].id, payment_id=payment.id)[4] == []


def test_check_at_gateway_rereads_a_payment_whose_notification_was_lost(engine, session):
    """«Проверить в YooKassa»: the status comes from the API through the real SDK, and is applied once."""
    with serve_stand_ins(engine, with_webhook=True) as stand_in:
        provider = make_provider(session, reading_window_start_day=1, reading_window_end_day=31)
        account = make_account(session, provider, debt_kopecks=180_000)
        resident = make_user(session)
        operator = make_user(session, role=UserRole.admin)
        session.add(AccountLink(user_id=resident.id, account_id=account.id))
        session.commit()
        httpx.post(f"{stand_in}/sandbox/_faults", json={"service": "yookassa", "drop_notifications": True, "count": 0},
                   timeout=5).raise_for_status()
        payment = payments.pay(payments.PaymentRequest(user_id=resident.id, account_id=account.id,
                                                       purpose=PaymentPurpose.debt))
        httpx.post(f"{payment.confirmation_url}/pay", timeout=10)
        assert session.get(Payment, payment.id).status == PaymentStatus.pending  # no notification came

        applied = admin.check_at_gateway(session, actor_id=operator.id, payment_id=payment.id, now=NOW)
        session.commit()

        assert (applied.changed, applied.status) == (True, PaymentStatus.succeeded)
        session.expire_all()
        stored = session.get(Payment, payment.id)
        assert (stored.status, stored.paid_at is not None) == (PaymentStatus.succeeded, True)
        assert session.exec(select(LedgerEntry.amount_kopecks)).all() == [180_000]
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "payment_checked_at_gateway")).one()
        assert (event.actor_user_id, event.target_id, json.loads(event.details)) == (
            operator.id, str(payment.id), {"status": "succeeded"})
        # A second check finds it settled and credits nothing twice.
        again = admin.check_at_gateway(session, actor_id=operator.id, payment_id=payment.id, now=NOW)
        session.commit()
        assert (again.changed, again.status) == (False, PaymentStatus.succeeded)
        assert session.exec(select(func.count()).select_from(LedgerEntry)).one() == 1


def test_admin_exports_and_registry_import_name_the_admin(session, people, ids):
    actor = people["admin"].id
    account = make_account(session, admin.get_provider_for_admin(session, actor_id=actor, provider_id=ids["provider"]),
                           number="3700333001")
    meter = make_meter(session, account, serial="W-77")
    session.add(MeterReading(meter_id=meter.id, value_thousandths=42_500, period=NOVEMBER,
                             source=ReadingSource.resident, submitted_at=NOW, updated_at=NOW))
    session.flush()
    readings = admin.export_readings(session, actor_id=actor, provider_id=ids["provider"], period=NOVEMBER,
                                     mark_sent=True, now=NOW).decode("utf-8-sig")
    assert "3700333001;г. Тестов, ул. Садовая, д. 1, кв. 1;W-77;cold_water;" in readings
    assert session.exec(select(MeterReading.status)).all() == [ReadingStatus.sent_to_provider]
    with pytest.raises(DomainError, match="not_found"):
        admin.export_readings(session, actor_id=actor, provider_id=ids["provider"] + 100, period=NOVEMBER,
                              mark_sent=True, now=NOW)
    assert admin.export_payments(session, actor_id=actor, filters=admin.PaymentFilter(), now=NOW) \
        .decode("utf-8-sig").count("\r\n") == 2  # the header and the one payment
    assert admin.preview_registry(session, actor_id=actor, provider_id=ids["provider"],
                                  source=io.BytesIO(REGISTRY)).accounts_new == 1
    admin.import_registry(session, actor_id=actor, provider_id=ids["provider"], source=io.BytesIO(REGISTRY), now=NOW)
    actors = dict(session.exec(select(AuditEvent.action, AuditEvent.actor_user_id)).all())
    assert actors == {"readings_exported": actor, "payments_exported": actor, "registry_imported": actor}


def test_a_receipt_picture_upload_is_audited(session, people):
    actor = people["admin"].id
    url = admin.store_image(session, actor_id=actor, data=PNG, now=NOW)
    admin.store_image(session, actor_id=actor, data=PNG, now=NOW + dt.timedelta(minutes=5))
    with pytest.raises(DomainError):
        admin.store_image(session, actor_id=actor, data=b"GIF89a" + b"\x00" * 10, now=NOW)
    image = session.exec(select(UploadedImage)).one()
    events = session.exec(select(AuditEvent).order_by(AuditEvent.created_at)).all()
    assert url == f"/api/images/{image.id}"
    assert [(e.action, e.actor_user_id, e.created_at, e.target_type, e.target_id) for e in events] == [
        ("image_uploaded", actor, NOW, "image", str(image.id)),
        ("image_uploaded", actor, NOW + dt.timedelta(minutes=5), "image", str(image.id))]
    assert json.loads(events[0].details) == {"content_type": "image/png", "size_bytes": len(PNG),
                                             "sha256": image.sha256, "stored": True}
    assert json.loads(events[1].details)["stored"] is False  # the same picture again: kept once


def test_create_admin_makes_or_promotes(session, people):
    created = admin.create_admin(session, email="Chief@Example.com", password="boss2026", now=NOW)
    assert (created.role, created.email_canonical) == (UserRole.admin, "chief@example.com") and created.confirmed_at
    promoted = admin.create_admin(session, email="olga.petrova@example.com", password="new2026", now=NOW)
    assert promoted.id == people["resident"].id and promoted.role == UserRole.admin
    with pytest.raises(DomainError) as raised:  # an existing admin is neither duplicated nor given a new password
        admin.create_admin(session, email="chief@EXAMPLE.com", password="other2026", now=NOW)
    assert (raised.value.code, raised.value.params) == ("admin_exists", {"email": "Chief@example.com"})
    assert verify_password("boss2026", created.password_hash)
    with pytest.raises(DomainError):
        admin.create_admin(session, email="x@example.com", password="пароль", now=NOW)
