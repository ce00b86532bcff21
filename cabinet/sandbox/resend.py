"""A local stand-in for the Resend e-mail API, and the demo mailbox page that shows what it took."""

from __future__ import annotations

import html
import json
import uuid
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from cabinet.db import session_scope
from cabinet.sandbox import faults
from cabinet.sandbox.models import SandboxResendEmail

API_PREFIX = "/sandbox/resend"
MAILBOX = "/dev/mailbox"
MOSCOW = ZoneInfo("Europe/Moscow")


def _error(status: int, name: str, message: str) -> JSONResponse:
    return JSONResponse({"statusCode": status, "name": name, "message": message}, status_code=status)


def _validate(body: object) -> str | None:
    if not isinstance(body, dict):
        return "The request body must be a JSON object."
    for field in ("from", "to", "subject"):
        if not body.get(field):
            return f"The `{field}` field is missing."
    recipients = body["to"] if isinstance(body["to"], list) else [body["to"]]
    if not all(isinstance(address, str) and "@" in address for address in recipients) or len(recipients) > 50:
        return "Invalid `to` field."
    if not (body.get("html") or body.get("text")):
        return "Either `html` or `text` must be provided."
    return None


def _recipients(body: dict) -> list[str]:
    return body["to"] if isinstance(body["to"], list) else [body["to"]]


def _store(body: dict, idempotency_key: str | None) -> str:
    with session_scope() as session:
        if idempotency_key:
            existing = session.exec(
                select(SandboxResendEmail).where(SandboxResendEmail.idempotency_key == idempotency_key)
            ).first()
            if existing is not None:
                return existing.id
        email_id = str(uuid.uuid4())
        session.add(
            SandboxResendEmail(
                id=email_id,
                idempotency_key=idempotency_key or None,
                to_address=", ".join(_recipients(body))[:320],
                body=json.dumps(body, ensure_ascii=False),
            )
        )
        return email_id


def _as_dict(row: SandboxResendEmail) -> dict:
    body = json.loads(row.body)
    return {
        "object": "email",
        "id": row.id,
        "to": _recipients(body),
        "from": body.get("from", ""),
        "subject": body.get("subject", ""),
        "html": body.get("html"),
        "text": body.get("text"),
        "created_at": row.created_at.isoformat(),
        "last_event": "delivered",
    }


def list_letters(*, to: str | None = None, limit: int = 100) -> list[dict]:
    """Letters the stand-in took, newest first; `to` keeps those sent to that address."""
    with session_scope() as session:
        query = select(SandboxResendEmail).order_by(
            col(SandboxResendEmail.created_at).desc(), col(SandboxResendEmail.id)
        )
        rows = list(session.exec(query.limit(limit * 5 if to else limit)))
    letters = [_as_dict(row) for row in rows]
    if to:
        wanted = to.strip().lower()
        letters = [letter for letter in letters if any(address.lower() == wanted for address in letter["to"])]
    return letters[:limit]


def _load(email_id: str) -> dict | None:
    with session_scope() as session:
        row = session.get(SandboxResendEmail, email_id)
        return _as_dict(row) if row else None


def resend_routes() -> list[Route]:
    async def send_email(request: Request) -> Response:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return _error(401, "missing_api_key", "Missing API key in the authorization header.")
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return _error(422, "validation_error", "The request body is not valid JSON.")
        if (problem := _validate(body)) is not None:
            return _error(422, "validation_error", problem)
        fault = faults.take_fault("resend")
        await faults.delay(fault)
        key = request.headers.get("idempotency-key")
        if fault is not None and fault.status:
            if fault.store_then_fail:
                await run_in_threadpool(_store, body, key)
            name = "rate_limit_exceeded" if fault.status == 429 else "application_error"
            return _error(fault.status, name, "Injected failure (sandbox)")
        email_id = await run_in_threadpool(_store, body, key)
        return JSONResponse({"id": email_id})

    async def list_emails(request: Request) -> Response:
        letters = await run_in_threadpool(list_letters, to=request.query_params.get("to"))
        return JSONResponse({"object": "list", "has_more": False, "data": letters})

    async def get_email(request: Request) -> Response:
        letter = await run_in_threadpool(_load, request.path_params["email_id"])
        if letter is None:
            return _error(404, "not_found", "Email not found.")
        return JSONResponse(letter)

    async def mailbox_json(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(list_letters, to=request.query_params.get("to")))

    async def mailbox(_request: Request) -> Response:
        return HTMLResponse(_mailbox_html(await run_in_threadpool(list_letters)))

    async def mailbox_letter(request: Request) -> Response:
        letter = await run_in_threadpool(_load, request.path_params["email_id"])
        if letter is None:
            return HTMLResponse(_page("Письмо не найдено", "<p>Такого письма нет.</p>"), status_code=404)
        return HTMLResponse(_letter_html(letter))

    return [
        Route(f"{API_PREFIX}/emails", send_email, methods=["POST"]),
        Route(f"{API_PREFIX}/emails", list_emails, methods=["GET"]),
        Route(f"{API_PREFIX}/emails/{{email_id}}", get_email, methods=["GET"]),
        Route(f"{MAILBOX}.json", mailbox_json, methods=["GET"]),
        Route(MAILBOX, mailbox, methods=["GET"]),
        Route(f"{MAILBOX}/{{email_id}}", mailbox_letter, methods=["GET"]),
    ]


