"""Ids from outside: one parser, and every service that looks an id up answers an unusable one as a missing one."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlmodel import Session

from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import AccountLink, PaymentPurpose, Provider, UserRole
from cabinet.services import accounts, dashboard, images, payments, providers, questions, readings
from cabinet.services.access import require_staff
from cabinet.services.admin import payment_detail, readings_export, refunds, registry_import, residents
from cabinet.services.admin import payments as admin_payments
from cabinet.services.ids import MAX_ID, get_by_id, parse_id
from cabinet.services.provider_form import provider_form
from cabinet.services.readings import ReadingEntry
from tests.factories import NOW, make_account, make_meter, make_provider, make_user, parts_of
from tests.paying import one_account

# Each is refused before any query: a sign, zero, past PostgreSQL's `integer`, past SQLite's 64 bits, text.
UNUSABLE = [0, -1, 2**31, 10**20, "abc", "", "-1", "1e3", " 1", "٣", "99999999999999999999", True]
MISSING = 999_999


@pytest.mark.parametrize(
    "value, expected",
    [
        (1, 1),
        (MAX_ID, MAX_ID),
        ("1", 1),
        ("0042", 42),
        (str(MAX_ID), MAX_ID),
        (0, None),
        (-1, None),
        (MAX_ID + 1, None),
        (10**20, None),
        ("2147483648", None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        ("1.0", None),
        ("1 ", None),
        ("١٢", None),
        ("²", None),
        ("9" * 5000, None),
        ("abc", None),
        ("", None),
        (None, None),
        (1.0, None),
        (True, None),
        (False, None),
        ([1], None),
    ],
)
def test_parse_id_takes_only_positive_32_bit_ids(value, expected):
    assert parse_id(value) == expected


@pytest.fixture
def world(engine, monkeypatch):
    """A resident with a linked account, a meter and a payment; an admin; the app's sessions on `engine`."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    with Session(engine, expire_on_commit=False) as session:
        provider = make_provider(session, reading_window_start_day=1, reading_window_end_day=31)
        account = make_account(session, provider)
        meter = make_meter(session, account)
        resident = make_user(session)
        operator = make_user(session, role=UserRole.admin)
        session.add(AccountLink(user_id=resident.id, account_id=account.id))
        session.flush()
        payment = payments.prepare_payment(
            session,
            one_account(user_id=resident.id, account_id=account.id, purpose=PaymentPurpose.debt),
            now=NOW,
        )
        session.commit()
        ids = dict(
            provider=provider.id,
            account=account.id,
            meter=meter.id,
            resident=resident.id,
            admin=operator.id,
            payment=payment.id,
            part=parts_of(session, payment)[0].id,
            form=provider_form(provider),
        )
    with Session(engine, expire_on_commit=False) as session:
        yield session, ids
    get_settings.cache_clear()


REFUND = dict(amount_text="1,00", reason="Оплачено дважды", request_key="refund-ids", now=NOW)


def _registry_file() -> io.BytesIO:
    return io.BytesIO("номер;адрес\n".encode())


