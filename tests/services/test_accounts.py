"""Connecting personal accounts: formats, registry lookup, ownership checks and their limit, links."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, func, select

from cabinet.config import get_settings
from cabinet.db import session_scope
from cabinet.errors import DomainError
from cabinet.models import (
    AccountChecksum,
    AccountLink,
    LedgerEntry,
    MeterReading,
    OwnershipCheck,
    OwnershipFailure,
    PaymentStatus,
    ReadingSource,
)
from cabinet.services import accounts, payments
from cabinet.services.passwords import hash_password
from cabinet.services.readings import ReadingEntry, submit_readings
from tests.factories import NOW, make_account, make_meter, make_payment, make_provider, make_user


def _error(call) -> DomainError:
    with pytest.raises(DomainError) as raised:
        call()
    return raised.value


def _link(session, user, provider, number, answer="", nickname=""):
    return accounts.link_account(
        session=session,
        user_id=user.id,
        provider_id=provider.id,
        number=number,
        ownership_answer=answer,
        nickname=nickname,
        now=NOW,
    )


def test_number_is_cleaned_of_spaces_and_dashes():
    assert accounts.normalize_account_number(" 37-0012 3456 ") == "3700123456"
    assert accounts.normalize_account_number("12аб-345678") == "12АБ345678"


@pytest.mark.parametrize(
    ("pattern", "checksum", "good", "bad"),
    [
        (r"\d{10}", AccountChecksum.none, "3700123456", "370012345"),
        (r"\d{8}", AccountChecksum.luhn, "12345674", "12345675"),
        (r"\d{2}[А-ЯЁ]{2}\d{6}", AccountChecksum.none, "12АБ345678", "12AB345678"),
        (r"\d{1,10}", AccountChecksum.none, "42", "12345678901"),
    ],
)
def test_formats_per_provider(session, pattern, checksum, good, bad):
    provider = make_provider(
        session,
        account_pattern=pattern,
        account_checksum=checksum,
        account_format_description="как в квитанции",
        account_example=good,
    )
    accounts.check_account_format(provider, good)
    error = _error(lambda: accounts.check_account_format(provider, bad))
    assert error.code == "account_format" and error.params["example"] == good


def test_luhn():
    assert accounts.luhn_is_valid("79927398713")
    assert not accounts.luhn_is_valid("79927398710")
    assert not accounts.luhn_is_valid("12a4")


def test_link_by_number_as_printed_with_a_nickname(session):
    user = make_user(session)
    provider = make_provider(session)
    account = make_account(session, provider, number="3700123456")
    link = _link(session, user, provider, "37 0012-3456", nickname="  Квартира  ")
    assert (link.account_id, link.nickname) == (account.id, "Квартира")
    assert [row[1].number for row in accounts.links_of(session=session, user_id=user.id)] == ["3700123456"]


def test_wrong_format_is_reported_before_the_registry(session):
    user = make_user(session)
    provider = make_provider(session)
    assert _error(lambda: _link(session, user, provider, "12345")).code == "account_format"
    error = _error(lambda: _link(session, user, provider, "9999999999"))
    assert error.code == "account_not_found" and error.params["provider"] == provider.name


def test_same_account_twice_for_one_resident_is_refused_but_a_family_may_share(session):
    mother, son = make_user(session), make_user(session)
    provider = make_provider(session)
    make_account(session, provider, number="3700123456")
    _link(session, mother, provider, "3700123456")
    assert _error(lambda: _link(session, mother, provider, "3700123456")).code == "account_already_linked"
    assert _link(session, son, provider, "3700123456")


def test_inactive_provider_takes_no_new_links(session):
    user = make_user(session)
    provider = make_provider(session, is_active=False)
    make_account(session, provider, number="3700123456")
    assert _error(lambda: _link(session, user, provider, "3700123456")).code == "provider_not_found"


@pytest.mark.parametrize(
    ("kind", "right", "wrong"),
    [
        (OwnershipCheck.last_bill, "1 234,50", "1234,00"),
        (OwnershipCheck.meter_serial, "sn-000777", "SN000778"),
        (OwnershipCheck.pin, "4821", "4822"),
    ],
)
def test_each_ownership_check(session, kind, right, wrong):
    user = make_user(session)
    provider = make_provider(session, ownership_check=kind)
    account = make_account(
        session, provider, number="3700123456", last_bill_kopecks=123450, pin_hash=hash_password("4821")
    )
    make_meter(session, account, serial="SN000777")
    assert _error(lambda: _link(session, user, provider, "3700123456")).code == f"ownership_required_{kind.value}"
    error = _error(lambda: _link(session, user, provider, "3700123456", answer=wrong))
    assert error.code == f"ownership_mismatch_{kind.value}" and error.params["left"] == 9
    assert session.exec(select(AccountLink)).all() == []
    assert _link(session, user, provider, "3700123456", answer=right)


def test_ten_wrong_answers_a_day_stop_linking_even_with_the_right_one(session):
    user = make_user(session)
    provider = make_provider(session, ownership_check=OwnershipCheck.pin)
    for number in range(10):
        make_account(session, provider, number=f"370012345{number}", pin_hash=hash_password("1111"))
    codes = [_error(lambda n=n: _link(session, user, provider, f"370012345{n}", answer="0000")).code for n in range(10)]
    assert codes[:9] == ["ownership_mismatch_pin"] * 9 and codes[9] == "ownership_locked"
    assert _error(lambda: _link(session, user, provider, "3700123450", answer="1111")).code == "ownership_locked"
    # Another resident is not affected.
    assert _link(session, make_user(session), provider, "3700123450", answer="1111")


def test_unlink_keeps_the_account_and_refuses_strangers(session):
    owner, stranger = make_user(session), make_user(session)
    provider = make_provider(session)
    account = make_account(session, provider, number="3700123456")
    _link(session, owner, provider, "3700123456")
    assert (
        _error(
            lambda: accounts.unlink_account(session=session, user_id=stranger.id, account_id=account.id, now=NOW)
        ).code
        == "not_found"
    )
    accounts.unlink_account(session=session, user_id=owner.id, account_id=account.id, now=NOW)
    assert accounts.links_of(session=session, user_id=owner.id) == []
    assert session.get(type(account), account.id) is not None


def test_unlinking_keeps_the_residents_payments_and_readings_in_history(session):
    user = make_user(session)
    provider = make_provider(session, reading_window_start_day=1, reading_window_end_day=31)
    account = make_account(session, provider, number="3700123456")
    meter = make_meter(session, account)
    _link(session, user, provider, "3700123456")
    submit_readings(session, user_id=user.id, account_id=account.id, entries=[ReadingEntry(meter.id, "123,5")], now=NOW)
    paid = make_payment(session, user, account, 40_000, status=PaymentStatus.succeeded)
    canceled = make_payment(session, user, account, 10_000, status=PaymentStatus.canceled)

    accounts.unlink_account(session=session, user_id=user.id, account_id=account.id, now=NOW)
    session.expire_all()

    assert accounts.links_of(session=session, user_id=user.id) == []
    reading = session.exec(select(MeterReading).where(MeterReading.meter_id == meter.id)).one()
    assert (reading.user_id, reading.value_thousandths, reading.source) == (user.id, 123_500, ReadingSource.resident)
    booked = session.exec(select(LedgerEntry.amount_kopecks).where(LedgerEntry.account_id == account.id)).all()
    assert booked == [40_000]
    history = payments.payments_of(session, user_id=user.id)
    assert sorted(
        (line.payment.id, row_account.number) for line in history for _part, row_account, _provider in line.parts
    ) == sorted([(paid.id, "3700123456"), (canceled.id, "3700123456")])
    assert [
        line.payment.id
        for line in payments.payments_of(
            session, user_id=user.id, account_id=account.id, status=PaymentStatus.succeeded
        )
    ] == [paid.id]


def test_another_residents_account_looks_like_a_missing_one(session):
    owner, stranger = make_user(session), make_user(session)
    provider = make_provider(session)
    account = make_account(session, provider, number="3700123456")
    _link(session, owner, provider, "3700123456")
    missing = _error(lambda: accounts.require_linked_account(session=session, user_id=stranger.id, account_id=999999))
    foreign = _error(
        lambda: accounts.require_linked_account(session=session, user_id=stranger.id, account_id=account.id)
    )
    assert missing.code == foreign.code == "not_found"


def test_nickname_rename_and_limit(session):
    user = make_user(session)
    provider = make_provider(session)
    account = make_account(session, provider, number="3700123456")
    _link(session, user, provider, "3700123456")
    assert (
        accounts.rename_link(session=session, user_id=user.id, account_id=account.id, nickname="Дача", now=NOW).nickname
        == "Дача"
    )
    assert (
        _error(
            lambda: accounts.rename_link(
                session=session, user_id=user.id, account_id=account.id, nickname="х" * 41, now=NOW
            )
        ).code
        == "nickname_too_long"
    )


def test_renaming_another_residents_link_looks_like_a_missing_one(session):
    owner, stranger = make_user(session), make_user(session)
    provider = make_provider(session)
    account = make_account(session, provider, number="3700123456")
    _link(session, owner, provider, "3700123456", nickname="Квартира")
    missing = _error(
        lambda: accounts.rename_link(session=session, user_id=stranger.id, account_id=999_999, nickname="Моё", now=NOW)
    )
    foreign = _error(
        lambda: accounts.rename_link(
            session=session, user_id=stranger.id, account_id=account.id, nickname="Моё", now=NOW
        )
    )
    assert missing.code == foreign.code == "not_found"
    assert missing.params == foreign.params == {}
    session.expire_all()
    ((link, _account, _provider),) = accounts.links_of(session=session, user_id=owner.id)
    assert link.nickname == "Квартира"
    assert accounts.links_of(session=session, user_id=stranger.id) == []


# --- the daily limit as the connect page keeps it: one session_scope(commit_on=...) per attempt ----------


@pytest.fixture
def database(engine, monkeypatch):
    """Points session_scope at the test's database, as the app's settings point it at the real one."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()


