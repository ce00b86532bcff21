"""One-time links: stored hashed, single use, expiring, purpose-bound, tamper-proof."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from cabinet.errors import DomainError
from cabinet.models import OneTimeToken, TokenPurpose
from cabinet.services.tokens import consume_token, issue_token
from tests.factories import NOW, make_user


def _code(call) -> str:
    with pytest.raises(DomainError) as raised:
        call()
    return raised.value.code


def test_token_is_stored_only_as_a_digest(session):
    user = make_user(session)
    raw = issue_token(session=session, user_id=user.id, purpose=TokenPurpose.confirm_email, now=NOW)
    stored = session.exec(select(OneTimeToken)).one()
    assert raw not in stored.token_hash and len(stored.token_hash) == 64


def test_token_works_once(session):
    user = make_user(session)
    raw = issue_token(session=session, user_id=user.id, purpose=TokenPurpose.confirm_email, now=NOW)
    assert consume_token(session=session, raw_token=raw, purpose=TokenPurpose.confirm_email, now=NOW).user_id == user.id
    assert (
        _code(lambda: consume_token(session=session, raw_token=raw, purpose=TokenPurpose.confirm_email, now=NOW))
        == "token_used"
    )


def test_token_expires(session):
    user = make_user(session)
    raw = issue_token(session=session, user_id=user.id, purpose=TokenPurpose.reset_password, now=NOW)
    in_time = NOW + dt.timedelta(minutes=59)
    too_late = NOW + dt.timedelta(hours=1)
    assert (
        _code(lambda: consume_token(session=session, raw_token=raw, purpose=TokenPurpose.reset_password, now=too_late))
        == "token_expired"
    )
    assert consume_token(session=session, raw_token=raw, purpose=TokenPurpose.reset_password, now=in_time)


def test_tampered_or_foreign_purpose_token_is_invalid(session):
    user = make_user(session)
    raw = issue_token(session=session, user_id=user.id, purpose=TokenPurpose.reset_password, now=NOW)
    tampered = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert (
        _code(lambda: consume_token(session=session, raw_token=tampered, purpose=TokenPurpose.reset_password, now=NOW))
        == "token_invalid"
    )
    assert (
        _code(lambda: consume_token(session=session, raw_token=raw, purpose=TokenPurpose.confirm_email, now=NOW))
        == "token_invalid"
    )
    assert (
        _code(lambda: consume_token(session=session, raw_token="", purpose=TokenPurpose.reset_password, now=NOW))
        == "token_invalid"
    )


def test_a_new_link_replaces_the_old_one(session):
    user = make_user(session)
    first = issue_token(session=session, user_id=user.id, purpose=TokenPurpose.reset_password, now=NOW)
    second = issue_token(session=session, user_id=user.id, purpose=TokenPurpose.reset_password, now=NOW)
    assert (
        _code(lambda: consume_token(session=session, raw_token=first, purpose=TokenPurpose.reset_password, now=NOW))
        == "token_used"
    )
    assert consume_token(session=session, raw_token=second, purpose=TokenPurpose.reset_password, now=NOW)
