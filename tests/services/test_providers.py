"""Providers for operators: created and edited with an audit of what changed, deactivated without losing links."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlmodel import Session, select

from cabinet.errors import DomainError
from cabinet.models import AccountLink, AuditEvent, Provider, StaffMembership, StaffRole
from cabinet.services import accounts, providers
from cabinet.services.dashboard import dashboard_cards
from cabinet.services.provider_form import ProviderForm, ProviderInvalid, provider_form
from tests.factories import NOW, make_account, make_user


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


def test_provider_is_created_with_an_audit_of_what_changed(session, people):
    saved = providers.save_provider(
        session=session,
        actor_id=people["admin"].id,
        provider_id=None,
        form=_form(consumption_cap="150,5", reading_window_start_day="20", reading_window_end_day="3"),
        now=NOW,
    )
    provider = session.get(Provider, saved.id)
    assert (provider.account_example, provider.consumption_cap_thousandths) == ("123456789", 150_500)
    assert (provider.reading_window_start_day, provider.reading_window_end_day) == (20, 3)
    edited = providers.save_provider(
        session=session,
        actor_id=people["admin"].id,
        provider_id=provider.id,
        form=dataclasses.replace(provider_form(provider), name="ООО «Теплосеть-2»"),
        now=NOW,
    )
    assert edited.name == "ООО «Теплосеть-2»" and session.get(Provider, saved.id).name == "ООО «Теплосеть-2»"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "provider_updated")).one()
    assert json.loads(event.details)["changed"] == {"name": ["ООО «Теплосеть»", "ООО «Теплосеть-2»"]}


def test_provider_form_names_every_bad_field(session, people):
    with pytest.raises(ProviderInvalid) as raised:
        providers.save_provider(
            session=session,
            actor_id=people["admin"].id,
            provider_id=None,
            now=NOW,
            form=_form(
                name="",
                inn="123",
                account_example="12345",
                reading_window_start_day="32",
                consumption_cap="-1",
                support_email="not an address",
                ownership_check="photo",
            ),
        )
    assert {field: error.code for field, error in raised.value.errors.items()} == {
        "name": "field_required",
        "inn": "provider_inn_invalid",
        "account_example": "provider_example_mismatch",
        "reading_window_start_day": "provider_day_invalid",
        "consumption_cap": "provider_cap_invalid",
        "support_email": "email_invalid",
        "ownership_check": "field_choice",
    }


def test_deactivated_provider_keeps_its_links(session, people, ids):
    """Deactivating stops new links only: a resident's existing account stays on their dashboard."""
    resident, provider_id = people["resident"].id, ids["provider"]
    provider = providers.get_provider_for_admin(session=session, actor_id=people["admin"].id, provider_id=provider_id)
    linked = make_account(session, provider, number="3700111001")
    fresh = make_account(session, provider, number="3700111002")
    accounts.link_account(session=session, user_id=resident, provider_id=provider_id, number="3700 111 001", now=NOW)

    providers.set_provider_active(
        session=session, actor_id=people["admin"].id, provider_id=provider_id, active=False, now=NOW
    )

    assert [row.active for row in providers.list_providers(session=session, actor_id=people["admin"].id)] == [False]
    assert session.exec(select(AccountLink.account_id).where(AccountLink.user_id == resident)).all() == [linked.id]
    assert [card.number for card in dashboard_cards(session, user_id=resident, today=NOW.date())] == ["3700111001"]
    with pytest.raises(DomainError) as raised:
        accounts.link_account(session=session, user_id=resident, provider_id=provider_id, number=fresh.number, now=NOW)
    assert raised.value.code == "provider_not_found"
    # Active again, the same account links: it was the deactivation that refused it.
    providers.set_provider_active(
        session=session, actor_id=people["admin"].id, provider_id=provider_id, active=True, now=NOW
    )
    accounts.link_account(session=session, user_id=resident, provider_id=provider_id, number=fresh.number, now=NOW)


