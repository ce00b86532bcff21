"""TRUSTED_PROXIES: the resident's address from X-Forwarded-For of a trusted proxy only, for every layer inside."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from cabinet.api.proxies import trust_proxies
from cabinet.config import get_settings, load_settings
from cabinet.db import session_scope
from cabinet.errors import DomainError
from cabinet.models import AuditEvent, PaymentNotification
from cabinet.services import auth, throttle
from tests.api.asgi_chain import chain, reflex_config

PROXY = ("10.0.0.7", 5555)
RESIDENT = "203.0.113.5"
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers with the client and scheme it was handed, over HTTP or a socket."""
    seen = {"client": list(scope["client"]), "scheme": scope.get("scheme")}
    if scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": json.dumps(seen)})
        await send({"type": "websocket.close"})
        return
    await JSONResponse(seen)(scope, receive, send)


def _seen(trusted: str, headers, peer=PROXY) -> dict:
    app = trust_proxies(load_settings(trusted_proxies=trusted))(echo)
    return TestClient(app, client=peer).get("/", headers=headers).json()


def test_a_trusted_proxy_hands_on_the_residents_address_and_scheme():
    seen = _seen("10.0.0.7", {"X-Forwarded-For": RESIDENT, "X-Forwarded-Proto": "https"})
    assert seen == {"client": [RESIDENT, 0], "scheme": "https"}


@pytest.mark.parametrize("trusted", ["", "10.0.0.8", "192.168.0.0/16", "2001:db8::/32"])
def test_an_untrusted_peer_cannot_claim_another_address_or_scheme(trusted):
    """A resident talking to us directly (or through a proxy we do not know) stays who they are."""
    seen = _seen(trusted, {"X-Forwarded-For": "185.71.76.5", "X-Forwarded-Proto": "https"})
    assert seen == {"client": list(PROXY), "scheme": "http"}


def test_nothing_trusted_by_default_even_on_loopback():
    assert get_settings().trusted_proxies == ()
    app = trust_proxies(get_settings())(echo)
    seen = TestClient(app, client=("127.0.0.1", 4000)).get("/", headers={"X-Forwarded-For": RESIDENT}).json()
    assert seen["client"] == ["127.0.0.1", 4000]


@pytest.mark.parametrize(
    ("forwarded_for", "resident"),
    [
        # The resident wrote the leftmost entry themselves; the trusted hops vouch only for the one they saw.
        ("6.6.6.6, 203.0.113.5, 10.1.1.1", RESIDENT),
        ("203.0.113.5,10.1.1.1,10.2.2.2", RESIDENT),
        # A resident inside the proxies' own network: every hop trusted, the farthest one is the client.
        ("10.2.2.2, 10.1.1.1", "10.2.2.2"),
    ],
)
def test_a_chain_of_proxies_is_read_from_the_right_up_to_the_first_untrusted_hop(forwarded_for, resident):
    assert _seen("10.0.0.0/8", {"X-Forwarded-For": forwarded_for})["client"] == [resident, 0]


def test_several_forwarded_for_lines_read_as_one_list():
    headers = [("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-For", f"{RESIDENT}, 10.1.1.1")]
    assert _seen("10.0.0.0/8", headers)["client"] == [RESIDENT, 0]


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        ("", list(PROXY)),
        ("unknown", list(PROXY)),
        ("203.0.113.5, <script>", list(PROXY)),
        ("<script>, 203.0.113.5", [RESIDENT, 0]),
        ("6.6.6.6, garbage, 10.1.1.1", ["10.1.1.1", 0]),
        ("203.0.113.5:abc", list(PROXY)),
        ("203.0.113.5:4711", [RESIDENT, 0]),
        (" , ,, ", list(PROXY)),
        ("1.2.3.4.5", list(PROXY)),
        ("999.1.1.1", list(PROXY)),
        ("\u00ff\u00fe", list(PROXY)),
        (",".join(["10.1.1.1"] * 500), ["10.1.1.1", 0]),
    ],
)
def test_unreadable_hops_stop_the_walk_and_never_reach_the_app(forwarded_for, client):
    """Nothing beyond an entry a trusted proxy could not vouch for is believed."""
    assert _seen("10.0.0.0/8", {"X-Forwarded-For": forwarded_for.encode("latin-1")})["client"] == client


