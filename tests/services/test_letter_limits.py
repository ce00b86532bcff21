"""Letters the public can make us send: one limit per address and per client, shared by every kind."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import func, select

from cabinet.errors import DomainError
from cabinet.models import AuditEvent, OutgoingEmail
from cabinet.services import auth, email_changes, letter_limits, password_changes, questions, signups
from cabinet.services.letter_limits import PER_ADDRESS_PER_HOUR, PER_CLIENT_PER_HOUR, RecentLetters, over_limit
from tests.factories import NOW, make_user

MINUTE = dt.timedelta(minutes=1)
VICTIM = "victim@example.com"
MESSAGE = "Не вижу оплату за октябрь, хотя деньги списались."


def _letters_to(session, address: str) -> int:
    query = select(func.count()).select_from(OutgoingEmail).where(func.lower(OutgoingEmail.to_address) == address)
    return int(session.exec(query).one())


def _limited(session) -> list[dict]:
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "letter_limited").order_by(AuditEvent.id))
    return [{**json.loads(event.details), "client": event.client_address} for event in events]


def _register(session, *, email=VICTIM, password="abc12", now=NOW, client="10.0.0.1"):
    return signups.register(
        session=session,
        email=email,
        password=password,
        password_repeat=password,
        consent=True,
        now=now,
        client_address=client,
    )


def _reset(session, *, email=VICTIM, now=NOW, client="10.0.0.1"):
    return password_changes.request_password_reset(session=session, email=email, now=now, client_address=client)


# Each public letter: how to ask for it once more (from a new client each time, so only the
# per-address limit can stop it), after what it needs is set up.
def _sign_up_pending(session):
    return lambda index, now: _register(session, password=f"pass{index}", now=now, client=f"10.0.1.{index}")


def _sign_up_taken(session):
    make_user(session, email=VICTIM)
    return lambda index, now: _register(session, now=now, client=f"10.0.1.{index}")


def _resend(session):
    make_user(session, email=VICTIM, confirmed=False)
    return lambda index, now: signups.resend_confirmation(
        session=session, email=VICTIM, now=now, client_address=f"10.0.1.{index}"
    )


def _forgot(session):
    make_user(session, email=VICTIM)
    return lambda index, now: _reset(session, now=now, client=f"10.0.1.{index}")


def _email_change(session):
    owner = make_user(session, email="owner@example.com", password="abc12")
    return lambda index, now: email_changes.request_email_change(
        session=session,
        user_id=owner.id,
        new_email=VICTIM.upper(),
        password="abc12",
        now=now,
        client_address=f"10.0.1.{index}",
    )


@pytest.mark.parametrize("asking", [_sign_up_pending, _sign_up_taken, _resend, _forgot, _email_change])
def test_the_sixth_letter_an_hour_to_one_address_sends_nothing_and_answers_the_same(session, asking):
    ask = asking(session)
    answers = [ask(index, NOW + index * MINUTE) for index in range(PER_ADDRESS_PER_HOUR)]
    assert _letters_to(session, VICTIM) == PER_ADDRESS_PER_HOUR
    assert ask(PER_ADDRESS_PER_HOUR, NOW + 30 * MINUTE) == answers[-1]
    assert _letters_to(session, VICTIM) == PER_ADDRESS_PER_HOUR
    [limited] = _limited(session)
    assert (limited["to"], limited["limit"]) == (VICTIM, "address")


def test_the_question_form_mails_support_but_not_a_copy_to_an_address_over_its_limit(session):
    make_user(session, email=VICTIM)
    for index in range(PER_ADDRESS_PER_HOUR):
        _reset(session, now=NOW + index * MINUTE, client=f"10.0.1.{index}")
    answer = questions.ask_question(
        session=session,
        user_id=None,
        contact_email=VICTIM,
        topic="other",
        message=MESSAGE,
        account_id=None,
        now=NOW + 10 * MINUTE,
        client_address="10.0.2.1",
    )
    assert answer == "support@смородина.онлайн"  # the visitor is told it went, and it did
    assert _letters_to(session, "support@смородина.онлайн") == 1
    assert _letters_to(session, VICTIM) == PER_ADDRESS_PER_HOUR  # but no copy to the address
    assert [entry["kind"] for entry in _limited(session)] == ["support_question_copy"]


def test_every_kind_shares_one_budget_per_address(session):
    make_user(session, email=VICTIM)
    for index in range(3):
        _reset(session, email=VICTIM.upper(), now=NOW + index * MINUTE)
    for index in range(3, PER_ADDRESS_PER_HOUR):
        _register(session, now=NOW + index * MINUTE)  # the warning to the owner
    _reset(session, now=NOW + 10 * MINUTE)
    _register(session, now=NOW + 11 * MINUTE)
    assert _letters_to(session, VICTIM) == PER_ADDRESS_PER_HOUR
    assert [entry["kind"] for entry in _limited(session)] == ["reset_password", "already_registered"]


def test_one_client_is_limited_across_different_addresses(session):
    for index in range(PER_CLIENT_PER_HOUR):
        assert (
            _register(session, email=f"person{index}@example.com", client="203.0.113.7") == f"person{index}@example.com"
        )
    assert _register(session, email="one-more@example.com", client="203.0.113.7") == "one-more@example.com"
    assert _letters_to(session, "one-more@example.com") == 0
    assert _limited(session) == [
        {"kind": "confirm_email", "limit": "client", "to": "one-more@example.com", "client": "203.0.113.7"}
    ]
    # Another client is not held back by this one, and the held-back address can still get its letter.
    signups.resend_confirmation(session=session, email="one-more@example.com", now=NOW, client_address="198.51.100.1")
    assert _letters_to(session, "one-more@example.com") == 1


def test_the_limit_lifts_as_the_hour_passes(session):
    make_user(session, email=VICTIM)
    for index in range(PER_ADDRESS_PER_HOUR):
        _reset(session, now=NOW + index * MINUTE)
    _reset(session, now=NOW + 59 * MINUTE)
    assert _letters_to(session, VICTIM) == PER_ADDRESS_PER_HOUR
    # The first letter is now an hour old: one more fits, and only one.
    _reset(session, now=NOW + 60 * MINUTE + dt.timedelta(seconds=1))
    _reset(session, now=NOW + 60 * MINUTE + dt.timedelta(seconds=2))
    assert _letters_to(session, VICTIM) == PER_ADDRESS_PER_HOUR + 1


def _sign_in_code(session, password: str) -> str:
    with pytest.raises(DomainError) as raised:
        auth.sign_in(session=session, email=VICTIM, password=password, remember=False, now=NOW + 30 * MINUTE)
    return raised.value.code


def test_a_limited_sign_up_leaves_no_link_and_no_password(session):
    for index in range(PER_ADDRESS_PER_HOUR + 1):
        _register(session, password=f"pass{index}", now=NOW + index * MINUTE)
    # Five links went out; the sixth sign-up's letter did not, so its password counts for nothing:
    # before confirmation, the newest sign-up that was mailed is the one told «not confirmed».
    assert _sign_in_code(session, f"pass{PER_ADDRESS_PER_HOUR}") == "sign_in_failed"
    assert _sign_in_code(session, f"pass{PER_ADDRESS_PER_HOUR - 1}") == "email_not_confirmed"


def test_questions_from_one_client_are_limited_whoever_asks(session):
    residents = [make_user(session) for _ in range(PER_CLIENT_PER_HOUR // PER_ADDRESS_PER_HOUR + 1)]
    asked = 0
    for resident in residents[:-1]:
        for _ in range(PER_ADDRESS_PER_HOUR):
            questions.ask_question(
                session=session,
                user_id=resident.id,
                contact_email="",
                topic="other",
                message=MESSAGE,
                account_id=None,
                now=NOW + asked * MINUTE,
                client_address="203.0.113.9",
            )
            asked += 1
    assert asked == PER_CLIENT_PER_HOUR
    with pytest.raises(DomainError, match="question_too_many"):
        questions.ask_question(
            session=session,
            user_id=residents[-1].id,
            contact_email="",
            topic="other",
            message=MESSAGE,
            account_id=None,
            now=NOW + 30 * MINUTE,
            client_address="203.0.113.9",
        )


@pytest.mark.parametrize(
    ("to_address", "from_client", "broken"),
    [
        (0, 0, None),
        (PER_ADDRESS_PER_HOUR - 1, PER_CLIENT_PER_HOUR - 1, None),
        (PER_ADDRESS_PER_HOUR, 0, "address"),
        (0, PER_CLIENT_PER_HOUR, "client"),
        (PER_ADDRESS_PER_HOUR, PER_CLIENT_PER_HOUR, "address"),
    ],
)
def test_over_limit_edges(to_address, from_client, broken):
    assert over_limit(RecentLetters(to_address=to_address, from_client=from_client)) == broken


def test_without_a_client_address_only_the_address_is_counted(session):
    for index in range(PER_CLIENT_PER_HOUR + 1):
        assert letter_limits.take_letter(
            session=session, kind="reset_password", recipient=f"p{index}@example.com", client_address="", now=NOW
        )
