"""CORS and the socket's Origin check: only PUBLIC_URL's own pages may call the backend as the resident."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from cabinet.config import ConfigError, get_settings
from tests.api.asgi_chain import chain, reflex_config

PUBLIC_URL = "https://Смородина.онлайн/cabinet/"
ORIGIN = "https://xn--80ahmohdapg.xn--80asehdb"
FOREIGN = (
    "https://evil.example",
    f"{ORIGIN}.evil.example",
    ORIGIN.replace("https:", "http:"),
    f"{ORIGIN}:8443",
    "null",
)


def test_rxconfig_allows_the_public_origin_only():
    with reflex_config(PUBLIC_URL=PUBLIC_URL) as config:
        assert list(config.cors_allowed_origins) == [ORIGIN]
        assert config.trusted_proxy_hops == 0


@pytest.fixture
def backend():
    """Our API with the CORS layer Reflex adds under the real rxconfig (GET /api/health answers)."""
    with reflex_config(PUBLIC_URL=PUBLIC_URL):
        yield TestClient(chain(get_settings(), with_cors=True), raise_server_exceptions=False)


def test_the_public_origin_gets_a_cors_answer(backend):
    response = backend.get("/api/health", headers={"Origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == ORIGIN
    preflight = backend.options("/api/health", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert (preflight.status_code, preflight.headers["access-control-allow-origin"]) == (200, ORIGIN)


@pytest.mark.parametrize("origin", FOREIGN)
def test_a_foreign_origin_gets_no_cors_answer(backend, origin):
    response = backend.get("/api/health", headers={"Origin": origin, "Cookie": "a=b"})
    assert "access-control-allow-origin" not in response.headers
    preflight = backend.options("/api/health", headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers


def _socket(client: TestClient, origin: str):
    return client.websocket_connect(
        "/_event/?EIO=4&transport=websocket", headers={"Upgrade": "websocket", "Origin": origin}
    )


def test_the_socket_opens_only_for_the_public_origin():
    """A page on another site must not drive a resident's signed-in state through the event socket."""
    import reflex as rx

    with reflex_config(PUBLIC_URL=PUBLIC_URL):
        client = TestClient(chain(get_settings(), rx.App()._api, with_cors=True))
        with _socket(client, ORIGIN) as socket:
            assert socket.receive_text().startswith("0{")
        for origin in FOREIGN:
            with pytest.raises(WebSocketDisconnect), _socket(client, origin) as socket:
                socket.receive_text()


@pytest.mark.parametrize(
    ("public_url", "origins"),
    [
        ("http://localhost:3000", ["http://localhost:3000", "http://127.0.0.1:3000"]),
        ("http://127.0.0.1:8080/", ["http://127.0.0.1:8080", "http://localhost:8080"]),
        ("https://lk.example.ru", ["https://lk.example.ru"]),
        ("http://[::1]:3000", ["http://[::1]:3000"]),
    ],
)
def test_a_loopback_public_url_also_allows_its_twin_and_nothing_else(public_url, origins):
    with reflex_config(PUBLIC_URL=public_url) as config:
        assert list(config.cors_allowed_origins) == origins


def test_reflexs_own_proxy_hops_are_refused_beside_trusted_proxies():
    """Reflex would read X-Forwarded-For a second time, after our middleware already did."""
    with pytest.raises(ConfigError, match="REFLEX_TRUSTED_PROXY_HOPS"), reflex_config(REFLEX_TRUSTED_PROXY_HOPS="1"):
        pass
