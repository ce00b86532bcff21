"""session_scope, the unit of work the states and routes use: commit, roll back, or keep a refusal."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from cabinet.config import get_settings
from cabinet.db import get_engine, session_scope
from cabinet.errors import DomainError
from cabinet.models import Provider
from tests.factories import make_provider


@pytest.fixture
def database(engine, monkeypatch):
    """Points the app's settings, and so session_scope, at the test's database."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    assert get_engine() is engine
    yield engine
    get_settings.cache_clear()


def _providers(engine) -> list[str]:
    with Session(engine) as session:
        return list(session.exec(select(Provider.name).order_by(Provider.name)))


def test_success_commits(database):
    with session_scope() as session:
        make_provider(session, name="Водоканал")
    assert _providers(database) == ["Водоканал"]


def test_an_error_rolls_back_what_was_written_before_it(database):
    with pytest.raises(DomainError), session_scope() as session:
        make_provider(session, name="Водоканал")
        raise DomainError("not_found")
    assert _providers(database) == []


def test_a_refusal_named_in_commit_on_keeps_what_was_written_before_it(database):
    # A wrong ownership answer is recorded, then linking is refused: the record must stay.
    with pytest.raises(DomainError) as raised, session_scope(commit_on=(DomainError,)) as session:
        make_provider(session, name="Водоканал")
        raise DomainError("ownership_mismatch_pin", left=9)
    assert raised.value.code == "ownership_mismatch_pin"
    assert _providers(database) == ["Водоканал"]


def test_an_error_not_named_in_commit_on_still_rolls_back(database):
    with pytest.raises(RuntimeError), session_scope(commit_on=(DomainError,)) as session:
        make_provider(session, name="Водоканал")
        raise RuntimeError("the database went away")
    assert _providers(database) == []


def test_a_subclass_of_a_named_refusal_is_kept_too(database):
    class Locked(DomainError):
        pass

    with pytest.raises(Locked), session_scope(commit_on=(DomainError,)) as session:
        make_provider(session, name="Газ-Сервис")
        raise Locked("ownership_locked")
    assert _providers(database) == ["Газ-Сервис"]


def test_each_scope_is_its_own_transaction(database):
    with session_scope() as session:
        make_provider(session, name="Водоканал")
    with pytest.raises(ValueError), session_scope() as session:
        make_provider(session, name="Энергосбыт")
        raise ValueError("refused")
    with session_scope() as session:
        assert session.exec(select(func.count()).select_from(Provider)).one() == 1
