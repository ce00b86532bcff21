"""A service entry owns its transaction: commits on return, rolls back on error, keeps what a refusal must count."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from cabinet.clock import utc_now
from cabinet.errors import DomainError
from cabinet.models import AuditEvent
from cabinet.services.transactions import transactional


def _record(session, action: str) -> None:
    session.add(AuditEvent(action=action, created_at=utc_now()))
    session.flush()


@transactional()
def _writes(*, session, action: str) -> str:
    _record(session, action)
    return action


@transactional()
def _writes_then_refuses(*, session, action: str) -> None:
    _record(session, action)
    raise DomainError("nope", field="email")


@transactional(keep_on=(DomainError,))
def _counts_then_refuses(*, session, action: str) -> None:
    _record(session, action)
    raise DomainError("nope")


@transactional(keep_on=(DomainError,))
def _counts_then_breaks(*, session, action: str) -> None:
    _record(session, action)
    raise RuntimeError("a bug, not a refusal")


def _actions(engine) -> list[str]:
    with Session(engine) as session:
        return sorted(event.action for event in session.exec(select(AuditEvent)))


def test_an_entry_commits_its_own_work(app_database):
    assert _writes(action="kept") == "kept"
    assert _actions(app_database) == ["kept"]


def test_a_refusal_rolls_back_unless_the_entry_keeps_it(app_database):
    with pytest.raises(DomainError) as refused:
        _writes_then_refuses(action="rolled_back")
    assert refused.value.field == "email"
    with pytest.raises(DomainError):
        _counts_then_refuses(action="counted")
    with pytest.raises(RuntimeError):
        _counts_then_breaks(action="broken")
    assert _actions(app_database) == ["counted"]


def test_an_entry_called_with_a_session_joins_that_transaction(app_database):
    with Session(app_database) as session:
        _writes(session=session, action="joined")
        session.rollback()
    assert _actions(app_database) == []
