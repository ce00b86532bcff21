"""The tab's session: a page's load may take its on_load's check of a moment before, and nothing unchanged is sent."""

from __future__ import annotations

import time

import pytest

from cabinet.state.session import PAGE_CHECK_REUSE_SECONDS, SessionState


def _checked(*, token: str = "token-1", seconds_ago: float = 0.0, checked_token: str | None = None) -> SessionState:
    state = SessionState(_reflex_internal_init=True)
    state.session_token, state.user_id = token, 7
    state._checked_at = time.time() - seconds_ago
    state._checked_token = token if checked_token is None else checked_token
    return state


def test_a_check_a_moment_ago_for_the_same_token_answers_for_the_pages_load():
    assert _checked(seconds_ago=0.5)._checked_just_now()


@pytest.mark.parametrize(
    "state",
    [
        pytest.param(_checked(seconds_ago=PAGE_CHECK_REUSE_SECONDS + 0.1), id="too-old"),
        pytest.param(_checked(seconds_ago=-60), id="from-a-machine-whose-clock-runs-ahead"),
        pytest.param(_checked(checked_token="token-0"), id="another-token-signed-in-since"),
        pytest.param(_checked(token="", checked_token=""), id="signed-out-in-another-tab"),
    ],
)
def test_otherwise_the_database_is_asked_again(state):
    assert not state._checked_just_now()


def test_a_check_that_changes_nothing_marks_nothing_to_send():
    state = SessionState(_reflex_internal_init=True)
    state.user_id, state.user_email = 7, "olga@example.com"
    state.dirty_vars.clear()
    state._assign(user_id=7, user_email="olga@example.com", is_staff=False)
    assert not state.dirty_vars
    state._assign(user_id=7, user_email="olga.petrova@example.com")
    assert state.dirty_vars == {"user_email"}
