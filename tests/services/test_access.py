"""The operator check: every admin operation refuses residents and anonymous callers; the upload guard's token check."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlmodel import func, select

from cabinet.errors import DomainError
from cabinet.models import AuditEvent, UserRole
from cabinet.services import images, providers
from cabinet.services.access import is_operator_token
from cabinet.services.admin import audit_log, overview, payments, readings_export, registry_import, residents
from cabinet.services.provider_form import ProviderForm
from cabinet.services.sessions import end_session, start_session
from tests.factories import NOW, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NOVEMBER = dt.date(2026, 11, 1)
# One account of the `ids` provider (10-digit numbers), the registry's four required columns.
REGISTRY = "account;address;debt;as_of\r\n3700999001;г. Тестов, ул. Мира, д. 2;1200,50;2026-11-01\r\n".encode()
FORM = ProviderForm(
    name="ООО «Теплосеть»",
    inn="7707083893",
    account_pattern=r"\d{9}",
    account_format_description="9 цифр",
    account_example="123 456 789",
)

# Every function an admin page calls, with the arguments besides the actor that would succeed for an admin.
ADMIN_CALLS = {
    "overview": (overview.overview, lambda ids: dict(now=NOW)),
    "list_providers": (providers.list_providers, lambda ids: {}),
    "get_provider_for_admin": (providers.get_provider_for_admin, lambda ids: dict(provider_id=ids["provider"])),
    "edit_provider_form": (providers.edit_provider_form, lambda ids: dict(provider_id=ids["provider"])),
    "save_provider": (providers.save_provider, lambda ids: dict(provider_id=None, form=FORM, now=NOW)),
    "set_provider_active": (
        providers.set_provider_active,
        lambda ids: dict(provider_id=ids["provider"], active=False, now=NOW),
    ),
    "store_image": (images.store_image, lambda ids: dict(data=PNG, now=NOW)),
    "search_residents": (residents.search_residents, lambda ids: dict(query="")),
    "resident_detail": (residents.resident_detail, lambda ids: dict(user_id=ids["resident"], now=NOW)),
    "set_blocked": (residents.set_blocked, lambda ids: dict(user_id=ids["resident"], blocked=True, now=NOW)),
    "resend_confirmation_for": (
        residents.resend_confirmation_for,
        lambda ids: dict(user_id=ids["unconfirmed"], now=NOW),
    ),
    "list_payments": (payments.list_payments, lambda ids: dict(filters=payments.PaymentFilter())),
    "payments_page": (payments.payments_page, lambda ids: dict(filters=payments.PaymentFilter())),
    "payment_detail": (payments.payment_detail, lambda ids: dict(payment_id=ids["payment"])),
    "audit_log": (audit_log.audit_log, lambda ids: {}),
    "check_at_gateway": (payments.check_at_gateway, lambda ids: dict(payment_id=ids["payment"], now=NOW)),
    "export_payments": (payments.export_payments, lambda ids: dict(filters=payments.PaymentFilter(), now=NOW)),
    "export_readings": (
        readings_export.export_readings,
        lambda ids: dict(provider_id=ids["provider"], period=NOVEMBER, mark_sent=True, now=NOW),
    ),
    "preview_registry": (
        registry_import.preview_registry,
        lambda ids: dict(provider_id=ids["provider"], source=io.BytesIO(REGISTRY)),
    ),
    "import_registry": (
        registry_import.import_registry,
        lambda ids: dict(provider_id=ids["provider"], source=io.BytesIO(REGISTRY), now=NOW),
    ),
}
# The entries among them: each owns its transaction when called without `session=`, as a State calls it.
ENTRIES = [name for name, (function, _arguments) in ADMIN_CALLS.items() if hasattr(function, "keeps_on")]


def _call(name: str, actor: int | None, ids: dict, **session) -> object:
    function, arguments = ADMIN_CALLS[name]
    return function(actor_id=actor, **arguments(ids), **session)


def _audit_count(session) -> int:
    return session.exec(select(func.count()).select_from(AuditEvent)).one()


@pytest.mark.parametrize("name", ADMIN_CALLS)
def test_every_admin_operation_refuses_residents_and_anonymous(session, people, ids, name):
    events = _audit_count(session)
    for actor in (people["resident"].id, None, 0, 999_999):
        with pytest.raises(DomainError) as raised:
            _call(name, actor, ids, session=session)
        assert raised.value.code == "not_found"
    assert _audit_count(session) == events  # a refused call leaves no trace of having acted
    _call(name, people["admin"].id, ids, session=session)  # and works for an admin


@pytest.mark.parametrize("name", ENTRIES)
def test_every_admin_entry_refuses_and_acts_in_a_transaction_of_its_own(app_database, session, people, ids, name):
    session.commit()
    for actor in (people["resident"].id, None):
        with pytest.raises(DomainError, match="not_found"):
            _call(name, actor, ids)
    _call(name, people["admin"].id, ids)


def test_a_blocked_admin_is_refused(session, people, ids):
    people["admin"].is_blocked = True
    with pytest.raises(DomainError):
        overview.overview(session=session, actor_id=people["admin"].id, now=NOW)


def test_only_a_live_operator_session_may_upload(app_database, session, people):
    operator = start_session(session=session, user_id=people["admin"].id, remember=True, now=NOW)
    resident = start_session(session=session, user_id=people["resident"].id, remember=True, now=NOW)
    ended = start_session(session=session, user_id=make_user(session, role=UserRole.admin).id, remember=True, now=NOW)
    end_session(session=session, raw_token=ended, now=NOW)
    session.commit()
    assert is_operator_token(raw_token=operator, now=NOW) is True
    assert [is_operator_token(raw_token=token, now=NOW) for token in (resident, ended, "", "x" * 500)] == [False] * 4
