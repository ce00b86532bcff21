"""Resend through its official SDK: one call, send a letter."""

from __future__ import annotations

import threading

import resend
from resend.exceptions import ResendError
from resend.http_client_requests import RequestsClient

from cabinet.config import get_settings
from cabinet.gateways import GatewayError

_configure_lock = threading.Lock()
# The SDK's default client waits 30 s; a stuck send must not hold the outbox that long.
_HTTP_CLIENT = RequestsClient(timeout=15)


def _configure() -> None:
    settings = get_settings()
    with _configure_lock:
        resend.api_key = "re_sandbox" if settings.mail_sandbox else settings.resend_api_key
        resend.api_url = settings.resend_base_url
        resend.default_http_client = _HTTP_CLIENT


def send_email(
    *,
    to: str,
    subject: str,
    html: str,
    text: str,
    idempotency_key: str,
    sender: str | None = None,
    headers: dict[str, str] | None = None,
) -> str:
    """Sends one letter; returns Resend's message id. The key makes a retry after a lost answer safe.

    `headers` are extra mail headers (a reminder's List-Unsubscribe), passed as the SDK's `headers`.
    """
    _configure()
    params: dict = {
        "from": sender or get_settings().mail_from,
        "to": [to],
        "subject": subject,
        "html": html,
        "text": text,
    }
    if headers:
        params["headers"] = headers
    try:
        response = resend.Emails.send(params, {"idempotency_key": idempotency_key})
    except ResendError as error:
        code = int(error.code) if str(error.code).isdigit() else 500
        kind = "unavailable" if code == 429 or code >= 500 else "rejected"
        raise GatewayError(kind, f"{code} {error.message}") from None
    except Exception as error:
        raise GatewayError("unavailable", error.__class__.__name__) from None
    return str(response["id"])
