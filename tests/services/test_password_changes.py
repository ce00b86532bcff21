"""The password entries as /forgot, /reset and «Настройки» call them: own transaction, fields named, hashing marked.

The rules (single-use links, sessions ended, letters) are tested in test_auth.py with the rest of the way in.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from cabinet.errors import DomainError
from cabinet.models import OutgoingEmail, User
from cabinet.services import password_changes, sessions
from cabinet.services.passwords import verify_password
from tests.factories import NOW, make_user


def _reset_link(engine) -> str:
    with Session(engine) as session:
        letter = session.exec(select(OutgoingEmail).order_by(OutgoingEmail.id)).all()[-1]
    return re.search(r"/reset/([A-Za-z0-9_\-]+)", letter.text_body).group(1)


def _password_of(engine, user_id: int, password: str) -> bool:
    with Session(engine) as session:
        return verify_password(password, session.get(User, user_id).password_hash)


def test_the_entries_that_check_passwords_run_on_the_hashing_pool():
    assert password_changes.reset_password.hashes_passwords and password_changes.change_password.hashes_passwords
    assert not getattr(password_changes.check_reset_link, "hashes_passwords", False)


def test_a_reset_commits_and_a_typo_neither_burns_the_link_nor_changes_anything(app_database, session):
    user = make_user(session, email="user@example.com", password="old12")
    session.commit()
    password_changes.request_password_reset(email="user@example.com", now=NOW)
    token = _reset_link(app_database)
    password_changes.check_reset_link(raw_token=token, now=NOW)
    with pytest.raises(DomainError) as mismatch:
        password_changes.reset_password(raw_token=token, password="new12", password_repeat="new13", now=NOW)
    assert (mismatch.value.code, mismatch.value.field) == ("password_mismatch", "password_repeat")
    password_changes.reset_password(raw_token=token, password="new12", password_repeat="new12", now=NOW)
    assert _password_of(app_database, user.id, "new12")
    with pytest.raises(DomainError) as used:
        password_changes.check_reset_link(raw_token=token, now=NOW)
    assert (used.value.code, used.value.field) == ("token_used", "link")


@pytest.mark.parametrize(
    ("current", "new", "repeat", "code", "field"),
    [
        ("wrong1", "new12", "new12", "password_wrong_current", "current_password"),
        ("old12", "пароль", "пароль", "password_latin_and_digits", "password"),
        ("old12", "old12", "old12", "password_same", "password"),
        ("old12", "new12", "new13", "password_mismatch", "password_repeat"),
    ],
)
def test_a_refused_change_names_its_field_and_keeps_the_old_password(
    app_database, session, current, new, repeat, code, field
):
    user = make_user(session, email="user@example.com", password="old12")
    token = sessions.start_session(session=session, user_id=user.id, remember=True, now=NOW)
    session.commit()
    with pytest.raises(DomainError) as refused:
        password_changes.change_password(
            user_id=user.id,
            current_password=current,
            new_password=new,
            new_password_repeat=repeat,
            now=NOW,
            current_session_token=token,
        )
    assert (refused.value.code, refused.value.field) == (code, field)
    assert _password_of(app_database, user.id, "old12")


def test_a_change_commits(app_database, session):
    user = make_user(session, email="user@example.com", password="old12")
    token = sessions.start_session(session=session, user_id=user.id, remember=True, now=NOW)
    session.commit()
    password_changes.change_password(
        user_id=user.id,
        current_password="old12",
        new_password="new12",
        new_password_repeat="new12",
        now=NOW,
        current_session_token=token,
    )
    assert _password_of(app_database, user.id, "new12")