@pytest.mark.parametrize("proto", ["javascript", "", "HTTPS, http", "ftp"])
def test_an_unknown_forwarded_scheme_is_ignored(proto):
    assert _seen("10.0.0.7", {"X-Forwarded-Proto": proto})["scheme"] == "http"


def test_the_scheme_is_the_one_the_trusted_proxy_wrote_last():
    assert _seen("10.0.0.7", {"X-Forwarded-Proto": "http, https"})["scheme"] == "https"


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded_for", "client"),
    [
        ("2001:db8:ffff::/48", "2001:db8:ffff::2", "2001:db8:1::5", "2001:db8:1::5"),
        ("2001:db8:ffff::/48", "2001:db8:ffff::2", "[2001:db8:1::5]:4711", "2001:db8:1::5"),
        ("2001:db8:ffff::/48", "2001:db8:ffff::2", "2001:db8:1::5, 2001:db8:ffff::9", "2001:db8:1::5"),
        ("2001:db8:ffff::/48", "2001:db8:ffff::2", RESIDENT, RESIDENT),
        # A dual-stack socket reports an IPv4 proxy as IPv4-mapped IPv6.
        ("10.0.0.7", "::ffff:10.0.0.7", "::ffff:203.0.113.5", RESIDENT),
    ],
)
def test_ipv6_proxies_and_residents(trusted, peer, forwarded_for, client):
    assert _seen(trusted, {"X-Forwarded-For": forwarded_for}, peer=(peer, 1))["client"] == [client, 0]


def test_an_ipv6_peer_outside_the_trusted_networks_is_not_believed():
    seen = _seen("2001:db8:ffff::/48", {"X-Forwarded-For": RESIDENT}, peer=("2001:db8:1::5", 1))
    assert seen["client"] == ["2001:db8:1::5", 1]


def test_a_socket_gets_the_residents_address_and_a_secure_scheme():
    app = trust_proxies(load_settings(trusted_proxies="10.0.0.7"))(echo)
    headers = {"X-Forwarded-For": RESIDENT, "X-Forwarded-Proto": "https"}
    with TestClient(app, client=PROXY).websocket_connect("/_event", headers=headers) as socket:
        assert socket.receive_json() == {"client": [RESIDENT, 0], "scheme": "wss"}


def test_the_servers_own_scope_is_not_changed():
    """The rewrite is a copy: the server's scope (and the proxy's address in its logs) stays as it was."""
    inner_scopes, outer_scopes = [], []
    middleware = trust_proxies(load_settings(trusted_proxies="10.0.0.7"))

    async def inner(scope, receive, send):
        inner_scopes.append(scope)
        await echo(scope, receive, send)

    wrapped = middleware(inner)

    async def outer(scope, receive, send):
        outer_scopes.append(scope)
        await wrapped(scope, receive, send)

    TestClient(outer, client=PROXY).get("/", headers={"X-Forwarded-For": RESIDENT})
    assert outer_scopes[0]["client"] == PROXY and inner_scopes[0]["client"] == (RESIDENT, 0)


# --- what the layers inside see -------------------------------------------------------------


