"""The /_upload guard: known handlers only, within their size, from an operator's tab, before the body is read."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest
from reflex.utils.format import format_event_handler
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cabinet.api import uploads
from cabinet.clock import utc_now
from cabinet.config import get_settings, load_settings
from cabinet.models import UserRole
from cabinet.services.images import MAX_IMAGE_BYTES
from cabinet.services.sessions import end_session, start_session
from cabinet.state.admin.providers import AdminProvidersState
from cabinet.state.admin.registry import AdminRegistryState
from cabinet.state.session import SessionState
from tests.factories import make_user

BOUNDARY = "cabinet-test-boundary"


@dataclasses.dataclass
class Inner:
    """A real app behind the guard, written as Reflex's upload route is: parse the form, keep the files."""

    folder: Path
    calls: int = 0

    async def upload(self, request: Request) -> Response:
        self.calls += 1
        try:
            form = await request.form()
        except ClientDisconnect:  # what Reflex answers when the client goes away
            return Response()
        for file in form.getlist("files"):
            (self.folder / file.filename).write_bytes(await file.read())
        await form.close()
        return JSONResponse({"saved": len(form.getlist("files"))})

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/_upload", self.upload, methods=["POST"])])


@dataclasses.dataclass
class Answer:
    status: int
    body: dict
    pulled: int  # how many body messages the guard (or the app behind it) asked for


