"""The YooKassa webhook fuzzed through the real ASGI route: no body gets a 5xx, none credits anything."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

import cabinet.sandbox.models  # noqa: F401  (the stand-in's tables)
from cabinet.api import build_api
from cabinet.api.payments import MAX_BODY_BYTES
from cabinet.config import get_settings
from cabinet.models import AccountLink, LedgerEntry, Payment, PaymentNotification, PaymentPurpose, PaymentStatus
from cabinet.services import payments
from tests.factories import make_account, make_provider, make_user
from tests.paying import one_account
from tests.stand_ins import serve_stand_ins

# Few enough to keep the suite quick, the same ones every run (no example database to drift).
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
UNKNOWN_ID = "2f0b0d1e-000f-5000-9000-1b2c3d4e5f60"


@pytest.fixture
def webhook(engine):
    """A client at a loopback address (allowed while the stand-in pays) and one pending payment."""
    with serve_stand_ins(engine, with_webhook=True):
        with Session(engine, expire_on_commit=False) as session:
            provider = make_provider(session, reading_window_start_day=1, reading_window_end_day=31)
            account = make_account(session, provider, debt_kopecks=250_000, balance_as_of=dt.date(2026, 1, 1))
            user = make_user(session)
            session.add(AccountLink(user_id=user.id, account_id=account.id))
            session.commit()
            request = one_account(user_id=user.id, account_id=account.id, purpose=PaymentPurpose.debt)
        payment = payments.pay(request)
        assert payment.status == PaymentStatus.pending and payment.gateway_payment_id
        client = TestClient(build_api(get_settings()), client=("127.0.0.1", 50000), raise_server_exceptions=False)
        yield client, payment


def _post(client: TestClient, body: bytes):
    response = client.post("/api/yookassa/webhook", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200 or 400 <= response.status_code < 500, (response.status_code, body[:200])
    assert isinstance(response.json(), dict)
    return response


def _nothing_credited(engine, payment: Payment) -> None:
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(LedgerEntry)).one() == 0
        assert session.get(Payment, payment.id).status == PaymentStatus.pending


# --- the bodies ------------------------------------------------------------------------------------------------

# Any character, control characters and NULs often, and lone surrogates (sent as \ud800 escapes).
_CHARS = st.one_of(
    st.characters(), st.characters(max_codepoint=0x1F), st.just("\x00"), st.characters(categories=["Cs"])
)
_TEXT = st.text(_CHARS, max_size=40)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)


def _or_anything(right: st.SearchStrategy) -> st.SearchStrategy:
    """The right kind of value most of the time, any JSON value at all otherwise."""
    return st.one_of(right, _JSON)


def _notifications(real_id: str) -> st.SearchStrategy:
    """Bodies shaped like YooKassa's, with a wrong type or odd text possible at every level."""
    amount = st.fixed_dictionaries(
        {"value": _or_anything(st.just("2500.00")), "currency": _or_anything(st.just("RUB"))}
    )
    payment = st.fixed_dictionaries(
        {
            "id": _or_anything(st.sampled_from([real_id, UNKNOWN_ID, real_id + "\x00", real_id.upper()]) | _TEXT),
            "status": _or_anything(st.sampled_from(["succeeded", "waiting_for_capture", "canceled", "pending"])),
            "paid": _or_anything(st.booleans()),
            "amount": _or_anything(amount),
            "metadata": _or_anything(st.dictionaries(_TEXT, _TEXT, max_size=3)),
            "created_at": _or_anything(st.just("2026-11-25T09:00:00.000Z")),
        }
    )
    return st.fixed_dictionaries(
        {
            "type": _or_anything(st.just("notification")),
            "event": _or_anything(
                st.sampled_from(["payment.succeeded", "payment.canceled", "refund.succeeded"]) | _TEXT
            ),
            "object": _or_anything(payment),
        }
    )


def _encoded(value, ascii_only: bool) -> bytes:
    # Without ASCII escapes a lone surrogate goes out as bytes that are not UTF-8 at all.
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def _spliced(body: bytes, at: int, junk: bytes) -> bytes:
    place = at % (len(body) + 1)
    return body[:place] + junk + body[place:]


