"""The one State→service helper: runs the entry off the event loop and turns refusals into field text."""

from __future__ import annotations

import asyncio
import threading

from cabinet import texts
from cabinet.errors import DomainError
from cabinet.services.passwords import hashes_passwords
from cabinet.state.calls import call


def _thread_name(**_kwargs) -> str:
    return threading.current_thread().name


@hashes_passwords
def _hashing_thread_name() -> str:
    return threading.current_thread().name


def _refuses(*, longest: int) -> None:
    raise DomainError("field_too_long", field="nickname", max=longest)


def _breaks() -> None:
    raise KeyError("a bug")


def test_a_value_comes_back_from_a_worker_thread_not_the_loop():
    outcome = asyncio.run(call(_thread_name, unused=1))
    assert outcome.ok and outcome.errors == {} and outcome.message == ""
    assert outcome.value != threading.current_thread().name


def test_password_work_runs_on_the_hashing_pool():
    assert asyncio.run(call(_hashing_thread_name)).value.startswith("password-hashing")


def test_a_refusal_becomes_the_russian_message_for_its_field():
    outcome = asyncio.run(call(_refuses, longest=40))
    assert not outcome.ok and outcome.value is None
    assert outcome.field == "nickname"
    assert outcome.errors == {"nickname": "Не длиннее 40 символов."}


def test_a_bug_is_logged_and_shown_as_the_generic_message_on_the_form(caplog):
    outcome = asyncio.run(call(_breaks))
    assert outcome.errors == {"form": texts.ERRORS["unexpected"]}
    assert "_breaks failed" in caplog.text and "KeyError" in caplog.text