# name → a call looking one id up; every other argument is valid.
LOOKUPS = {
    "accounts.require_linked_account": lambda s, w, bad: accounts.require_linked_account(
        session=s, user_id=w["resident"], account_id=bad
    ),
    "accounts.require_linked_account (user)": lambda s, w, bad: accounts.require_linked_account(
        session=s, user_id=bad, account_id=w["account"]
    ),
    "accounts.get_active_provider": lambda s, w, bad: accounts.get_active_provider(session=s, provider_id=bad),
    "accounts.link_account": lambda s, w, bad: accounts.link_account(
        session=s, user_id=w["resident"], provider_id=bad, number="3700123456", now=NOW
    ),
    "accounts.rename_link": lambda s, w, bad: accounts.rename_link(
        session=s, user_id=w["resident"], account_id=bad, nickname="Дача", now=NOW
    ),
    "accounts.unlink_account": lambda s, w, bad: accounts.unlink_account(
        session=s, user_id=w["resident"], account_id=bad, now=NOW
    ),
    "dashboard.card_for": lambda s, w, bad: dashboard.card_for(
        s, user_id=w["resident"], account_id=bad, today=NOW.date()
    ),
    "dashboard.meters_card_for": lambda s, w, bad: dashboard.meters_card_for(
        s, user_id=w["resident"], account_id=bad, today=NOW.date()
    ),
    "readings.submit_readings": lambda s, w, bad: readings.submit_readings(
        s, user_id=w["resident"], account_id=bad, entries=[ReadingEntry(w["meter"], "12")], now=NOW
    ),
    "payments.payment_of": lambda s, w, bad: payments.payment_of(s, user_id=w["resident"], payment_id=bad),
    "payments.payments_of": lambda s, w, bad: payments.payments_of(s, user_id=w["resident"], account_id=bad),
    "payments.prepare_payment": lambda s, w, bad: payments.prepare_payment(
        s, one_account(user_id=w["resident"], account_id=bad, purpose=PaymentPurpose.debt), now=NOW
    ),
    "payments.retry_payment": lambda s, w, bad: payments.retry_payment(user_id=w["resident"], payment_id=bad),
    "payments.refresh_from_gateway": lambda s, w, bad: payments.refresh_from_gateway(bad),
    "payments.send_to_gateway": lambda s, w, bad: payments.send_to_gateway(bad),
    "payments.send_refund": lambda s, w, bad: payments.send_refund(bad),
    "payments.refresh_refund": lambda s, w, bad: payments.refresh_refund(bad),
    "questions.ask_question": lambda s, w, bad: questions.ask_question(
        session=s,
        user_id=w["resident"],
        contact_email="",
        topic="payment",
        message="Вопрос о счёте, пожалуйста",
        account_id=bad,
        now=NOW,
    ),
    "access.require_staff": lambda s, w, bad: require_staff(s, bad),
    "providers.get_provider_for_admin": lambda s, w, bad: providers.get_provider_for_admin(
        session=s, actor_id=w["admin"], provider_id=bad
    ),
    "providers.edit_provider_form": lambda s, w, bad: providers.edit_provider_form(
        session=s, actor_id=w["admin"], provider_id=bad
    ),
    "providers.provider_editing": lambda s, w, bad: providers.provider_editing(
        session=s, actor_id=w["admin"], provider_id=bad
    ),
    "providers.save_provider": lambda s, w, bad: providers.save_provider(
        session=s, actor_id=w["admin"], provider_id=bad, form=w["form"], now=NOW
    ),
    "providers.set_provider_active": lambda s, w, bad: providers.set_provider_active(
        session=s, actor_id=w["admin"], provider_id=bad, active=False, now=NOW
    ),
    "images.load_image": lambda s, w, bad: images.load_image(session=s, image_id=bad),
    "residents.resident_detail": lambda s, w, bad: residents.resident_detail(
        session=s, actor_id=w["admin"], user_id=bad, now=NOW
    ),
    "residents.set_blocked": lambda s, w, bad: residents.set_blocked(
        session=s, actor_id=w["admin"], user_id=bad, blocked=True, now=NOW
    ),
    "residents.resend_confirmation_for": lambda s, w, bad: residents.resend_confirmation_for(
        session=s, actor_id=w["admin"], user_id=bad, now=NOW
    ),
    "payment_detail.payment_detail": lambda s, w, bad: payment_detail.payment_detail(
        session=s, actor_id=w["admin"], payment_id=bad
    ),
    "payment_detail.check_at_gateway": lambda s, w, bad: payment_detail.check_at_gateway(
        session=s, actor_id=w["admin"], payment_id=bad, now=NOW
    ),
    "refunds.refund_part (payment)": lambda s, w, bad: refunds.refund_part(
        session=s, actor_id=w["admin"], payment_id=bad, part_id=w["part"], **REFUND
    ),
    "refunds.refund_part (part)": lambda s, w, bad: refunds.refund_part(
        session=s, actor_id=w["admin"], payment_id=w["payment"], part_id=bad, **REFUND
    ),
    "admin_payments.list_payments": lambda s, w, bad: admin_payments.list_payments(
        session=s, actor_id=w["admin"], filters=admin_payments.PaymentFilter(provider_id=bad)
    ),
    "readings_export.export_readings": lambda s, w, bad: readings_export.export_readings(
        session=s, actor_id=w["admin"], provider_id=bad, period=dt.date(2026, 11, 1), mark_sent=False, now=NOW
    ),
    "registry_import.preview_registry": lambda s, w, bad: registry_import.preview_registry(
        session=s, actor_id=w["admin"], provider_id=bad, source=_registry_file()
    ),
    "registry_import.import_registry": lambda s, w, bad: registry_import.import_registry(
        session=s, actor_id=w["admin"], provider_id=bad, source=_registry_file(), now=NOW
    ),
    "ids.get_by_id": lambda s, w, bad: get_by_id(s, Provider, bad),
}


def _outcome(session: Session, world_ids: dict, name: str, value: object) -> object:
    try:
        with session.begin_nested():
            result = LOOKUPS[name](session, world_ids, value)
    except DomainError as error:
        return ("DomainError", error.code)
    return ("result", result)


@pytest.mark.parametrize("name", LOOKUPS)
def test_an_unusable_id_is_answered_as_a_missing_one(world, name):
    session, ids = world
    missing = _outcome(session, ids, name, MISSING)
    assert missing in (
        ("DomainError", "not_found"),
        ("DomainError", "provider_not_found"),
        ("result", None),
        ("result", []),
        ("result", ([], 0, 0)),
    ), missing
    for value in UNUSABLE:
        assert _outcome(session, ids, name, value) == missing, value
