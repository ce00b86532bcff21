"""Closing a cabinet: what refuses it, what follows it (no sign-in, one letter that is then forgotten, a fresh
cabinet for the same address), and an administrator's closing on a written request."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from cabinet.errors import FORM, DomainError
from cabinet.models import (
    AccountLink,
    AuditEvent,
    EmailStatus,
    OutgoingEmail,
    Payment,
    PaymentStatus,
    StaffMembership,
    StaffRole,
    User,
    UserRole,
)
from cabinet.services import auth, closure, mail, payment_exports, signups
from cabinet.services.admin import residents
from cabinet.services.identity import find_user_by_email
from cabinet.services.payments.starting import prepare_payment
from tests.factories import NOW, make_user
from tests.paying import request_of
from tests.resident_world import make_resident_with_everything
from tests.services.test_mail_outbox import FakeResend

LATER = NOW + dt.timedelta(hours=3)


def _close(user_id: int, **changes) -> None:
    request = dict(user_id=user_id, password="secret12", confirmed=True, now=LATER) | changes
    closure.close_own_cabinet(**request)


def _refusal(call, *args, **kwargs) -> tuple[str, str]:
    with pytest.raises(DomainError) as refused:
        call(*args, **kwargs)
    return refused.value.code, refused.value.field


def _user(engine, user_id: int) -> User:
    with Session(engine) as session:
        return session.get(User, user_id)


def test_closing_checks_the_password_and_hashes_off_the_shared_threads():
    assert closure.close_own_cabinet.hashes_passwords


def test_a_wrong_password_or_no_tick_changes_nothing_and_five_wrong_ones_stop_the_guessing(app_database, session):
    anna = make_resident_with_everything(session, name="anna")
    session.commit()
    user_id = anna["user"].id
    assert _refusal(_close, user_id, password="") == ("closure_password_required", "password")
    assert _refusal(_close, user_id, confirmed=False) == ("closure_not_confirmed", "confirmed")
    for _ in range(closure.WRONG_PASSWORD_LIMIT):
        assert _refusal(_close, user_id, password="wrong12") == ("password_wrong_current", "password")
    assert _refusal(_close, user_id) == ("closure_too_many_tries", "password")
    assert _user(app_database, user_id).closed_at is None
    # The window passes: the right password closes it.
    _close(user_id, now=LATER + closure.WRONG_PASSWORD_WINDOW)
    assert _user(app_database, user_id).closed_at is not None
    assert _refusal(_close, user_id) == ("not_found", FORM)


@pytest.mark.parametrize("status", [PaymentStatus.pending, PaymentStatus.waiting_for_capture])
def test_an_open_payment_blocks_closing_until_it_settles(app_database, session, status):
    anna = make_resident_with_everything(session, name="anna")
    payment = session.get(Payment, anna["payment"].id)
    payment.status = status
    session.add(payment)
    session.commit()
    assert _refusal(_close, anna["user"].id) == ("closure_payment_open", FORM)
    assert _user(app_database, anna["user"].id).closed_at is None
    with Session(app_database) as other:
        settled = other.get(Payment, payment.id)
        settled.status = PaymentStatus.canceled
        other.add(settled)
        other.commit()
    _close(anna["user"].id)
    assert _user(app_database, anna["user"].id).closed_at is not None


def test_staff_cannot_close_their_own_cabinet(app_database, session):
    admin = make_user(session, role=UserRole.admin)
    operator = make_user(session)
    anna = make_resident_with_everything(session, name="anna")
    session.add(StaffMembership(user_id=operator.id, provider_id=anna["provider"].id, role=StaffRole.viewer))
    session.commit()
    for user in (admin, operator):
        assert _refusal(_close, user.id)[0] == "closure_staff"


def test_after_closing_nobody_signs_in_and_the_same_address_signs_up_as_a_fresh_cabinet(app_database, session):
    anna = make_resident_with_everything(session, name="anna")
    session.commit()
    _close(anna["user"].id)
    assert _refusal(auth.sign_in, email="anna@example.com", password="secret12", remember=False, now=LATER) == (
        "sign_in_failed",
        FORM,
    )
    assert _refusal(auth.sign_in, email=f"closed-{anna['user'].id}", password="", remember=False, now=LATER) == (
        "sign_in_failed",
        FORM,
    )

    signups.register(email="Anna@example.com", password="fresh123", password_repeat="fresh123", consent=True, now=LATER)
    with Session(app_database) as check:
        fresh = find_user_by_email(session=check, email_canonical="anna@example.com")
        assert fresh is not None and fresh.id != anna["user"].id and fresh.closed_at is None
        assert (fresh.full_name, fresh.phone) == ("", "")
        assert check.exec(select(AccountLink).where(AccountLink.user_id == fresh.id)).all() == []
        assert check.exec(select(Payment).where(Payment.user_id == fresh.id)).all() == []


def test_one_letter_confirms_the_closing_and_is_forgotten_once_sent(app_database, session):
    anna = make_resident_with_everything(session, name="anna")
    session.commit()
    _close(anna["user"].id)
    with Session(app_database) as outbox:
        letters = outbox.exec(select(OutgoingEmail).where(OutgoingEmail.status == EmailStatus.queued)).all()
        mine = [letter for letter in letters if letter.to_address == "anna@example.com"]
        assert [letter.subject for letter in mine] == ["Ваш Личный кабинет «Кабинет» закрыт"]
        assert mine[0].forget_after_sending
        send = FakeResend()
        mail.deliver_due(session=outbox, now=LATER, send=send, batch_size=100)
        outbox.commit()
        assert [call["to"] for call in send.calls].count("anna@example.com") == 1
        assert "закрыли свой Личный кабинет" in next(c for c in send.calls if c["to"] == "anna@example.com")["text"]
        gone = outbox.get(OutgoingEmail, mine[0].id)
        assert (gone.status, gone.to_address, gone.subject, gone.text_body, gone.html_body) == (
            EmailStatus.sent,
            "",
            "",
            "",
            "",
        )


def test_an_unconfirmed_address_gets_no_letter(app_database, session):
    user = make_user(session, email="nobody@example.com", confirmed=False)
    session.commit()
    _close(user.id)
    with Session(app_database) as check:
        assert check.exec(select(OutgoingEmail)).all() == []


def test_an_administrator_closes_a_cabinet_on_a_written_request_and_sees_by_whom(app_database, session):
    admin = make_user(session, email="admin@example.com", role=UserRole.admin)
    anna = make_resident_with_everything(session, name="anna")
    operator = make_user(session)
    session.add(StaffMembership(user_id=operator.id, provider_id=anna["provider"].id, role=StaffRole.operator))
    session.commit()
    request = dict(user_id=anna["user"].id, reason="Заявление № 15 от 01.12.2026", now=LATER)

    # An operator of the provider may not; a reason is required; the administrator cannot close their own.
    assert _refusal(closure.close_on_request, actor_id=operator.id, **request) == ("not_found", FORM)
    assert _refusal(closure.close_on_request, actor_id=admin.id, **(request | {"reason": "  "})) == (
        "closure_reason_required",
        "reason",
    )
    assert _refusal(closure.close_on_request, actor_id=admin.id, **(request | {"user_id": admin.id}))[0] == (
        "closure_staff"
    )
    closure.close_on_request(actor_id=admin.id, **request)

    detail = residents.resident_detail(actor_id=admin.id, user_id=anna["user"].id, now=LATER)
    assert (detail.state, detail.email, detail.may_close, detail.may_change) == (
        "closed",
        f"закрытый кабинет № {anna['user'].id}",
        False,
        False,
    )
    assert detail.closure == residents.Closure(LATER, "admin@example.com", "Заявление № 15 от 01.12.2026")
    with Session(app_database) as check:
        event = check.exec(select(AuditEvent).where(AuditEvent.action == "cabinet_closed")).one()
        assert (event.actor_user_id, event.target_id, event.details) == (
            admin.id,
            str(anna["user"].id),
            '{"by": "administrator"}',
        )
        letter = check.exec(select(OutgoingEmail).where(OutgoingEmail.to_address == "anna@example.com")).one()
        assert "письменному заявлению" in letter.text_body
    # Closed is closed: no second closing, no unblocking of the stub.
    assert _refusal(closure.close_on_request, actor_id=admin.id, **request)[0] == "closure_already_closed"
    assert _refusal(residents.set_blocked, actor_id=admin.id, user_id=anna["user"].id, blocked=False, now=LATER)[0] == (
        "closure_already_closed"
    )


def test_a_resident_closing_is_shown_as_by_the_resident(app_database, session):
    admin = make_user(session, role=UserRole.admin)
    anna = make_resident_with_everything(session, name="anna")
    session.commit()
    _close(anna["user"].id)
    detail = residents.resident_detail(actor_id=admin.id, user_id=anna["user"].id, now=LATER)
    assert detail.closure == residents.Closure(LATER, "", "")
    listed = {row.id: (row.email, row.state) for row in residents.search_residents(actor_id=admin.id, query="")}
    assert listed[anna["user"].id] == (f"закрытый кабинет № {anna['user'].id}", "closed")
    assert residents.search_residents(actor_id=admin.id, query="anna") == []


def test_exports_carry_nothing_of_a_closed_resident(app_database, session):
    anna = make_resident_with_everything(session, name="anna")
    session.commit()
    with Session(app_database) as before:
        assert "anna@example.com" in payment_exports.export_payments(before).decode("utf-8-sig")
    _close(anna["user"].id)
    with Session(app_database) as after:
        exported = payment_exports.export_payments(after).decode("utf-8-sig")
    assert "1500,00" in exported.replace("\u00a0", "").replace(" ", "")
    for fragment in anna["personal"]:
        assert fragment not in exported


def test_a_closed_cabinet_starts_no_payment_even_from_a_tab_that_raced_the_closing(app_database, session):
    anna = make_resident_with_everything(session, name="anna")
    session.commit()
    _close(anna["user"].id)
    with Session(app_database) as late:
        # Even were its account still linked, the payment's own check of the user refuses.
        late.add(AccountLink(user_id=anna["user"].id, account_id=anna["account"].id))
        late.flush()
        request = request_of({"user": anna["user"].id, "account": anna["account"].id})
        with pytest.raises(DomainError) as refused:
            prepare_payment(late, request, now=LATER)
    assert refused.value.code == "not_found"


def test_an_earlier_address_now_someone_elses_keeps_their_letters(app_database, session):
    anna = make_resident_with_everything(session, name="anna")
    # Anna moved from anna.old@ to anna@; Vera has since signed up with anna.old@.
    vera = make_user(session, email="anna.old@example.com")
    session.commit()
    with Session(app_database) as check:
        theirs = len(check.exec(select(OutgoingEmail).where(OutgoingEmail.to_address == "anna.old@example.com")).all())
    assert theirs == 1
    _close(anna["user"].id)
    with Session(app_database) as check:
        kept = check.exec(select(OutgoingEmail).where(OutgoingEmail.to_address == "anna.old@example.com")).all()
        assert len(kept) == theirs
        assert check.get(User, vera.id).email == "anna.old@example.com"
