"""Security headers on every answer of the backend chain: pages, assets, API, uploads, not-found."""

from __future__ import annotations

import asyncio
import base64
import hashlib

import pytest
from sqlmodel import Session
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from cabinet.api.headers import inline_script_hashes, security_headers
from cabinet.config import get_settings, load_settings
from cabinet.models import UserRole
from cabinet.services import images
from tests.api.asgi_chain import chain
from tests.api.test_images import PNG
from tests.factories import NOW, make_user

# The example of the CSP specification and MDN: this script's text hashes to this source.
HELLO = "alert('Hello, world.');"
HELLO_SOURCE = "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
FIXED = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
}


async def site(scope: Scope, receive: Receive, send: Send) -> None:
    """Stands in for Reflex: a built page, an asset, a route with headers of its own, and not-found."""
    path = scope["path"]
    if path in ("/", "/login"):
        response = HTMLResponse(f"<!DOCTYPE html><html><body><script>{HELLO}</script></body></html>")
    elif path == "/assets/app.js":
        response = PlainTextResponse("export {}", media_type="text/javascript")
    elif path == "/own":
        response = PlainTextResponse(
            "own", headers={"Content-Security-Policy": "sandbox", "X-Frame-Options": "SAMEORIGIN"}
        )
    else:
        response = PlainTextResponse("reflex", status_code=404)
    await response(scope, receive, send)


def _policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response.headers["content-security-policy"].split(";")]
    return {name: sources for name, *sources in directives}


def _client(**settings: object) -> TestClient:
    return TestClient(chain(load_settings(**settings), site), raise_server_exceptions=False)


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/"),
        ("GET", "/login"),
        ("GET", "/assets/app.js"),
        ("GET", "/api/health"),
        ("GET", "/no-such-page"),
        ("GET", "/api/images/abc"),
        ("POST", "/_upload"),
        ("GET", "/_event/?EIO=4&transport=polling"),
        ("POST", "/api/yookassa/webhook"),
    ],
)
def test_every_answer_carries_the_security_headers(method, path):
    response = _client().request(method, path)
    for name, value in FIXED.items():
        assert response.headers[name] == value, (path, name)
    policy = _policy(response)
    assert policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response.headers["permissions-policy"]
    assert "strict-transport-security" not in response.headers


def test_the_policy_forbids_framing_plugins_foreign_forms_and_injected_scripts():
    policy = _policy(_client(public_url="http://localhost:3000").get("/login"))
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["img-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'", "ws://localhost:3000"]
    # Scripts come from our own files or are one of the built pages' inline scripts, named by hash.
    assert "'unsafe-inline'" not in policy["script-src"]
    assert not [source for source in policy["script-src"] if "*" in source or source.endswith(":")]


def test_the_socket_and_receipt_pictures_follow_the_settings():
    policy = _policy(_client(public_url="https://кабинет.рф", receipt_image_hosts="cdn.example.ru").get("/"))
    assert policy["connect-src"] == ["'self'", "wss://xn--80acmlhv0b.xn--p1ai"]
    assert policy["img-src"] == ["'self'", "https://cdn.example.ru"]


def test_hsts_only_when_the_public_address_is_https():
    assert "strict-transport-security" not in _client(public_url="http://cabinet.example.ru").get("/").headers
    response = _client(public_url="https://cabinet.example.ru").get("/")
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_a_routes_own_header_is_kept_and_not_sent_twice():
    response = _client().get("/own")
    assert response.headers.get_list("content-security-policy") == ["sandbox"]
    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]


def test_a_stored_picture_keeps_its_own_nosniff_once_and_gets_the_rest(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    with Session(engine) as session:
        operator = make_user(session, role=UserRole.admin)
        url = images.store_image(session=session, actor_id=operator.id, data=PNG, now=NOW)
        session.commit()
    try:
        response = _client().get(url)
    finally:
        get_settings.cache_clear()
    assert (response.status_code, response.content) == (200, PNG)
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]
    assert response.headers["x-frame-options"] == "DENY"


def test_the_policy_names_each_inline_script_of_the_built_pages(tmp_path):
    (tmp_path / "login").mkdir()
    (tmp_path / "index.html").write_text(
        f'<html><script>{HELLO}</script><SCRIPT type="module">\r\nimport "/a.js";\r\n</SCRIPT>'
        '<script src="/assets/app.js"></script></html>'
    )
    (tmp_path / "login" / "index.html").write_text(
        f'<script>{HELLO}</script><script id="_R_"></script><script data-src="x">run()</script>'
    )
    hashes = inline_script_hashes(tmp_path)
    # One source per distinct script, whatever the page; none for an empty or external one.
    assert len(hashes) == 3 and HELLO_SOURCE in hashes
    # A browser hashes the text after its parser turned CRLF into LF.
    module = base64.b64encode(hashlib.sha256(b'\nimport "/a.js";\n').digest()).decode()
    assert f"'sha256-{module}'" in hashes
    app = security_headers(load_settings(), pages=lambda: tmp_path)(site)
    policy = _policy(TestClient(app).get("/"))
    assert policy["script-src"] == ["'self'", *hashes, "'unsafe-eval'"]


def test_without_built_pages_no_inline_script_is_allowed(tmp_path):
    assert inline_script_hashes(tmp_path / "missing") == ()


def test_a_websocket_passes_untouched():
    sent: list[Message] = []
    accept = {"type": "websocket.accept", "headers": [(b"sec-websocket-protocol", b"chat")]}

    async def socket(scope: Scope, receive: Receive, send: Send) -> None:
        await send(accept)

    async def record(message: Message) -> None:
        sent.append(message)

    app = security_headers(load_settings())(socket)
    asyncio.run(app({"type": "websocket", "path": "/_event", "headers": []}, None, record))
    assert sent == [accept] and sent[0] is accept