@pytest.fixture
def real_shop_behind_a_proxy(monkeypatch, engine):
    """Real credentials (no loopback webhook), one trusted proxy, the test's database."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    for name, value in {
        "YOOKASSA_SHOP_ID": "123456",
        "YOOKASSA_SECRET_KEY": "live_abc",
        "RESEND_API_KEY": "re_1",
        "SECRET_KEY": "k3Jq9vXr2LmN8pWt5YbZ7cHd4FgS6aEu",
        "TRUSTED_PROXIES": "10.0.0.7",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "status", "logged"),
    [
        # Behind our proxy YooKassa's own address is what the webhook checks and logs.
        ("10.0.0.7", "185.71.76.5", 400, "185.71.76.5"),
        ("10.0.0.7", "198.51.100.1", 403, None),
        # Anyone else naming a YooKassa address in the header is checked by their own.
        ("198.51.100.9", "185.71.76.5", 403, None),
        # YooKassa calling us directly still works.
        ("185.71.76.5", "", 400, "185.71.76.5"),
    ],
)
def test_the_webhook_checks_the_forwarded_address_only_behind_a_trusted_proxy(
    real_shop_behind_a_proxy, engine, peer, forwarded_for, status, logged
):
    client = TestClient(chain(real_shop_behind_a_proxy), client=(peer, 443))
    response = client.post("/api/yookassa/webhook", content="{}", headers={"X-Forwarded-For": forwarded_for})
    assert response.status_code == status
    with Session(engine) as session:
        sources = session.exec(select(PaymentNotification.source_address)).all()
    assert sources == ([logged] if logged else [])


def _sign_in_route() -> Starlette:
    """The sign-in form's service call, keyed on the client address as the sign-in state keys it."""

    async def sign_in(request: Request) -> JSONResponse:
        body = await request.json()
        try:
            with session_scope(commit_on=(DomainError,)) as session:
                auth.authenticate(
                    session=session, email=body["email"], password="wrong1", now=NOW, client_address=request.client.host
                )
        except DomainError as error:
            return JSONResponse({"error": error.code})
        return JSONResponse({"ok": True})

    return Starlette(routes=[Route("/sign-in", sign_in, methods=["POST"])])


def test_two_residents_behind_one_proxy_are_locked_out_and_audited_apart(real_shop_behind_a_proxy, engine):
    """Before, every resident behind the proxy shared its address: one guesser locked all of them out."""
    client = TestClient(trust_proxies(real_shop_behind_a_proxy)(_sign_in_route()), client=PROXY)

    def attempt(resident: str, email: str) -> str:
        return client.post("/sign-in", json={"email": email}, headers={"X-Forwarded-For": resident}).json()["error"]

    guesser, neighbour = "203.0.113.5", "203.0.113.6"
    outcomes = {attempt(guesser, f"victim{number}@example.com") for number in range(throttle.MAX_FAILURES_PER_CLIENT)}
    assert outcomes == {"sign_in_failed"}
    assert attempt(guesser, "another@example.com") == "sign_in_locked"
    assert attempt(neighbour, "neighbour@example.com") == "sign_in_failed"
    with Session(engine) as session:
        addresses = session.exec(select(AuditEvent.client_address).where(AuditEvent.action == "sign_in_failed")).all()
    assert (addresses.count(guesser), addresses.count(neighbour), addresses.count(PROXY[0])) == (20, 1, 0)


def test_a_reflex_socket_behind_a_trusted_proxy_sees_the_residents_address():
    """`router.session.client_ip` comes from the socket's ASGI scope, which our outermost middleware rewrote."""
    import reflex as rx

    with reflex_config(TRUSTED_PROXIES="10.0.0.7", PUBLIC_URL="https://cabinet.example.ru"):
        app = rx.App()
        headers = {
            "Upgrade": "websocket",
            "Origin": "https://cabinet.example.ru",
            "X-Forwarded-For": f"6.6.6.6, {RESIDENT}",
        }
        client = TestClient(chain(get_settings(), app._api, with_cors=True), client=PROXY)
        with client.websocket_connect("/_event/?EIO=4&transport=websocket", headers=headers) as socket:
            assert socket.receive_text().startswith("0{")
            socket.send_text("40/_event,")
            assert socket.receive_text().startswith("40/_event,")
            (router_data,) = app.event_namespace._static_router_data.values()
    assert router_data["ip"] == RESIDENT
