"""«Задать вопрос»: where the letter goes, what it says, the rules and the hourly limit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from cabinet.errors import DomainError
from cabinet.models import AccountLink, OutgoingEmail
from cabinet.services import questions
from tests.factories import NOW, make_account, make_provider, make_user

MESSAGE = "Не вижу оплату за октябрь, хотя деньги списались."


@pytest.fixture
def resident(session):
    provider = make_provider(session, name="АО «Энергосбыт»", support_email="help@energo.example")
    account = make_account(session, provider, number="5100012345", address="ул. Лесная, д. 3, кв. 5")
    user = make_user(session, email="anna@example.com")
    user.full_name, user.phone = "Анна Смирнова", "+79123456789"
    session.add(AccountLink(user_id=user.id, account_id=account.id))
    session.flush()
    return user, account


def _ask(session, **changes):
    values = dict(user_id=None, contact_email="", topic="payment", message=MESSAGE, account_id=None, now=NOW)
    values.update(changes)
    return questions.ask_question(session=session, **values)


def _letters(session) -> dict[str, OutgoingEmail]:
    return {letter.to_address: letter for letter in session.exec(select(OutgoingEmail))}


def test_a_question_about_an_account_goes_to_its_provider_with_everything_filled_in(session, resident):
    user, account = resident
    assert _ask(session, user_id=user.id, account_id=account.id) == "help@energo.example"
    letters = _letters(session)
    body = letters["help@energo.example"].text_body
    for part in ("Оплата", "Анна Смирнова", "anna@example.com", "+79123456789", "5100012345", "ул. Лесная", MESSAGE):
        assert part in body
    assert MESSAGE in letters["anna@example.com"].text_body  # the copy to the resident


def test_without_an_account_it_goes_to_the_cabinets_support(session, resident):
    user, _account = resident
    assert _ask(session, user_id=user.id) == "support@смородина.онлайн"


def test_a_visitor_needs_a_valid_address(session):
    with pytest.raises(DomainError, match="email_invalid"):
        _ask(session, contact_email="not an address")
    assert _ask(session, contact_email="Guest@Example.com") == "support@смородина.онлайн"
    assert "Guest@example.com" in _letters(session)


def test_another_residents_account_is_not_found(session, resident):
    _user, account = resident
    stranger = make_user(session)
    with pytest.raises(DomainError, match="not_found"):
        _ask(session, user_id=stranger.id, account_id=account.id)


@pytest.mark.parametrize(("length", "code"), [(9, "question_short"), (10, None), (2000, None), (2001, "question_long")])
def test_message_length_bounds(session, length, code):
    ask = lambda: _ask(session, contact_email="guest@example.com", message="я" * length)  # noqa: E731
    if code:
        with pytest.raises(DomainError, match=code):
            ask()
    else:
        ask()


def test_unknown_topic_is_refused(session):
    with pytest.raises(DomainError, match="question_topic"):
        _ask(session, contact_email="guest@example.com", topic="spam")


def test_five_questions_an_hour(session, resident):
    user, _account = resident
    for minute in range(5):
        _ask(session, user_id=user.id, now=NOW + dt.timedelta(minutes=minute))
    with pytest.raises(DomainError, match="question_too_many"):
        _ask(session, user_id=user.id, now=NOW + dt.timedelta(minutes=10))
    _ask(session, user_id=user.id, now=NOW + dt.timedelta(minutes=61))


def test_html_in_the_message_is_escaped(session):
    _ask(session, contact_email="guest@example.com", message="<script>alert('x')</script> помогите")
    html_body = _letters(session)["support@смородина.онлайн"].html_body
    assert "<script>" not in html_body and "&lt;script&gt;" in html_body


def test_a_provider_without_a_support_address_falls_back_to_the_cabinets(session):
    account = make_account(session, make_provider(session, support_email=""))
    user = make_user(session)
    session.add(AccountLink(user_id=user.id, account_id=account.id))
    session.flush()
    assert _ask(session, user_id=user.id, account_id=account.id) == "support@смородина.онлайн"


def test_a_visitor_cannot_name_an_account(session, resident):
    _user, account = resident
    with pytest.raises(DomainError, match="not_found"):
        _ask(session, contact_email="guest@example.com", account_id=account.id)


def test_visitors_are_limited_by_network_address_too(session):
    for index in range(questions.QUESTIONS_PER_CLIENT):
        _ask(session, contact_email=f"guest{index}@example.com", client_address="203.0.113.7")
    with pytest.raises(DomainError, match="question_too_many"):
        _ask(session, contact_email="guest9@example.com", client_address="203.0.113.7")
    _ask(session, contact_email="guest9@example.com", client_address="203.0.113.8")


def test_line_breaks_survive_in_the_html_letter(session):
    _ask(session, contact_email="guest@example.com", message="Первая строка\nВторая строка")
    assert "white-space:pre-wrap" in _letters(session)["support@смородина.онлайн"].html_body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"topic": "spam"}, "topic"),
        ({"message": "Коротко"}, "message"),
        ({"contact_email": "not an address"}, "email"),
        ({"account_id": 999_999}, "account"),
    ],
)
def test_each_refusal_names_the_dialogs_field(session, changes, field):
    with pytest.raises(DomainError) as refused:
        _ask(session, **{"contact_email": "guest@example.com", **changes})
    assert refused.value.field == field


def test_the_entries_commit_the_question_and_list_the_residents_accounts(app_database, session, resident):
    user, account = resident
    session.commit()
    [target] = questions.question_targets(user_id=user.id)
    assert (target.account_id, target.label) == (account.id, "АО «Энергосбыт» · 5100012345")
    assert (
        questions.ask_question(
            user_id=user.id, contact_email="", topic="payment", message=MESSAGE, account_id=account.id, now=NOW
        )
        == "help@energo.example"
    )
    session.expire_all()
    assert set(_letters(session)) == {"help@energo.example", "anna@example.com"}