def _multipart(data: bytes, name: str = "registry.csv") -> bytes:
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def _post(app, *, headers: dict[str, str], chunks: list[bytes]) -> Answer:
    """One POST through the ASGI app, its body handed over in `chunks` as a server would."""
    messages = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    pulled = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal pulled
        if pulled < len(messages):
            pulled += 1
            return messages[pulled - 1]
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    all_headers = {"content-type": f"multipart/form-data; boundary={BOUNDARY}", **headers}
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/_upload",
        "raw_path": b"/_upload",
        "root_path": "",
        "query_string": b"",
        "headers": [(key.lower().encode(), value.encode()) for key, value in all_headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return Answer(sent[0]["status"], json.loads(body) if body else {}, pulled)


@pytest.fixture
def world(engine, session, monkeypatch, tmp_path):
    """The guard around a real upload app, the operator check on the test's database, three tabs."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "spool"))
    (tmp_path / "spool").mkdir()
    (tmp_path / "kept").mkdir()
    get_settings.cache_clear()
    now = utc_now()
    admin = make_user(session, email="operator@example.com", role=UserRole.admin)
    resident = make_user(session, email="resident@example.com")
    ended = make_user(session, email="gone@example.com", role=UserRole.admin)
    tabs = {
        "admin-tab": start_session(session=session, user_id=admin.id, remember=True, now=now),
        "resident-tab": start_session(session=session, user_id=resident.id, remember=True, now=now),
        "ended-tab": start_session(session=session, user_id=ended.id, remember=True, now=now),
        "anonymous-tab": "",
    }
    end_session(session=session, raw_token=tabs["ended-tab"], now=now)
    session.commit()

    async def session_token_of(client_token: str) -> str:
        return tabs.get(client_token, "")

    inner = Inner(tmp_path / "kept")
    settings = load_settings(registry_max_mb=1)
    guard = uploads.guard_uploads(settings, session_token_of=session_token_of)(inner.app())
    yield guard, inner, tmp_path, settings
    get_settings.cache_clear()


def _headers(tab: str, handler: str = uploads.REGISTRY_HANDLER, **extra: str) -> dict[str, str]:
    return {"reflex-client-token": tab, "reflex-event-handler": handler, **extra}


def _nothing_kept(tmp_path: Path) -> bool:
    return not any((tmp_path / "kept").iterdir()) and not any((tmp_path / "spool").iterdir())


def test_handler_names_are_the_ones_reflex_sends():
    assert format_event_handler(AdminProvidersState.upload_receipt) == uploads.RECEIPT_HANDLER
    assert format_event_handler(AdminRegistryState.upload_registry) == uploads.REGISTRY_HANDLER
    assert SessionState.get_full_name() == uploads.SESSION_STATE
    assert uploads.upload_path() == "/_upload"


def test_limits_follow_the_settings_and_the_picture_limit():
    limits = uploads.upload_limits(load_settings(registry_max_mb=3))
    assert limits == {
        uploads.REGISTRY_HANDLER: 3 * 1024 * 1024 + uploads.MULTIPART_OVERHEAD,
        uploads.RECEIPT_HANDLER: MAX_IMAGE_BYTES + uploads.MULTIPART_OVERHEAD,
    }


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 403),
        ({"reflex-client-token": "admin-tab"}, 403),
        (
            _headers("admin-tab", handler="reflex___state____state.cabinet___state___settings____settings_state.save"),
            403,
        ),
        (_headers("unknown-tab"), 403),
        (_headers("anonymous-tab"), 403),
        (_headers("resident-tab"), 403),
        (_headers("ended-tab"), 403),
        (_headers("admin-tab", **{"content-length": "12abc"}), 400),
    ],
    ids=[
        "no-headers",
        "no-handler",
        "other-handler",
        "unknown-tab",
        "anonymous",
        "resident",
        "ended-session",
        "bad-length",
    ],
)
def test_refused_before_a_byte_is_read(world, headers, status):
    guard, inner, tmp_path, _settings = world
    answer = _post(guard, headers=headers, chunks=[_multipart(b"account;address\r\n")])
    assert (answer.status, answer.pulled, inner.calls) == (status, 0, 0)
    assert set(answer.body) == {"error"} and "Traceback" not in json.dumps(answer.body)
    assert _nothing_kept(tmp_path)


def test_an_admin_with_an_oversized_content_length_gets_413_before_a_byte_is_read(world):
    guard, inner, tmp_path, settings = world
    limit = uploads.upload_limits(settings)[uploads.REGISTRY_HANDLER]
    answer = _post(guard, headers=_headers("admin-tab", **{"content-length": str(limit + 1)}), chunks=[b"x" * 1024])
    assert (answer.status, answer.body, answer.pulled, inner.calls) == (413, {"error": "upload_too_large"}, 0, 0)
    picture = _post(
        guard,
        headers=_headers("admin-tab", uploads.RECEIPT_HANDLER, **{"content-length": str(MAX_IMAGE_BYTES * 2)}),
        chunks=[b"x"],
    )
    assert (picture.status, picture.pulled, inner.calls) == (413, 0, 0)
    assert _nothing_kept(tmp_path)


def test_an_admin_whose_chunked_body_passes_the_limit_is_cut_off_there(world):
    guard, inner, tmp_path, settings = world
    limit = uploads.upload_limits(settings)[uploads.REGISTRY_HANDLER]
    body = _multipart(b"x" * (limit * 3))
    chunks = [body[start : start + 64 * 1024] for start in range(0, len(body), 64 * 1024)]
    answer = _post(guard, headers=_headers("admin-tab"), chunks=chunks)
    assert (answer.status, answer.body) == (413, {"error": "upload_too_large"})
    # The app got the first chunks only: the one that passed the limit never reached it.
    assert inner.calls == 1 and answer.pulled == limit // (64 * 1024) + 1 < len(chunks)
    assert _nothing_kept(tmp_path)


def test_a_content_length_that_lies_low_is_cut_off_as_well(world):
    guard, inner, tmp_path, settings = world
    limit = uploads.upload_limits(settings)[uploads.REGISTRY_HANDLER]
    body = _multipart(b"x" * (limit * 2))
    answer = _post(
        guard,
        headers=_headers("admin-tab", **{"content-length": "1000"}),
        chunks=[body[: limit // 2], body[limit // 2 : limit + 10], body[limit + 10 :]],
    )
    assert (answer.status, answer.pulled, inner.calls) == (413, 2, 1)
    assert _nothing_kept(tmp_path)


def test_an_admin_within_the_limit_passes_through(world):
    guard, inner, tmp_path, settings = world
    data = b"account;address;debt;as_of\r\n" * 1000
    body = _multipart(data)
    answer = _post(
        guard, headers=_headers("admin-tab", **{"content-length": str(len(body))}), chunks=[body[:5000], body[5000:]]
    )
    assert (answer.status, answer.body, inner.calls) == (200, {"saved": 1}, 1)
    assert (tmp_path / "kept" / "registry.csv").read_bytes() == data
    # Exactly at the limit still passes: the limit is what may be sent, not one byte less.
    limit = uploads.upload_limits(settings)[uploads.REGISTRY_HANDLER]
    exact = _multipart(b"y" * (limit - len(_multipart(b""))), name="exact.csv")
    assert _post(guard, headers=_headers("admin-tab"), chunks=[exact]).status == 200


def test_other_requests_pass_untouched(world):
    guard, _inner, _tmp_path, _settings = world
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "method": "GET",
        "scheme": "http",
        "path": "/_upload",
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "server": ("testserver", 80),
    }
    asyncio.run(guard(scope, receive, send))
    assert sent[0]["status"] == 405  # the app's own answer: the guard only stands in front of POST


def test_a_failing_lookup_refuses(world, monkeypatch):
    _guard, inner, _tmp_path, settings = world

    async def broken(_client_token: str) -> str:
        raise RuntimeError("state store down")

    refusing = uploads.guard_uploads(settings, session_token_of=broken)(inner.app())
    answer = _post(refusing, headers=_headers("admin-tab"), chunks=[_multipart(b"a")])
    assert (answer.status, answer.pulled, inner.calls) == (403, 0, 0)


def test_the_operator_check_reads_the_session_rules(world, session):
    """Blocked and expired admins are refused like residents; the check writes nothing."""
    _guard, _inner, _tmp_path, _settings = world
    blocked = make_user(session, email="blocked@example.com", role=UserRole.admin)
    token = start_session(session=session, user_id=blocked.id, remember=False, now=utc_now() - dt.timedelta(days=1))
    session.commit()
    assert asyncio.run(uploads.operator_signed_in(token)) is False  # expired: 12 idle hours have passed
    fresh = start_session(session=session, user_id=blocked.id, remember=True, now=utc_now())
    session.commit()
    assert asyncio.run(uploads.operator_signed_in(fresh)) is True
    blocked.is_blocked = True
    session.add(blocked)
    session.commit()
    assert asyncio.run(uploads.operator_signed_in(fresh)) is False
    assert asyncio.run(uploads.operator_signed_in("")) is False
