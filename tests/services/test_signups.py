"""The sign-up entries as /register and /confirm call them: own transaction, fields named, hashing marked.

The sign-up rules themselves (pre-hijack, letters, limits) are tested in test_auth.py with the rest of the way in.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from cabinet.errors import DomainError
from cabinet.models import OutgoingEmail, User
from cabinet.services import signups
from tests.factories import NOW


def _register(**changes) -> str:
    values = dict(email="new@example.com", password="abc12", password_repeat="abc12", consent=True, now=NOW)
    values.update(changes)
    return signups.register(**values)


def _link(engine) -> str:
    with Session(engine) as session:
        letter = session.exec(select(OutgoingEmail)).one()
    return re.search(r"/confirm/([A-Za-z0-9_\-]+)", letter.text_body).group(1)


def test_register_hashes_on_the_password_pool():
    assert signups.register.hashes_passwords


def test_sign_up_and_confirmation_commit_their_own_work(app_database):
    assert _register(email="New@Example.com") == "New@example.com"
    confirmed = signups.confirm_signup(raw_token=_link(app_database), now=NOW)
    with Session(app_database) as session:
        user = session.exec(select(User)).one()
        assert user.confirmed_at is not None
    assert confirmed == signups.ConfirmedSignup(user_id=user.id, email="New@example.com")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "nobody"}, "email"),
        ({"password": ""}, "password"),
        ({"password": "abcd"}, "password"),
        ({"password": "пароль12"}, "password"),
        ({"password_repeat": "abc13"}, "password_repeat"),
        ({"consent": False}, "consent"),
    ],
)
def test_a_refused_sign_up_names_its_field_and_keeps_nothing(app_database, changes, field):
    with pytest.raises(DomainError) as refused:
        _register(**changes)
    assert refused.value.field == field
    with Session(app_database) as session:
        assert session.exec(select(User)).all() == []


def test_a_refused_link_says_so_on_the_link_and_names_the_address_only_when_a_new_letter_helps(app_database):
    _register()
    token = _link(app_database)
    with pytest.raises(DomainError) as expired:
        signups.confirm_signup(raw_token=token, now=NOW.replace(year=NOW.year + 1))
    assert (expired.value.field, expired.value.params) == ("link", {"email": "new@example.com"})
    user_id = signups.confirm_signup(raw_token=token, now=NOW).user_id
    with pytest.raises(DomainError) as again:
        signups.confirm_signup(raw_token=token, now=NOW)
    # Only the owner's id, for a tab already signed in as them: the address is not named.
    assert (again.value.code, again.value.field, again.value.params) == (
        "already_confirmed",
        "link",
        {"user_id": user_id},
    )
    with pytest.raises(DomainError) as invalid:
        signups.confirm_signup(raw_token="x" + token, now=NOW)
    assert (invalid.value.code, invalid.value.field) == ("token_invalid", "link")
