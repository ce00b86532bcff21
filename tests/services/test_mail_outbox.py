"""The outbox: sent once, retried with backoff, given up on refusals, never sent for a rolled-back cause."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlmodel import Session, select

import cabinet.sandbox.models  # noqa: F401  (the stand-in's tables)
from cabinet.gateways import GatewayError
from cabinet.models import EmailStatus, OutgoingEmail
from cabinet.sandbox.models import SandboxResendEmail
from cabinet.services import mail
from tests.factories import NOW
from tests.stand_ins import serve_stand_ins


class FakeResend:
    """Stands in for the HTTP call only: answers with the given failures, then succeeds."""

    def __init__(self, *failures: str) -> None:
        self.failures = list(failures)
        self.calls: list[dict] = []

    def __call__(self, **letter) -> str:
        self.calls.append(letter)
        if self.failures:
            raise GatewayError(self.failures.pop(0), "test")
        return f"msg-{len(self.calls)}"


def _queue(session) -> OutgoingEmail:
    letter = mail.queue_email(
        session=session,
        to_address="anna@example.com",
        subject="Тема",
        text_body="Текст",
        html_body="<p>Текст</p>",
        now=NOW,
    )
    session.flush()
    return letter


def test_a_due_letter_is_sent_once(session):
    letter, send = _queue(session), FakeResend()
    assert mail.deliver_due(session=session, now=NOW, send=send).sent == 1
    assert mail.deliver_due(session=session, now=NOW + dt.timedelta(hours=1), send=send).sent == 0
    assert (letter.status, letter.gateway_message_id, len(send.calls)) == (EmailStatus.sent, "msg-1", 1)


def test_not_before_it_is_due(session):
    letter = _queue(session)
    letter.next_attempt_at = NOW + dt.timedelta(minutes=5)
    assert mail.deliver_due(session=session, now=NOW, send=FakeResend()).sent == 0


def test_unavailable_is_retried_with_backoff_and_the_same_key(session):
    letter, send = _queue(session), FakeResend("unavailable", "timeout", "unavailable")
    moment = NOW
    for expected_wait in (dt.timedelta(seconds=30), dt.timedelta(minutes=2), dt.timedelta(minutes=10)):
        assert mail.deliver_due(session=session, now=moment, send=send).retrying == 1
        assert letter.next_attempt_at == moment + expected_wait
        moment = letter.next_attempt_at
    assert mail.deliver_due(session=session, now=moment, send=send).sent == 1
    assert letter.attempts == 4 and len({call["idempotency_key"] for call in send.calls}) == 1


def test_a_refused_letter_fails_at_once(session):
    letter = _queue(session)
    assert mail.deliver_due(session=session, now=NOW, send=FakeResend("rejected")).failed == 1
    assert letter.status == EmailStatus.failed and "rejected" in letter.last_error


def test_gives_up_after_max_attempts(session):
    letter = _queue(session)
    send = FakeResend(*["unavailable"] * mail.MAX_ATTEMPTS)
    moment = NOW
    for _ in range(mail.MAX_ATTEMPTS):
        mail.deliver_due(session=session, now=moment, send=send)
        moment += dt.timedelta(days=1)
    assert (letter.status, letter.attempts) == (EmailStatus.failed, mail.MAX_ATTEMPTS)


def test_a_letter_of_a_rolled_back_transaction_never_leaves(engine):
    with Session(engine) as session:
        _queue(session)
        session.rollback()
    with Session(engine) as session:
        assert mail.deliver_due(session=session, now=NOW, send=FakeResend()).sent == 0


def test_through_the_real_sdk_a_lost_answer_still_sends_one_letter(engine):
    with serve_stand_ins(engine) as stand_in:
        httpx.post(
            f"{stand_in}/sandbox/_faults",
            json={"service": "resend", "status": 500, "count": 1, "store_then_fail": True},
            timeout=5,
        )
        with Session(engine, expire_on_commit=False) as session:
            letter = _queue(session)
            session.commit()
            assert mail.deliver_due(session=session, now=NOW).retrying == 1
            assert mail.deliver_due(session=session, now=NOW + dt.timedelta(minutes=1)).sent == 1
            session.commit()
            stored = session.exec(select(SandboxResendEmail)).all()
        assert len(stored) == 1 and letter.status == EmailStatus.sent
