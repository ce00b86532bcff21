"""Signed-in browsers: hashed tokens, sliding expiry, sign-out, revocation, blocked users."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from cabinet.models import LoginSession
from cabinet.services.sessions import (
    BROWSER_SESSION_IDLE_LIFETIME,
    REMEMBERED_LIFETIME,
    end_session,
    end_sessions_of,
    resolve_session,
    start_session,
)
from tests.factories import NOW, make_user


def test_token_resolves_to_its_user_and_is_stored_hashed(session):
    user = make_user(session)
    raw = start_session(session=session, user_id=user.id, remember=True, now=NOW)
    assert resolve_session(session=session, raw_token=raw, now=NOW)[0].id == user.id
    assert session.exec(select(LoginSession)).one().token_hash != raw
    assert resolve_session(session=session, raw_token=raw + "x", now=NOW) is None


def test_remembered_session_slides_and_then_expires(session):
    user = make_user(session)
    raw = start_session(session=session, user_id=user.id, remember=True, now=NOW)
    later = NOW + REMEMBERED_LIFETIME - dt.timedelta(hours=1)
    assert resolve_session(session=session, raw_token=raw, now=later) is not None
    # Used a day before it would have expired: good for another 30 days from then.
    assert resolve_session(session=session, raw_token=raw, now=later + REMEMBERED_LIFETIME - dt.timedelta(minutes=1))
    assert resolve_session(session=session, raw_token=raw, now=later + REMEMBERED_LIFETIME * 3) is None


def test_unremembered_session_ends_after_idle_time(session):
    user = make_user(session)
    raw = start_session(session=session, user_id=user.id, remember=False, now=NOW)
    assert resolve_session(session=session, raw_token=raw, now=NOW + BROWSER_SESSION_IDLE_LIFETIME) is None


def test_sign_out_and_revocation(session):
    user = make_user(session)
    this = start_session(session=session, user_id=user.id, remember=True, now=NOW)
    other = start_session(session=session, user_id=user.id, remember=True, now=NOW)
    third = start_session(session=session, user_id=user.id, remember=False, now=NOW)
    end_session(session=session, raw_token=third, now=NOW)
    assert resolve_session(session=session, raw_token=third, now=NOW) is None
    assert end_sessions_of(session=session, user_id=user.id, now=NOW, except_raw_token=this) == 1
    assert resolve_session(session=session, raw_token=this, now=NOW) is not None
    assert resolve_session(session=session, raw_token=other, now=NOW) is None


def test_blocked_user_has_no_session(session):
    user = make_user(session)
    raw = start_session(session=session, user_id=user.id, remember=True, now=NOW)
    user.is_blocked = True
    session.add(user)
    assert resolve_session(session=session, raw_token=raw, now=NOW) is None
