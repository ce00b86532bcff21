"""The e-mail change entries as «Настройки» and /confirm-email call them: own transaction, fields named.

The rules (the old address told, a taken address refused) are tested in test_auth.py.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from cabinet.errors import DomainError
from cabinet.models import OutgoingEmail, User
from cabinet.services import email_changes
from tests.factories import NOW, make_user


def test_asking_hashes_on_the_password_pool():
    assert email_changes.request_email_change.hashes_passwords


def test_a_change_is_asked_for_and_confirmed_each_in_its_own_transaction(app_database, session):
    user = make_user(session, email="old@example.com", password="abc12")
    session.commit()
    assert (
        email_changes.request_email_change(user_id=user.id, new_email="New@Example.com", password="abc12", now=NOW)
        == "New@example.com"
    )
    with Session(app_database) as check:
        letter = check.exec(select(OutgoingEmail).where(OutgoingEmail.to_address == "New@example.com")).one()
    token = re.search(r"/confirm-email/([A-Za-z0-9_\-]+)", letter.text_body).group(1)
    assert email_changes.confirm_email_change(raw_token=token, now=NOW) == "New@example.com"
    with Session(app_database) as check:
        assert check.get(User, user.id).email == "New@example.com"
    with pytest.raises(DomainError) as used:
        email_changes.confirm_email_change(raw_token=token, now=NOW)
    assert (used.value.code, used.value.field) == ("token_used", "link")


@pytest.mark.parametrize(
    ("new_email", "password", "code", "field"),
    [
        ("nobody", "abc12", "email_invalid", "email"),
        ("OLD@example.com", "abc12", "email_same", "email"),
        ("new@example.com", "wrong1", "password_wrong_current", "current_password"),
    ],
)
def test_a_refused_request_names_its_field(app_database, session, new_email, password, code, field):
    user = make_user(session, email="old@example.com", password="abc12")
    session.commit()
    with pytest.raises(DomainError) as refused:
        email_changes.request_email_change(user_id=user.id, new_email=new_email, password=password, now=NOW)
    assert (refused.value.code, refused.value.field) == (code, field)
