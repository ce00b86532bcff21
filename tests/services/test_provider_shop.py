"""The provider's own YooKassa shop (split payments): digits or nothing, changed by the platform administrator only
— it decides where residents' money goes — read by the provider's staff, and worded in the journal."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlmodel import select

from cabinet import texts
from cabinet.errors import DomainError
from cabinet.models import AuditEvent, Provider, StaffMembership, StaffRole, UserRole
from cabinet.services import providers
from cabinet.services.admin.audit_wording import describe
from cabinet.services.provider_form import ProviderForm, ProviderInvalid, provider_form, validate_provider
from tests.factories import NOW, make_provider, make_user

SHOP_LABEL = "Магазин поставщика в ЮKassa (для сплитования платежей)"


def _form(**changes) -> ProviderForm:
    values = dict(
        name="ООО «Теплосеть»",
        inn="7707083893",
        account_pattern=r"\d{9}",
        account_format_description="9 цифр",
        account_example="123 456 789",
    )
    values.update(changes)
    return ProviderForm(**values)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("", ""), ("   ", ""), ("506751", "506751"), (" 506 751 ", "506751"), ("9" * 32, "9" * 32)],
)
def test_a_shop_is_digits_or_nothing(typed, stored):
    assert validate_provider(_form(yookassa_account_id=typed))["yookassa_account_id"] == stored


@pytest.mark.parametrize("typed", ["shop-506751", "5067.51", "-506751", "９９", "²³", "١٥", "9" * 33])
def test_anything_else_is_refused_next_to_the_field_in_russian(typed):
    with pytest.raises(ProviderInvalid) as raised:
        validate_provider(_form(yookassa_account_id=typed))
    errors = raised.value.errors
    assert {field: error.code for field, error in errors.items()} == {"yookassa_account_id": "provider_shop_invalid"}
    message = texts.error_text("provider_shop_invalid", **errors["yookassa_account_id"].params)
    assert "только цифры, не больше 32 знаков" in message


def _staff(session, provider_id: int, role: StaffRole) -> int:
    member = make_user(session)
    session.add(StaffMembership(user_id=member.id, provider_id=provider_id, role=role, created_at=NOW))
    session.flush()
    return member.id


def _updates(session) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == "provider_updated").order_by(AuditEvent.id)))


def test_the_administrator_sets_and_clears_the_shop_and_the_journal_words_it(session):
    admin = make_user(session, role=UserRole.admin).id
    provider = make_provider(session)
    assert provider_form(provider).yookassa_account_id == ""

    form = dataclasses.replace(provider_form(provider), yookassa_account_id="506751")
    providers.save_provider(session=session, actor_id=admin, provider_id=provider.id, form=form, now=NOW)
    session.refresh(provider)
    assert provider.yookassa_account_id == "506751"
    assert providers.provider_editing(session=session, actor_id=admin, provider_id=provider.id).may_change_legal

    providers.save_provider(
        session=session,
        actor_id=admin,
        provider_id=provider.id,
        form=dataclasses.replace(form, yookassa_account_id=""),
        now=NOW,
    )
    session.refresh(provider)
    assert provider.yookassa_account_id == ""
    set_event, cleared_event = _updates(session)
    assert json.loads(set_event.details)["changed"] == {"yookassa_account_id": ["", "506751"]}
    set_words, cleared_words = (described.sentence for described in describe(session, [set_event, cleared_event]))
    assert f"{SHOP_LABEL}: — → 506751" in set_words
    assert f"{SHOP_LABEL}: 506751 → —" in cleared_words


def test_an_operator_reads_the_shop_and_may_not_change_it(session):
    """Regression guard: the shop routes the provider's money, so its operator's form keeps it as the
    administrator set it — a change sent anyway is refused next to the field and nothing is saved."""
    provider = make_provider(session, yookassa_account_id="506751")
    operator = _staff(session, provider.id, StaffRole.operator)
    opened = providers.provider_editing(session=session, actor_id=operator, provider_id=provider.id)
    assert opened.may_change and not opened.may_change_legal
    assert opened.form.yookassa_account_id == "506751"

    # Their other settings they change as before, the shop passing through as it was.
    providers.save_provider(
        session=session,
        actor_id=operator,
        provider_id=provider.id,
        form=dataclasses.replace(opened.form, support_phone="+7 343 000-00-00"),
        now=NOW,
    )
    session.refresh(provider)
    assert (provider.support_phone, provider.yookassa_account_id) == ("+7 343 000-00-00", "506751")

    for shop in ("999999", ""):
        with pytest.raises(ProviderInvalid) as raised:
            providers.save_provider(
                session=session,
                actor_id=operator,
                provider_id=provider.id,
                form=dataclasses.replace(opened.form, yookassa_account_id=shop, support_phone="+7 343 111-11-11"),
                now=NOW,
            )
        error = raised.value.errors["yookassa_account_id"]
        assert (error.code, error.field) == ("provider_shop_admin_only", "yookassa_account_id")
        assert texts.error_text(error.code).startswith("Магазин в ЮKassa меняет только администратор платформы")
    session.refresh(provider)
    assert (provider.yookassa_account_id, provider.support_phone) == ("506751", "+7 343 000-00-00")
    assert [json.loads(event.details)["changed"] for event in _updates(session)] == [
        {"support_phone": ["", "+7 343 000-00-00"]}
    ]


def test_a_viewer_reads_the_shop_and_may_not_save(session):
    provider = make_provider(session, yookassa_account_id="506751")
    viewer = _staff(session, provider.id, StaffRole.viewer)
    shown = providers.provider_editing(session=session, actor_id=viewer, provider_id=provider.id)
    assert (shown.may_change, shown.may_change_legal, shown.form.yookassa_account_id) == (False, False, "506751")
    with pytest.raises(DomainError, match="not_found"):
        providers.save_provider(
            session=session,
            actor_id=viewer,
            provider_id=provider.id,
            form=dataclasses.replace(shown.form, yookassa_account_id="1"),
            now=NOW,
        )
    assert session.get(Provider, provider.id).yookassa_account_id == "506751"


def test_a_foreign_providers_operator_finds_nothing(session):
    provider, other = make_provider(session, yookassa_account_id="506751"), make_provider(session)
    stranger = _staff(session, other.id, StaffRole.operator)
    with pytest.raises(DomainError, match="not_found"):
        providers.provider_editing(session=session, actor_id=stranger, provider_id=provider.id)
    with pytest.raises(DomainError, match="not_found"):
        providers.save_provider(
            session=session,
            actor_id=stranger,
            provider_id=provider.id,
            form=dataclasses.replace(provider_form(provider), yookassa_account_id="1"),
            now=NOW,
        )
    assert session.get(Provider, provider.id).yookassa_account_id == "506751"