def _attempt(user_id: int, provider_id: int, number: str, answer: str, now: dt.datetime) -> str:
    """One click of «Подключить», as cabinet/state/connect.py makes it; the error code or «linked»."""
    try:
        with session_scope(commit_on=(DomainError,)) as session:
            accounts.link_account(
                session=session,
                user_id=user_id,
                provider_id=provider_id,
                number=number,
                ownership_answer=answer,
                now=now,
            )
    except DomainError as error:
        return error.code
    return "linked"


def test_wrong_answers_kept_across_sessions_lock_the_eleventh_attempt_until_a_day_has_passed(database):
    with Session(database, expire_on_commit=False) as session:
        user = make_user(session)
        provider = make_provider(session, ownership_check=OwnershipCheck.pin)
        make_account(session, provider, number="3700123456", pin_hash=hash_password("4821"))
        session.commit()

    codes = [_attempt(user.id, provider.id, "3700123456", "0000", NOW + dt.timedelta(seconds=n)) for n in range(10)]
    assert codes == ["ownership_mismatch_pin"] * 9 + ["ownership_locked"]
    with Session(database) as session:
        # Each refused attempt committed its failure although the scope raised.
        assert session.exec(select(func.count()).select_from(OwnershipFailure)).one() == 10

    # The 11th attempt in the day is refused even with the right PIN.
    assert _attempt(user.id, provider.id, "3700123456", "4821", NOW + dt.timedelta(hours=1)) == "ownership_locked"
    assert (
        _attempt(user.id, provider.id, "3700123456", "4821", NOW + dt.timedelta(hours=23, minutes=59))
        == "ownership_locked"
    )
    with Session(database) as session:
        assert session.exec(select(func.count()).select_from(AccountLink)).one() == 0

    # Once every wrong answer is more than 24 hours old, the right PIN links the account.
    assert _attempt(user.id, provider.id, "3700123456", "4821", NOW + dt.timedelta(hours=24, seconds=10)) == "linked"
    with Session(database) as session:
        assert session.exec(select(AccountLink.user_id)).all() == [user.id]
