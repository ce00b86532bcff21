"""Signed-in browsers: hashed tokens, sliding expiry, sign-out, revocation, blocked users."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from cabinet.models import LoginSession, StaffMembership, StaffRole, UserRole
from cabinet.services.sessions import (
    BROWSER_SESSION_IDLE_LIFETIME,
    REMEMBERED_LIFETIME,
    TOUCH_INTERVAL,
    SignedIn,
    end_session,
    end_sessions_of,
    identify,
    resolve_session,
    signed_in,
    start_session,
    touch_due,
    touch_session,
)
from tests.factories import NOW, make_provider, make_user


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


def test_unremembered_session_lives_while_used_and_ends_after_12_hours_idle(session):
    """A browser session (no «Запомнить меня») slides by the idle limit, not by 30 days."""
    assert dt.timedelta(hours=12) == BROWSER_SESSION_IDLE_LIFETIME
    user = make_user(session)
    raw = start_session(session=session, user_id=user.id, remember=False, now=NOW)
    second = dt.timedelta(seconds=1)
    # Used every 11 hours for two days: never idle for 12, so it stays signed in.
    used = NOW
    for _ in range(4):
        used += dt.timedelta(hours=11)
        resolved = resolve_session(session=session, raw_token=raw, now=used)
        assert resolved is not None and resolved[0].id == user.id
    assert session.exec(select(LoginSession)).one().expires_at == used + BROWSER_SESSION_IDLE_LIFETIME
    # Then left alone: good a second before 12 idle hours...
    assert resolve_session(session=session, raw_token=raw, now=used + BROWSER_SESSION_IDLE_LIFETIME - second)
    last_use = used + BROWSER_SESSION_IDLE_LIFETIME - second
    # ...and gone 12 idle hours after that last use, though far short of 30 days from sign-in.
    assert resolve_session(session=session, raw_token=raw, now=last_use + BROWSER_SESSION_IDLE_LIFETIME) is None
    assert last_use + BROWSER_SESSION_IDLE_LIFETIME < NOW + REMEMBERED_LIFETIME
    # An expired session does not come back by being asked again later.
    assert (
        resolve_session(session=session, raw_token=raw, now=last_use + BROWSER_SESSION_IDLE_LIFETIME + second) is None
    )


def test_remembered_session_survives_the_idle_time_that_ends_a_browser_session(session):
    user = make_user(session)
    remembered = start_session(session=session, user_id=user.id, remember=True, now=NOW)
    browser = start_session(session=session, user_id=user.id, remember=False, now=NOW)
    idle = NOW + BROWSER_SESSION_IDLE_LIFETIME + dt.timedelta(minutes=1)
    assert resolve_session(session=session, raw_token=browser, now=idle) is None
    assert resolve_session(session=session, raw_token=remembered, now=idle) is not None


def test_views_within_a_minute_do_not_move_the_expiry(session):
    """Reads stay reads: last_seen is written at most once a minute."""
    user = make_user(session)
    raw = start_session(session=session, user_id=user.id, remember=False, now=NOW)
    assert resolve_session(session=session, raw_token=raw, now=NOW + TOUCH_INTERVAL - dt.timedelta(seconds=1))
    login = session.exec(select(LoginSession)).one()
    assert (login.last_seen_at, login.expires_at) == (NOW, NOW + BROWSER_SESSION_IDLE_LIFETIME)
    assert resolve_session(session=session, raw_token=raw, now=NOW + TOUCH_INTERVAL)
    assert login.expires_at == NOW + TOUCH_INTERVAL + BROWSER_SESSION_IDLE_LIFETIME


def test_a_read_only_check_leaves_the_slide_to_touch_session(session):
    """The pages' check (signed_in) reads only; touch_session slides the expiry apart, off the event loop."""
    user = make_user(session)
    raw = start_session(session=session, user_id=user.id, remember=False, now=NOW)
    later = NOW + TOUCH_INTERVAL
    assert signed_in(session=session, raw_token=raw, now=later) is not None
    login = session.exec(select(LoginSession)).one()
    assert (login.last_seen_at, login.expires_at) == (NOW, NOW + BROWSER_SESSION_IDLE_LIFETIME)
    assert touch_due(login, later) and not touch_due(login, later - dt.timedelta(seconds=1))
    touch_session(session=session, raw_token=raw, now=later)
    assert (login.last_seen_at, login.expires_at) == (later, later + BROWSER_SESSION_IDLE_LIFETIME)
    assert not touch_due(login, later)


