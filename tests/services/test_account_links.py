"""The entries /settings and /accounts/connect call: each owns its transaction and names the field of a refusal."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from cabinet.errors import DomainError
from cabinet.models import AccountLink, AuditEvent, OwnershipCheck, OwnershipFailure
from cabinet.services import account_links
from tests.factories import NOW, make_account, make_provider, make_user


@pytest.fixture
def world(app_database, session):
    """A resident, a stranger and a provider asking for the last bill, committed for the entries to see."""
    resident, stranger = make_user(session, email="anna@example.com"), make_user(session, email="boris@example.com")
    provider = make_provider(session, name="Водоканал", ownership_check=OwnershipCheck.last_bill)
    account = make_account(session, provider, number="3700123456", address="ул. Лесная, 3", last_bill_kopecks=123450)
    session.commit()
    return dict(resident=resident.id, stranger=stranger.id, provider=provider.id, account=account.id)


def _refusal(function, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as raised:
        function(**kwargs)
    return raised.value


def _count(engine, table) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def _connect(world, **changes) -> str:
    values = dict(
        user_id=world["resident"],
        provider_id=world["provider"],
        number="3700 1234 56",
        ownership_answer="1 234,50",
        nickname="Квартира",
        now=NOW,
        client_address="10.0.0.1",
    )
    values.update(changes)
    return account_links.connect_account(**values)


def test_connecting_commits_the_link_and_returns_the_number_as_the_registry_has_it(world, app_database):
    assert account_links.connect_choices(user_id=world["resident"]).first_account
    assert _connect(world) == "3700123456"
    assert _count(app_database, AccountLink) == 1
    choices = account_links.connect_choices(user_id=world["resident"])
    assert not choices.first_account and [card.name for card in choices.providers] == ["Водоканал"]
    [linked] = account_links.linked_accounts(user_id=world["resident"])
    assert (linked.number, linked.provider, linked.address, linked.nickname) == (
        "3700123456",
        "Водоканал",
        "ул. Лесная, 3",
        "Квартира",
    )


def test_a_wrong_ownership_answer_is_refused_on_its_field_and_still_counted(world, app_database):
    refusal = _refusal(_connect, world=world, ownership_answer="1 000,00")
    assert (refusal.code, refusal.field, refusal.params["left"]) == ("ownership_mismatch_last_bill", "ownership", 9)
    # Committed although the entry refused: the day's limit counts it.
    assert _count(app_database, OwnershipFailure) == 1
    assert _count(app_database, AccountLink) == 0
    with Session(app_database) as session:
        assert session.exec(select(AuditEvent.action)).all() == ["account_ownership_failed"]


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"provider_id": 0}, "provider_required", "provider"),
        ({"provider_id": 999_999}, "provider_not_found", "provider"),
        ({"number": "  "}, "account_required", "number"),
        ({"number": "12345"}, "account_format", "number"),
        ({"number": "3700999999"}, "account_not_found", "number"),
        ({"ownership_answer": ""}, "ownership_required_last_bill", "ownership"),
        ({"nickname": "Д" * 41}, "nickname_too_long", "nickname"),
    ],
)
def test_each_refusal_names_its_field(world, changes, code, field):
    refusal = _refusal(_connect, world=world, **changes)
    assert (refusal.code, refusal.field) == (code, field)


def test_an_account_linked_twice_is_refused_on_the_number(world):
    _connect(world)
    refusal = _refusal(_connect, world=world)
    assert (refusal.code, refusal.field) == ("account_already_linked", "number")


def test_rename_and_unlink_return_the_accounts_as_they_are_now(world, app_database):
    _connect(world)
    [renamed] = account_links.save_nickname(
        user_id=world["resident"], account_id=world["account"], nickname=" Дача ", now=NOW
    )
    assert renamed.nickname == "Дача"
    unlinked = account_links.remove_account(user_id=world["resident"], account_id=world["account"], now=NOW)
    assert (unlinked.number, unlinked.linked) == ("3700123456", [])
    assert _count(app_database, AccountLink) == 0


def test_a_strangers_rename_or_unlink_is_not_found_and_changes_nothing(world, app_database):
    _connect(world)
    for entry, extra in ((account_links.save_nickname, {"nickname": "Чужое"}), (account_links.remove_account, {})):
        refusal = _refusal(entry, user_id=world["stranger"], account_id=world["account"], now=NOW, **extra)
        assert refusal.code == "not_found"
    [kept] = account_links.linked_accounts(user_id=world["resident"])
    assert kept.nickname == "Квартира"
    assert (
        _refusal(
            account_links.save_nickname,
            user_id=world["resident"],
            account_id=world["account"],
            nickname="Д" * 41,
            now=NOW,
        ).field
        == "nickname"
    )