def _bodies(real_id: str) -> st.SearchStrategy:
    shaped = st.builds(_encoded, _notifications(real_id) | _JSON, st.booleans())
    junk = st.sampled_from([b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x1b[0m"]) | st.binary(min_size=1, max_size=4)
    huge_number = st.integers(300, 20_000).map(lambda digits: "9" * digits)
    nesting = st.integers(500, 30_000)
    return st.one_of(
        shaped,
        st.builds(_spliced, shaped, st.integers(0, 10_000), junk),
        st.binary(max_size=300),
        huge_number.map(lambda number: _template(real_id, number).encode()),
        nesting.map(lambda depth: b"[" * depth + b"]" * depth),
        nesting.map(lambda depth: _template(real_id, "[" * depth + "]" * depth).encode()),
    )


def _template(real_id: str, amount: str) -> str:
    # A real payment's notification whose amount is replaced by raw JSON text.
    return (
        '{"type": "notification", "event": "payment.succeeded", "object": {"id": "' + real_id + '", '
        '"status": "succeeded", "paid": true, "amount": {"value": ' + amount + ', "currency": "RUB"}}}'
    )


# --- the tests -------------------------------------------------------------------------------------------------


def test_no_body_makes_the_webhook_fail_or_credit(engine, webhook):
    client, payment = webhook

    @FUZZ
    @given(body=_bodies(payment.gateway_payment_id))
    def deliver(body: bytes) -> None:
        _post(client, body)

    deliver()
    _nothing_credited(engine, payment)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="100000-levels"),
        pytest.param(b"[" * 30_000 + b"]" * 30_000, id="30000-levels-within-the-size-limit"),
        pytest.param(b'{"a":' * 10_000 + b"1" + b"}" * 10_000, id="nested-objects"),
        pytest.param(b"x" * (10 * 1024 * 1024), id="10-MB"),
        pytest.param(b" " * (MAX_BODY_BYTES + 1), id="one-byte-over-the-limit"),
        pytest.param(b"\xff\xfe\x00{}", id="not-utf-8"),
        pytest.param(b'{"type": "notification", "event": "payment.succeeded"}\x00', id="nul-byte"),
        pytest.param(
            b'{"type": "notification", "event": "payment.succeeded", "object": {"id": "\\u0000"}}',
            id="nul-in-object-id",
        ),
        pytest.param(
            b'{"type": "notification", "event": "payment.\\u0000", "object": {"id": "abc"}}', id="nul-in-event"
        ),
        pytest.param(
            b'{"type": "notification", "event": "payment.succeeded", "object": {"id": "\\ud800"}}',
            id="lone-surrogate-id",
        ),
        pytest.param(
            json.dumps({"type": "notification", "event": "payment.succeeded", "object": {"id": "a" * 10_000}}).encode(),
            id="long-id",
        ),
        pytest.param(
            b'{"type": "notification", "event": "payment.succeeded", "object": {"id": 1e999}}', id="infinite-id"
        ),
        pytest.param(b"9" * 5000, id="5000-digit-number"),
    ],
)
def test_the_known_troublemakers_get_an_answer_in_json(engine, webhook, body):
    client, payment = webhook
    response = _post(client, body)
    assert response.status_code in (400, 404, 413)
    assert "Traceback" not in response.text
    _nothing_credited(engine, payment)


def test_nul_bytes_are_kept_escaped_and_odd_ids_are_not_looked_up(engine, webhook):
    client, payment = webhook
    forged = json.dumps(
        {
            "type": "notification",
            "event": "payment.succeeded",
            "object": {"id": payment.gateway_payment_id + "\x00", "status": "succeeded"},
        }
    )
    assert _post(client, b"\x00 raw NUL").status_code == 400
    assert _post(client, forged.encode()).status_code == 400
    with Session(engine) as session:
        stored = session.exec(select(PaymentNotification).order_by(PaymentNotification.id)).all()
    assert [row.body for row in stored] == ["\\u0000 raw NUL", forged]
    # The id was refused as a whole: nothing was matched to the real payment by a prefix.
    assert [row.gateway_payment_id for row in stored] == ["", ""]
    _nothing_credited(engine, payment)
