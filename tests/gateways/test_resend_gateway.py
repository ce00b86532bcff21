"""The Resend gateway through the real SDK against the stand-in: delivery, idempotency, failures, mailbox."""

from __future__ import annotations

import httpx
import pytest

import cabinet.sandbox.models  # noqa: F401  (the stand-in's tables)
from cabinet.gateways import GatewayError
from cabinet.gateways.resend import send_email
from tests.stand_ins import serve_stand_ins


@pytest.fixture
def stand_in(engine):
    with serve_stand_ins(engine) as base_url:
        yield base_url


def _send(key: str = "letter-1", subject: str = "Подтвердите регистрацию") -> str:
    return send_email(to="anna@example.com", subject=subject, html="<p>Привет</p>", text="Привет", idempotency_key=key)


def _mailbox(stand_in: str) -> list[dict]:
    return httpx.get(f"{stand_in}/dev/mailbox.json", params={"to": "anna@example.com"}, timeout=5).json()


def test_a_letter_arrives_as_sent(stand_in):
    message_id = _send()
    (letter,) = _mailbox(stand_in)
    assert (letter["id"], letter["subject"], letter["text"]) == (message_id, "Подтвердите регистрацию", "Привет")


def test_a_repeated_key_sends_once(stand_in):
    assert _send("same") == _send("same")
    assert len(_mailbox(stand_in)) == 1


@pytest.mark.parametrize(
    ("status", "kind"), [(429, "unavailable"), (500, "unavailable"), (422, "rejected"), (400, "rejected")]
)
def test_failures_are_classified(stand_in, status, kind):
    httpx.post(f"{stand_in}/sandbox/_faults", json={"service": "resend", "status": status, "count": 1}, timeout=5)
    with pytest.raises(GatewayError) as raised:
        _send()
    assert raised.value.kind == kind


def test_the_mailbox_page_escapes_what_it_shows(stand_in):
    _send(subject="<script>alert(1)</script> Счёт")
    page = httpx.get(f"{stand_in}/dev/mailbox", timeout=5).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
