"""Password guessing is slowed: 5 failures per address or 20 per client in 15 minutes."""

from __future__ import annotations

import datetime as dt

from cabinet.services.throttle import WINDOW, record_attempt, sign_in_locked_until
from tests.factories import NOW

MINUTE = dt.timedelta(minutes=1)


def _fail(session, *, email="a@example.com", client="10.0.0.1", at=NOW):
    record_attempt(session=session, email_canonical=email, client_address=client, succeeded=False, now=at)


def _locked(session, *, email="a@example.com", client="10.0.0.1", at=NOW):
    return sign_in_locked_until(session=session, email_canonical=email, client_address=client, now=at)


def test_fifth_failure_for_an_address_locks_it_until_the_window_passes(session):
    for minute in range(4):
        _fail(session, at=NOW + minute * MINUTE)
    assert _locked(session, at=NOW + 4 * MINUTE) is None
    _fail(session, at=NOW + 4 * MINUTE)
    until = _locked(session, at=NOW + 5 * MINUTE)
    assert until == NOW + WINDOW
    # Another address from another client is not affected.
    assert _locked(session, email="b@example.com", client="10.0.0.2", at=NOW + 5 * MINUTE) is None
    # Released once the first failure leaves the window.
    assert _locked(session, at=NOW + WINDOW + dt.timedelta(seconds=1)) is None


def test_success_resets_the_address_counter(session):
    for minute in range(4):
        _fail(session, at=NOW + minute * MINUTE)
    record_attempt(
        session=session,
        email_canonical="a@example.com",
        client_address="10.0.0.1",
        succeeded=True,
        now=NOW + 4 * MINUTE,
    )
    _fail(session, at=NOW + 5 * MINUTE)
    assert _locked(session, at=NOW + 6 * MINUTE) is None


def test_twenty_failures_from_one_client_lock_every_address_from_it(session):
    for number in range(20):
        _fail(session, email=f"user{number}@example.com", at=NOW + number * dt.timedelta(seconds=10))
    assert _locked(session, email="fresh@example.com", at=NOW + 4 * MINUTE) is not None
    assert _locked(session, email="fresh@example.com", client="10.0.0.9", at=NOW + 4 * MINUTE) is None


def test_old_failures_do_not_count(session):
    for minute in range(5):
        _fail(session, at=NOW - WINDOW - minute * MINUTE)
    assert _locked(session) is None