def test_touch_session_never_revives_an_ended_or_expired_session(session):
    user = make_user(session)
    ended = start_session(session=session, user_id=user.id, remember=True, now=NOW)
    end_session(session=session, raw_token=ended, now=NOW)
    expired = start_session(session=session, user_id=user.id, remember=False, now=NOW)
    too_late = NOW + BROWSER_SESSION_IDLE_LIFETIME
    touch_session(session=session, raw_token=ended, now=NOW + TOUCH_INTERVAL)
    touch_session(session=session, raw_token=expired, now=too_late)
    touch_session(session=session, raw_token="not-a-token", now=too_late)
    assert resolve_session(session=session, raw_token=ended, now=NOW + TOUCH_INTERVAL) is None
    assert resolve_session(session=session, raw_token=expired, now=too_late) is None
    expiries = sorted(login.expires_at for login in session.exec(select(LoginSession)))
    assert expiries == sorted([NOW + BROWSER_SESSION_IDLE_LIFETIME, NOW + REMEMBERED_LIFETIME])


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


def test_the_pages_check_follows_the_same_rules_as_resolve_session(session):
    """signed_in (the check every event runs) and resolve_session agree on every kind of token."""
    resident = make_user(session)
    resident.full_name = "Иванова Анна"
    admin = make_user(session, role=UserRole.admin)
    blocked = make_user(session)
    session.add(resident)
    remembered = start_session(session=session, user_id=resident.id, remember=True, now=NOW)
    browser = start_session(session=session, user_id=admin.id, remember=False, now=NOW)
    ended = start_session(session=session, user_id=resident.id, remember=True, now=NOW)
    end_session(session=session, raw_token=ended, now=NOW)
    of_blocked = start_session(session=session, user_id=blocked.id, remember=True, now=NOW)
    blocked.is_blocked = True
    session.add(blocked)
    session.flush()
    later = NOW + dt.timedelta(hours=1)

    who = signed_in(session=session, raw_token=remembered, now=later)
    assert who == SignedIn(resident.id, resident.email, "Иванова Анна", UserRole.resident, True, NOW)
    assert signed_in(session=session, raw_token=browser, now=later).role == UserRole.admin
    for token, moment in [
        (ended, later),
        (of_blocked, later),
        ("unknown", later),
        ("x" * 201, later),
        ("", later),
        (browser, NOW + BROWSER_SESSION_IDLE_LIFETIME),
        (remembered, NOW + REMEMBERED_LIFETIME),
    ]:
        assert signed_in(session=session, raw_token=token, now=moment) is None
        assert resolve_session(session=session, raw_token=token, now=moment) is None
    # Reading only: the check never slides the expiry; touch_session does, when touch_due says so.
    login = session.exec(select(LoginSession).where(LoginSession.user_id == resident.id)).first()
    assert login.last_seen_at == NOW and touch_due(who, later)


def test_identify_is_what_every_event_asks(session):
    """A live session answers with who it is; a browser session whose browser closed ends there and then;
    the expiry slides at most once a minute, in the same transaction."""
    user = make_user(session, role=UserRole.admin)
    remembered = start_session(session=session, user_id=user.id, remember=True, now=NOW)
    browser_only = start_session(session=session, user_id=user.id, remember=False, now=NOW)
    who = identify(session=session, raw_token=remembered, browser_alive=False, now=NOW)
    assert (who.user_id, who.is_staff, who.is_platform_admin) == (user.id, True, True)
    assert identify(session=session, raw_token=browser_only, browser_alive=True, now=NOW) is not None
    assert identify(session=session, raw_token=browser_only, browser_alive=False, now=NOW) is None
    assert signed_in(session=session, raw_token=browser_only, now=NOW) is None  # ended, not just hidden
    later = NOW + TOUCH_INTERVAL
    identify(session=session, raw_token=remembered, browser_alive=False, now=later)
    assert signed_in(session=session, raw_token=remembered, now=later).last_seen_at == later
    assert identify(session=session, raw_token="not-a-token", browser_alive=True, now=NOW) is None


def test_a_provider_viewer_is_staff_but_not_a_platform_administrator(session):
    viewer, resident = make_user(session), make_user(session)
    session.add(StaffMembership(user_id=viewer.id, provider_id=make_provider(session).id, role=StaffRole.viewer))
    session.flush()
    tokens = [start_session(session=session, user_id=user.id, remember=True, now=NOW) for user in (viewer, resident)]
    found = [signed_in(session=session, raw_token=token, now=NOW) for token in tokens]
    assert [(who.is_staff, who.is_platform_admin) for who in found] == [(True, False), (False, False)]