def test_the_list_counts_each_providers_registry_accounts(session, people, ids):
    provider = session.get(Provider, ids["provider"])
    make_account(session, provider, number="3700444001")
    rows = providers.list_providers(session=session, actor_id=people["admin"].id)
    assert [(row.id, row.name, row.inn, row.accounts, row.active) for row in rows] == [
        (provider.id, provider.name, provider.inn, 2, True)
    ]


def test_entries_commit_what_they_save_and_fill_the_form_back(app_database, session, people):
    session.commit()
    actor = people["admin"].id
    saved = providers.save_provider(actor_id=actor, provider_id=None, form=_form(hint_text="Номер — вверху"), now=NOW)
    with pytest.raises(DomainError, match="not_found"):
        providers.edit_provider_form(actor_id=actor, provider_id=saved.id + 100)
    form = providers.edit_provider_form(actor_id=actor, provider_id=str(saved.id))
    assert (form.name, form.hint_text, form.account_example) == ("ООО «Теплосеть»", "Номер — вверху", "123456789")
    providers.set_provider_active(actor_id=actor, provider_id=saved.id, active=False, now=NOW)
    with Session(app_database) as fresh:
        assert fresh.get(Provider, saved.id).is_active is False
        assert fresh.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all() == [
            "provider_created",
            "provider_deactivated",
        ]


def _staff(session, provider_id: int, role: StaffRole) -> int:
    member = make_user(session)
    session.add(StaffMembership(user_id=member.id, provider_id=provider_id, role=role, created_at=NOW))
    session.flush()
    return member.id


def test_the_providers_operator_tunes_its_reminders_and_a_viewer_only_reads_them(session, ids):
    provider = session.get(Provider, ids["provider"])
    operator, viewer = _staff(session, provider.id, StaffRole.operator), _staff(session, provider.id, StaffRole.viewer)
    opened = providers.provider_editing(session=session, actor_id=operator, provider_id=provider.id)
    assert opened.may_change and not opened.may_change_legal
    assert opened.form.reminder_closing_days == "3" and all(opened.form.switches().values())
    tuned = dataclasses.replace(opened.form, reminder_closing_days="7", remind_new_bill=False)
    providers.save_provider(session=session, actor_id=operator, provider_id=provider.id, form=tuned, now=NOW)
    session.refresh(provider)
    assert (provider.reminder_closing_days, provider.remind_new_bill, provider.remind_window_opens) == (7, False, True)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "provider_updated")).one()
    assert json.loads(event.details)["changed"] == {"reminder_closing_days": [3, 7], "remind_new_bill": [True, False]}
    # A viewer sees the values and may not save them.
    shown = providers.provider_editing(session=session, actor_id=viewer, provider_id=provider.id)
    assert not shown.may_change and shown.form.reminder_closing_days == "7" and not shown.form.remind_new_bill
    with pytest.raises(DomainError, match="not_found"):
        providers.save_provider(
            session=session,
            actor_id=viewer,
            provider_id=provider.id,
            form=dataclasses.replace(shown.form, reminder_closing_days="1"),
            now=NOW,
        )
    assert session.get(Provider, provider.id).reminder_closing_days == 7


def test_closing_days_out_of_range_are_refused_and_nothing_changes(session, people, ids):
    provider = session.get(Provider, ids["provider"])
    form = dataclasses.replace(provider_form(provider), reminder_closing_days="20", remind_verification=False)
    with pytest.raises(ProviderInvalid) as raised:
        providers.save_provider(
            session=session, actor_id=people["admin"].id, provider_id=provider.id, form=form, now=NOW
        )
    assert {field: error.code for field, error in raised.value.errors.items()} == {
        "reminder_closing_days": "provider_closing_days_invalid"
    }
    session.refresh(provider)
    assert (provider.reminder_closing_days, provider.remind_verification) == (3, True)
