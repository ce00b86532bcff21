"""Sign-up, confirmation, sign-in, reset and e-mail change, as a careful bank would do them."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlmodel import Session, select

from cabinet.errors import DomainError
from cabinet.models import AuditEvent, LoginAttempt, LoginSession, OutgoingEmail, User
from cabinet.services import auth, email_changes, password_changes, sessions, signups
from cabinet.services.letter_limits import PER_ADDRESS_PER_HOUR
from cabinet.services.passwords import verify_password
from tests.factories import NOW, make_user

HOUR = dt.timedelta(hours=1)


def _code(call) -> str:
    with pytest.raises(DomainError) as raised:
        call()
    return raised.value.code


def _letters(session, to: str) -> list[OutgoingEmail]:
    return list(session.exec(select(OutgoingEmail).where(OutgoingEmail.to_address == to).order_by(OutgoingEmail.id)))


def _link(letter: OutgoingEmail, path: str) -> str:
    match = re.search(rf"/{path}/([A-Za-z0-9_\-]+)", letter.text_body)
    assert match, letter.text_body
    return match.group(1)


def _register(session, email="new@example.com", password="abc12", repeat=None, consent=True, now=NOW):
    return signups.register(
        session=session,
        email=email,
        password=password,
        password_repeat=password if repeat is None else repeat,
        consent=consent,
        now=now,
        client_address="10.1.1.1",
    )


def _actions(session) -> list[str]:
    return [event.action for event in session.exec(select(AuditEvent).order_by(AuditEvent.id))]


# --- sign-up -------------------------------------------------------------------------------


def test_register_creates_an_unconfirmed_user_and_mails_a_link(session):
    shown = _register(session, email="  Ivan@Смородина.Онлайн ")
    assert shown == "Ivan@смородина.онлайн"
    user = session.exec(select(User)).one()
    assert user.email_canonical == "ivan@смородина.онлайн" and user.confirmed_at is None
    assert verify_password("abc12", user.password_hash)
    [letter] = _letters(session, "Ivan@смородина.онлайн")
    assert "Подтвердите регистрацию" in letter.subject
    assert "/confirm/" in letter.text_body and "/confirm/" in letter.html_body
    assert "24 часа" in letter.text_body
    assert _actions(session) == ["sign_up"]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"email": "nobody"}, "email_invalid"),
        ({"password": "abcd"}, "password_length"),
        ({"password": "abcdefghijk"}, "password_length"),
        ({"password": "пароль12"}, "password_latin_and_digits"),
        ({"password": "abc 12"}, "password_latin_and_digits"),
        ({"repeat": "abc13"}, "password_mismatch"),
        ({"consent": False}, "consent_required"),
    ],
)
def test_register_refuses_with_a_coded_reason(session, kwargs, code):
    assert _code(lambda: _register(session, **kwargs)) == code
    assert session.exec(select(User)).all() == []


def test_registering_a_taken_address_looks_the_same_and_warns_the_owner(session):
    owner = make_user(session, email="taken@example.com", password="orig1")
    shown = _register(session, email="TAKEN@example.com", password="other1")
    assert shown == "TAKEN@example.com"  # the same answer a new address gets
    assert session.exec(select(User)).all() == [owner]
    assert verify_password("orig1", owner.password_hash)
    [letter] = _letters(session, "taken@example.com")
    assert letter.subject == "Попытка повторной регистрации в Личном кабинете"
    told = "Кто-то, возможно вы, попытался зарегистрироваться в Личном кабинете «Кабинет» с этим адресом."
    assert told in letter.text_body and told in letter.html_body
    assert "Кабинет с этим адресом уже есть, новый не создан." in letter.text_body
    assert "Вы уже зарегистрированы" in letter.html_body
    assert re.search(r"Восстановить пароль: \S+/forgot\n", letter.text_body), letter.text_body
    assert "/confirm/" not in letter.text_body  # no new account, so nothing to confirm


def test_registering_again_before_confirming_sends_a_second_link_and_the_first_dies_with_its_confirmation(session):
    _register(session)
    _register(session, password="zzz99")
    first, second = _letters(session, "new@example.com")
    assert signups.confirm_email(session=session, raw_token=_link(second, "confirm"), now=NOW).confirmed_at == NOW
    assert (
        _code(lambda: signups.confirm_email(session=session, raw_token=_link(first, "confirm"), now=NOW))
        == "already_confirmed"
    )


# --- sign-up pre-hijack: someone signs up with another person's address first ------------------------


def _signs_in(session, email: str, password: str, now=NOW) -> bool:
    try:
        _sign_in(session, email=email, password=password, now=now, client="")
    except DomainError as error:
        assert error.code == "sign_in_failed", error.code
        return False
    return True


def test_pre_hijack_the_owner_confirming_the_newest_link_leaves_only_the_owners_password(session):
    _register(session, email="victim@example.com", password="evil1")  # the attacker, first
    _register(session, email="victim@example.com", password="mine1", now=NOW + HOUR / 2)  # the owner
    attackers, owners = _letters(session, "victim@example.com")
    signups.confirm_email(session=session, raw_token=_link(owners, "confirm"), now=NOW + HOUR)
    assert _signs_in(session, "victim@example.com", "mine1", now=NOW + HOUR)
    assert not _signs_in(session, "victim@example.com", "evil1", now=NOW + HOUR)
    # The attacker's older link is dead and changes nothing.
    late = NOW + 2 * HOUR
    assert (
        _code(lambda: signups.confirm_email(session=session, raw_token=_link(attackers, "confirm"), now=late))
        == "already_confirmed"
    )
    assert _signs_in(session, "victim@example.com", "mine1", now=late)
    assert not _signs_in(session, "victim@example.com", "evil1", now=late)


def test_the_older_link_confirmed_keeps_only_its_own_password_and_the_newer_link_dies(session):
    _register(session, email="victim@example.com", password="first1")
    _register(session, email="victim@example.com", password="second1", now=NOW + HOUR / 2)
    older, newer = _letters(session, "victim@example.com")
    signups.confirm_email(session=session, raw_token=_link(older, "confirm"), now=NOW + HOUR)
    assert _signs_in(session, "victim@example.com", "first1", now=NOW + HOUR)
    assert not _signs_in(session, "victim@example.com", "second1", now=NOW + HOUR)
    assert (
        _code(lambda: signups.confirm_email(session=session, raw_token=_link(newer, "confirm"), now=NOW + HOUR))
        == "already_confirmed"
    )
    assert not _signs_in(session, "victim@example.com", "second1", now=NOW + HOUR)


def test_no_sign_up_password_signs_in_before_confirmation(session):
    _register(session, email="victim@example.com", password="evil1")
    _register(session, email="victim@example.com", password="mine1")
    # The newest sign-up is told to confirm; the older one gets the one generic message.
    assert _code(lambda: _sign_in(session, email="victim@example.com", password="mine1")) == "email_not_confirmed"
    assert _code(lambda: _sign_in(session, email="victim@example.com", password="evil1")) == "sign_in_failed"
    assert session.exec(select(LoginSession)).all() == []


def test_resending_after_two_sign_ups_resends_the_newest_one_and_its_confirmation_ends_the_other(session):
    _register(session, email="victim@example.com", password="evil1")
    _register(session, email="victim@example.com", password="mine1")
    signups.resend_confirmation(session=session, email="victim@example.com", now=NOW + HOUR)
    attackers, replaced, resent = _letters(session, "victim@example.com")
    assert (
        _code(lambda: signups.confirm_email(session=session, raw_token=_link(replaced, "confirm"), now=NOW + HOUR))
        == "token_used"
    )
    signups.confirm_email(session=session, raw_token=_link(resent, "confirm"), now=NOW + HOUR)
    assert _signs_in(session, "victim@example.com", "mine1", now=NOW + HOUR)
    assert not _signs_in(session, "victim@example.com", "evil1", now=NOW + HOUR)
    assert (
        _code(lambda: signups.confirm_email(session=session, raw_token=_link(attackers, "confirm"), now=NOW + HOUR))
        == "already_confirmed"
    )


def test_a_password_reset_of_an_unconfirmed_address_ends_every_pending_sign_up(session):
    _register(session, email="victim@example.com", password="evil1")
    password_changes.request_password_reset(session=session, email="victim@example.com", now=NOW)
    attackers, reset = _letters(session, "victim@example.com")
    password_changes.reset_password(
        session=session, raw_token=_link(reset, "reset"), password="mine1", password_repeat="mine1", now=NOW
    )
    assert (
        _code(lambda: signups.confirm_email(session=session, raw_token=_link(attackers, "confirm"), now=NOW))
        == "already_confirmed"
    )
    assert _signs_in(session, "victim@example.com", "mine1")
    assert not _signs_in(session, "victim@example.com", "evil1")


# --- confirmation -----------------------------------------------------------------------------


def test_confirmation_link_works_once_and_expires(session):
    _register(session)
    token = _link(_letters(session, "new@example.com")[0], "confirm")
    assert (
        _code(lambda: signups.confirm_email(session=session, raw_token=token, now=NOW + 24 * HOUR)) == "token_expired"
    )
    user = signups.confirm_email(session=session, raw_token=token, now=NOW + 23 * HOUR)
    assert user.confirmed_at == NOW + 23 * HOUR
    assert (
        _code(lambda: signups.confirm_email(session=session, raw_token=token, now=NOW + 23 * HOUR))
        == "already_confirmed"
    )
    assert _code(lambda: signups.confirm_email(session=session, raw_token=token[:-2], now=NOW)) == "token_invalid"


def test_expired_link_tells_whose_address_gets_a_new_letter(session):
    _register(session)
    token = _link(_letters(session, "new@example.com")[0], "confirm")
    with pytest.raises(DomainError) as raised:
        signups.confirm_email(session=session, raw_token=token, now=NOW + 25 * HOUR)
    assert raised.value.params["email"] == "new@example.com"
    signups.resend_confirmation(session=session, email="new@example.com", now=NOW + 25 * HOUR)
    assert len(_letters(session, "new@example.com")) == 2


def test_resend_is_silent_for_strangers_and_limited_per_hour(session):
    signups.resend_confirmation(session=session, email="stranger@example.com", now=NOW)
    assert session.exec(select(OutgoingEmail)).all() == []
    _register(session)
    for minute in range(10):
        signups.resend_confirmation(session=session, email="new@example.com", now=NOW + dt.timedelta(minutes=minute))
    assert len(_letters(session, "new@example.com")) == PER_ADDRESS_PER_HOUR


def test_resend_mails_a_fresh_link_that_replaces_the_previous_one(session):
    """What «Отправить ещё раз» on «Письмо отправлено» and on the sign-in page does."""
    _register(session)
    signups.resend_confirmation(session=session, email="  NEW@Example.com ", now=NOW + HOUR)
    first, second = _letters(session, "new@example.com")
    assert second.subject == first.subject and "/confirm/" in second.html_body
    assert (
        _code(lambda: signups.confirm_email(session=session, raw_token=_link(first, "confirm"), now=NOW + HOUR))
        == "token_used"
    )
    # The new link is valid for its own 24 hours, counted from the resend.
    user = signups.confirm_email(session=session, raw_token=_link(second, "confirm"), now=NOW + 24 * HOUR)
    assert user.confirmed_at == NOW + 24 * HOUR


def test_resend_sends_nothing_to_confirmed_blocked_or_malformed_addresses(session):
    make_user(session, email="done@example.com")
    make_user(session, email="blocked@example.com", confirmed=False, blocked=True)
    for address in ("done@example.com", "blocked@example.com", "not an address", ""):
        signups.resend_confirmation(session=session, email=address, now=NOW)
    assert session.exec(select(OutgoingEmail)).all() == []


def test_resend_limit_is_per_hour_and_lifts_as_the_hour_passes(session):
    _register(session)  # the sign-up letter counts towards the hour
    for minute in range(1, PER_ADDRESS_PER_HOUR + 3):
        signups.resend_confirmation(session=session, email="new@example.com", now=NOW + dt.timedelta(minutes=minute))
    assert len(_letters(session, "new@example.com")) == PER_ADDRESS_PER_HOUR
    # Still inside the hour of the sign-up letter: nothing.
    signups.resend_confirmation(session=session, email="new@example.com", now=NOW + dt.timedelta(minutes=59))
    assert len(_letters(session, "new@example.com")) == PER_ADDRESS_PER_HOUR
    # Once the sign-up letter is an hour old, one more fits.
    signups.resend_confirmation(session=session, email="new@example.com", now=NOW + HOUR + dt.timedelta(seconds=1))
    letters = _letters(session, "new@example.com")
    assert len(letters) == PER_ADDRESS_PER_HOUR + 1
    # and its link is the one that works.
    assert signups.confirm_email(session=session, raw_token=_link(letters[-1], "confirm"), now=NOW + 2 * HOUR)


# --- sign-in ------------------------------------------------------------------------------------


def _sign_in(session, email="user@example.com", password="abc12", now=NOW, client="10.0.0.1"):
    return auth.sign_in(session=session, email=email, password=password, remember=True, now=now, client_address=client)


def test_sign_in_gives_a_session_token(session):
    user = make_user(session, email="user@example.com", password="abc12")
    token = _sign_in(session, email="USER@example.com")
    assert sessions.resolve_session(session=session, raw_token=token, now=NOW)[0].id == user.id
    assert "sign_in" in _actions(session)


def test_wrong_address_and_wrong_password_get_one_message(session):
    make_user(session, email="user@example.com", password="abc12")
    assert _code(lambda: _sign_in(session, password="wrong1")) == "sign_in_failed"
    assert _code(lambda: _sign_in(session, email="nobody@example.com")) == "sign_in_failed"


def test_unconfirmed_and_blocked_are_told_only_with_the_right_password(session):
    make_user(session, email="new@example.com", password="abc12", confirmed=False)
    make_user(session, email="blocked@example.com", password="abc12", blocked=True)
    assert _code(lambda: _sign_in(session, email="new@example.com", password="nope1")) == "sign_in_failed"
    assert _code(lambda: _sign_in(session, email="new@example.com")) == "email_not_confirmed"
    assert _code(lambda: _sign_in(session, email="blocked@example.com", password="nope1")) == "sign_in_failed"
    assert _code(lambda: _sign_in(session, email="blocked@example.com")) == "account_blocked"


def test_lock_out_after_five_failures_and_release(session):
    make_user(session, email="user@example.com", password="abc12")
    for attempt in range(5):
        assert (
            _code(lambda when=NOW + attempt * dt.timedelta(seconds=5): _sign_in(session, password="wrong1", now=when))
            == "sign_in_failed"
        )
    # Even the right password is refused while locked, with the time to come back.
    with pytest.raises(DomainError) as raised:
        _sign_in(session, now=NOW + dt.timedelta(minutes=1))
    assert raised.value.code == "sign_in_locked"
    assert raised.value.params["until"] == NOW + dt.timedelta(minutes=15)
    assert _sign_in(session, now=NOW + dt.timedelta(minutes=16))


# --- password reset and change -----------------------------------------------------------------


def test_forgot_answers_the_same_and_mails_only_real_accounts(session):
    make_user(session, email="user@example.com")
    password_changes.request_password_reset(session=session, email="nobody@example.com", now=NOW)
    password_changes.request_password_reset(session=session, email="User@Example.com", now=NOW)
    assert [letter.to_address for letter in session.exec(select(OutgoingEmail))] == ["user@example.com"]


def test_reset_sets_the_password_once_and_ends_every_session(session):
    user = make_user(session, email="user@example.com", password="old12")
    old_session = _sign_in(session, password="old12")
    password_changes.request_password_reset(session=session, email="user@example.com", now=NOW)
    token = _link(_letters(session, "user@example.com")[0], "reset")
    # A policy error does not burn the link.
    assert (
        _code(
            lambda: password_changes.reset_password(
                session=session, raw_token=token, password="пароль", password_repeat="пароль", now=NOW
            )
        )
        == "password_latin_and_digits"
    )
    password_changes.reset_password(
        session=session, raw_token=token, password="new12", password_repeat="new12", now=NOW + HOUR / 2
    )
    assert verify_password("new12", session.get(User, user.id).password_hash)
    assert sessions.resolve_session(session=session, raw_token=old_session, now=NOW + HOUR) is None
    assert (
        _code(
            lambda: password_changes.reset_password(
                session=session, raw_token=token, password="new13", password_repeat="new13", now=NOW + HOUR / 2
            )
        )
        == "token_used"
    )


def test_reset_link_lasts_one_hour(session):
    make_user(session, email="user@example.com")
    password_changes.request_password_reset(session=session, email="user@example.com", now=NOW)
    token = _link(_letters(session, "user@example.com")[0], "reset")
    assert (
        _code(lambda: password_changes.check_reset_link(session=session, raw_token=token, now=NOW + HOUR))
        == "token_expired"
    )


def test_change_password_needs_the_current_one_and_keeps_only_this_session(session):
    user = make_user(session, email="user@example.com", password="old12")
    this = _sign_in(session, password="old12")
    other = _sign_in(session, password="old12")
    change = dict(
        session=session,
        user_id=user.id,
        new_password="new12",
        new_password_repeat="new12",
        now=NOW,
        current_session_token=this,
    )
    assert (
        _code(lambda: password_changes.change_password(current_password="wrong1", **change)) == "password_wrong_current"
    )
    password_changes.change_password(current_password="old12", **change)
    assert sessions.resolve_session(session=session, raw_token=this, now=NOW) is not None
    assert sessions.resolve_session(session=session, raw_token=other, now=NOW) is None
    assert "password_changed" in _actions(session)


# --- e-mail change ---------------------------------------------------------------------------------


def test_email_change_is_confirmed_by_the_new_address_and_told_to_the_old(session):
    user = make_user(session, email="old@example.com", password="abc12")
    email_changes.request_email_change(
        session=session, user_id=user.id, new_email="New@Example.com", password="abc12", now=NOW
    )
    [to_new] = _letters(session, "New@example.com")
    [to_old] = _letters(session, "old@example.com")
    assert "New@example.com" in to_old.text_body
    email_changes.confirm_email_change(session=session, raw_token=_link(to_new, "confirm-email"), now=NOW)
    changed = session.get(User, user.id)
    assert (changed.email, changed.email_canonical) == ("New@example.com", "new@example.com")


def test_email_change_to_a_taken_address_fails_at_confirmation(session):
    user = make_user(session, email="old@example.com", password="abc12")
    email_changes.request_email_change(
        session=session, user_id=user.id, new_email="later@example.com", password="abc12", now=NOW
    )
    make_user(session, email="later@example.com")
    token = _link(_letters(session, "later@example.com")[0], "confirm-email")
    assert _code(lambda: email_changes.confirm_email_change(session=session, raw_token=token, now=NOW)) == "email_taken"


def test_sessions_are_stored_hashed(session):
    make_user(session, email="user@example.com", password="abc12")
    token = _sign_in(session)
    assert token not in [login.token_hash for login in session.exec(select(LoginSession))]


# --- audit trail: what happened, to whom, when and from which address ----------------------------


def _trail(session) -> list[tuple[str, int | None, dt.datetime, str]]:
    """Every audit event as read back from the database: (action, actor, time, client address)."""
    session.flush()
    session.expire_all()
    return [
        (event.action, event.actor_user_id, event.created_at, event.client_address)
        for event in session.exec(select(AuditEvent).order_by(AuditEvent.id))
    ]


def test_audit_records_sign_up_and_confirmation_with_time_and_address(session):
    _register(session, now=NOW)
    user = session.exec(select(User)).one()
    signups.register(
        session=session,
        email="new@example.com",
        password="abc12",
        password_repeat="abc12",
        consent=True,
        now=NOW + HOUR,
        client_address="10.1.1.2",
    )
    token = _link(_letters(session, "new@example.com")[-1], "confirm")
    signups.confirm_email(session=session, raw_token=token, now=NOW + 2 * HOUR, client_address="10.3.3.3")
    assert _trail(session) == [
        ("sign_up", user.id, NOW, "10.1.1.1"),
        ("sign_up_existing_address", user.id, NOW + HOUR, "10.1.1.2"),
        ("email_confirmed", user.id, NOW + 2 * HOUR, "10.3.3.3"),
    ]


def test_audit_records_sign_in_failures_and_success_with_time_and_address(session):
    user = make_user(session, email="user@example.com", password="abc12")
    second = dt.timedelta(seconds=1)
    assert _code(lambda: _sign_in(session, password="wrong1", now=NOW, client="10.0.0.7")) == "sign_in_failed"
    assert (
        _code(lambda: _sign_in(session, email="nobody@example.com", now=NOW + second, client="10.0.0.8"))
        == "sign_in_failed"
    )
    _sign_in(session, now=NOW + 2 * second, client="10.0.0.9")
    assert _trail(session) == [
        ("sign_in_failed", user.id, NOW, "10.0.0.7"),
        ("sign_in_failed", None, NOW + second, "10.0.0.8"),  # an unknown address has no actor
        ("sign_in", user.id, NOW + 2 * second, "10.0.0.9"),
    ]


def test_audit_records_a_password_change_with_time_and_address(session):
    user = make_user(session, email="user@example.com", password="old12")
    this = sessions.start_session(session=session, user_id=user.id, remember=True, now=NOW)
    password_changes.change_password(
        session=session,
        user_id=user.id,
        current_password="old12",
        new_password="new12",
        new_password_repeat="new12",
        now=NOW + HOUR,
        current_session_token=this,
        client_address="10.4.4.4",
    )
    assert _trail(session) == [("password_changed", user.id, NOW + HOUR, "10.4.4.4")]


def test_audit_records_an_email_change_request_and_confirmation_with_time_and_address(session):
    user = make_user(session, email="old@example.com", password="abc12")
    email_changes.request_email_change(
        session=session,
        user_id=user.id,
        new_email="New@Example.com",
        password="abc12",
        now=NOW,
        client_address="10.5.5.5",
    )
    token = _link(_letters(session, "New@example.com")[0], "confirm-email")
    email_changes.confirm_email_change(session=session, raw_token=token, now=NOW + HOUR, client_address="10.6.6.6")
    assert _trail(session) == [
        ("email_change_requested", user.id, NOW, "10.5.5.5"),
        ("email_changed", user.id, NOW + HOUR, "10.6.6.6"),
    ]
    requested, changed = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert json.loads(requested.details) == {"new_email": "New@example.com"}
    assert json.loads(changed.details) == {"before": "old@example.com", "after": "New@example.com"}


def test_audit_records_a_password_reset_request_and_reset_with_time_and_address(session):
    user = make_user(session, email="user@example.com", password="old12")
    password_changes.request_password_reset(
        session=session, email="user@example.com", now=NOW, client_address="10.7.7.7"
    )
    password_changes.request_password_reset(
        session=session, email="nobody@example.com", now=NOW, client_address="10.7.7.7"
    )
    token = _link(_letters(session, "user@example.com")[0], "reset")
    password_changes.reset_password(
        session=session,
        raw_token=token,
        password="new12",
        password_repeat="new12",
        now=NOW + HOUR / 2,
        client_address="10.8.8.8",
    )
    assert _trail(session) == [
        ("password_reset_requested", user.id, NOW, "10.7.7.7"),  # nothing for the unknown address
        ("password_reset", user.id, NOW + HOUR / 2, "10.8.8.8"),
    ]


# --- the entry /login calls -----------------------------------------------------------------------


def test_sign_in_hashes_on_the_password_pool_and_a_refusal_still_counts(app_database):
    assert auth.sign_in.hashes_passwords
    with Session(app_database) as own:
        make_user(own, email="user@example.com", password="abc12")
        own.commit()
    for attempt in range(5):
        with pytest.raises(DomainError):
            auth.sign_in(
                email="user@example.com",
                password="wrong1",
                remember=False,
                now=NOW + attempt * dt.timedelta(seconds=1),
                client_address="10.0.0.1",
            )
    # Each refused attempt was committed by the entry itself: the sixth is locked out.
    with Session(app_database) as own:
        assert len(own.exec(select(LoginAttempt)).all()) == 5
    with pytest.raises(DomainError) as locked:
        auth.sign_in(email="user@example.com", password="abc12", remember=False, now=NOW + dt.timedelta(minutes=1))
    assert locked.value.code == "sign_in_locked"
