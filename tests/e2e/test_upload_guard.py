"""POST /_upload on the running app: strangers and residents are refused before their body is read."""

from __future__ import annotations

import contextlib
import select
import socket
import urllib.parse
import uuid
from pathlib import Path

from playwright.sync_api import Page

from cabinet.api.uploads import REGISTRY_HANDLER
from tests.e2e.server import PROJECT_ROOT
from tests.e2e.test_accounts_and_readings import _sign_in

TWENTY_MB = 20 * 1024 * 1024
FIRST_PART = 256 * 1024
ANSWER_WAIT_SECONDS = 15


def _files_under(*folders: Path) -> set[Path]:
    return {path for folder in folders if folder.exists() for path in folder.rglob("*") if path.is_file()}


def _post_head_first(base: str, *, client_token: str, chunked: bool = False) -> int:
    """Announces a 20 MB upload, sends its first 256 KB and waits for the answer; returns the status.

    Without a guard the app would wait for the other 19.75 MB before answering, so no answer
    comes in time; with it, the answer comes from the headers alone.
    """
    url = urllib.parse.urlsplit(base)
    body_start = b'--b\r\nContent-Disposition: form-data; name="files"; filename="r.csv"\r\n\r\n'
    body_start += b"x" * (FIRST_PART - len(body_start))
    length = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {TWENTY_MB}"
    head = (
        f"POST /_upload HTTP/1.1\r\nHost: {url.netloc}\r\n{length}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n"
        f"Reflex-Client-Token: {client_token}\r\nReflex-Event-Handler: {REGISTRY_HANDLER}\r\n\r\n"
    ).encode()
    first = f"{len(body_start):x}\r\n".encode() + body_start + b"\r\n" if chunked else body_start
    with socket.create_connection((url.hostname, url.port), timeout=ANSWER_WAIT_SECONDS) as sock:
        sock.sendall(head)
        # The server may close at once after answering; the answer is still there to read.
        with contextlib.suppress(OSError):
            sock.sendall(first)
        readable, _, _ = select.select([sock], [], [], ANSWER_WAIT_SECONDS)
        assert readable, "no answer before the body was sent: the upload guard did not stop it"
        answer = sock.recv(65536)
    return int(answer.split(b" ", 2)[1])


def test_a_stranger_gets_no_upload_in(app_server):
    watched = (PROJECT_ROOT / "uploaded_files", app_server.data_dir)
    before = _files_under(*watched)
    assert _post_head_first(app_server.url, client_token=str(uuid.uuid4())) in (403, 413)
    assert _post_head_first(app_server.url, client_token=str(uuid.uuid4()), chunked=True) == 403
    # Only the server's log and the database's journal may change meanwhile.
    new = {
        path
        for path in _files_under(*watched) - before
        if path.suffix != ".log" and not path.name.startswith("cabinet.db")
    }
    assert new == set()


def test_a_signed_in_residents_tab_gets_403(app_server, page: Page):
    _sign_in(page, app_server.url, "resident@example.com", "demo2026")
    client_token = page.evaluate("() => window.sessionStorage.getItem('token')")
    assert client_token
    assert _post_head_first(app_server.url, client_token=client_token) == 403