# --- the demo mailbox --------------------------------------------------------------------------

_STYLE = """
*{box-sizing:border-box}body{margin:0;font-family:Arial,Helvetica,sans-serif;background:#f4f6f4;color:#1d2420}
header{background:#fff;border-bottom:1px solid #dfe5e0;padding:14px 20px;display:flex;gap:12px;align-items:center}
header a{color:#2f7d4a;text-decoration:none;font-weight:700}.badge{background:#fff3c4;color:#7a5b00;border-radius:999px;
padding:3px 10px;font-size:12px}main{max-width:900px;margin:0 auto;padding:20px 16px}h1{font-size:22px;margin:0 0 6px}
.muted{color:#5f6b63;font-size:14px}ul{list-style:none;padding:0;margin:16px 0;background:#fff;border:1px solid #dfe5e0;
border-radius:12px;overflow:hidden}li{border-bottom:1px solid #edf0ed}li:last-child{border-bottom:0}
li a{display:flex;flex-wrap:wrap;gap:4px 16px;padding:12px 16px;color:inherit;text-decoration:none}
li a:hover{background:#f6faf7}
.to{font-weight:600;min-width:220px}.subject{flex:1;min-width:200px}.time{color:#5f6b63;font-size:13px}
iframe{width:100%;height:560px;border:1px solid #dfe5e0;border-radius:12px;background:#fff}
pre{white-space:pre-wrap;background:#fff;border:1px solid #dfe5e0;border-radius:12px;padding:16px;font-size:13px}
.meta{background:#fff;border:1px solid #dfe5e0;border-radius:12px;padding:12px 16px;margin:12px 0;font-size:14px;
line-height:1.6}
"""


def _page(title: str, inner: str) -> str:
    return (
        '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        # The app's icon: without one the browser asks for /favicon.ico, which is not there (a 404 in the console).
        '<link rel="icon" href="/logo.svg" type="image/svg+xml">'
        f"<title>{html.escape(title)} — Демо-почта</title><style>{_STYLE}</style></head><body>"
        '<header><a href="/">Кабинет</a><span class="badge">Демо-режим</span>'
        f'<a href="{MAILBOX}" style="font-weight:400">Демо-почта</a></header><main>{inner}</main></body></html>'
    )


def _moscow(iso: str) -> str:
    from datetime import datetime

    return datetime.fromisoformat(iso).astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M")


def _mailbox_html(letters: list[dict]) -> str:
    escape = html.escape
    intro = (
        '<h1>Демо-почта</h1><p class="muted">Письма, которые кабинет отправил в демо-режиме. '
        "Настоящие адреса их не получают.</p>"
    )
    if not letters:
        return _page("Демо-почта", intro + '<ul id="mailbox-list"><li><a>Писем пока нет</a></li></ul>')
    rows = "".join(
        f'<li id="mailbox-letter-{number}"><a href="{MAILBOX}/{escape(letter["id"])}">'
        f'<span class="to">{escape(", ".join(letter["to"]))}</span>'
        f'<span class="subject">{escape(letter["subject"])}</span>'
        f'<span class="time">{_moscow(letter["created_at"])}</span></a></li>'
        for number, letter in enumerate(letters, start=1)
    )
    return _page("Демо-почта", intro + f'<ul id="mailbox-list">{rows}</ul>')


def _letter_html(letter: dict) -> str:
    escape = html.escape
    # <base target="_top">: links in the letter open in the window, not inside the frame.
    document = (letter["html"] or f"<pre>{escape(letter['text'] or '')}</pre>").replace(
        "<head>", '<head><base target="_top">', 1
    )
    meta = (
        f'<div class="meta"><b>Кому:</b> {escape(", ".join(letter["to"]))}<br><b>От:</b> {escape(letter["from"])}<br>'
        f"<b>Тема:</b> {escape(letter['subject'])}<br><b>Время:</b> {_moscow(letter['created_at'])}</div>"
    )
    frame = (
        f'<iframe id="mailbox-letter-body" title="Письмо" srcdoc="{escape(document, quote=True)}" '
        'sandbox="allow-popups allow-top-navigation-by-user-activation allow-same-origin"></iframe>'
    )
    text = (
        '<h2 style="font-size:16px">Текстовая версия</h2>'
        f'<pre id="mailbox-letter-text">{escape(letter["text"] or "")}</pre>'
    )
    return _page(letter["subject"], f'<p><a href="{MAILBOX}">← Все письма</a></p>{meta}{frame}{text}')
