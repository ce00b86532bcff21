"""Refuses /_upload requests that are too large or not from a signed-in operator, before the body is read."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex_base.config import get_config
from reflex_base.constants import Endpoint
from reflex_base.event.context import EventContext
from reflex_base.registry import RegistrationContext
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cabinet.clock import utc_now
from cabinet.config import Settings
from cabinet.services.access import is_operator_token
from cabinet.services.images import MAX_IMAGE_BYTES

logger = logging.getLogger(__name__)

# Reflex names a handler "<state's full name>.<method>", the full name being the snake-cased module and
# class of the state and of its parents. Spelled out here because api/ never imports state/;
# tests/api/test_uploads.py checks them against the states themselves.
_ADMIN_STATES = "reflex___state____state.cabinet___state___admin___"
RECEIPT_HANDLER = _ADMIN_STATES + "providers____admin_providers_state.upload_receipt"
REGISTRY_HANDLER = _ADMIN_STATES + "registry____admin_registry_state.upload_registry"
SESSION_STATE = "reflex___state____state.cabinet___state___session____session_state"
# Room for what a browser sends besides the file: boundaries, part headers, the file name.
MULTIPART_OVERHEAD = 64 * 1024
# A Reflex client token is a UUID; anything much longer is not one and is not looked up.
MAX_CLIENT_TOKEN = 100

SessionTokenOf = Callable[[str], Awaitable[str]]
OperatorCheck = Callable[[str], Awaitable[bool]]


def upload_limits(settings: Settings) -> dict[str, int]:
    """Every handler a browser may upload to, with the most bytes a request to it may carry."""
    return {
        RECEIPT_HANDLER: MAX_IMAGE_BYTES + MULTIPART_OVERHEAD,
        REGISTRY_HANDLER: settings.registry_max_bytes + MULTIPART_OVERHEAD,
    }


async def session_token_of_tab(client_token: str) -> str:
    """The sign-in token a browser tab's SessionState holds, read from the running app's state; "" if none."""
    state_cls = RegistrationContext.get().base_states.get(SESSION_STATE)
    manager = EventContext.get().state_manager
    if state_cls is None or not client_token or len(client_token) > MAX_CLIENT_TOKEN:
        return ""
    if isinstance(manager, StateManagerMemory) and client_token not in manager.states:
        # Asking would build a whole new state tree for a made-up token and keep it in memory.
        return ""
    root = await manager.get_state(BaseStateToken(ident=client_token, cls=state_cls))
    return str(root.get_substate(SESSION_STATE.split(".")).session_token or "")


async def operator_signed_in(session_token: str) -> bool:
    if not session_token:
        return False
    # The database is read on a worker thread: the event loop serves every other tab meanwhile.
    return await run_in_threadpool(is_operator_token, raw_token=session_token, now=utc_now())


def upload_path() -> str:
    return get_config().prepend_backend_path(str(Endpoint.UPLOAD))


class UploadGuard:
    """ASGI middleware: POST /_upload passes only for a known handler, within its size, from an operator's tab."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        path: str,
        limits: Mapping[str, int],
        session_token_of: SessionTokenOf,
        is_operator: OperatorCheck,
    ) -> None:
        self.app, self.path, self.limits = app, path, dict(limits)
        self.session_token_of, self.is_operator = session_token_of, is_operator

    def _guarded(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "POST":
            return False
        path = scope["path"]
        return path == self.path or path.startswith(self.path + "/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._guarded(scope):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal, limit = await self._refusal(headers)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self._pass_within(limit, scope, receive, send)

    async def _refusal(self, headers: Headers) -> tuple[JSONResponse | None, int]:
        """Decided from the headers alone, cheapest check first; nothing of the body is read."""
        limit = self.limits.get(headers.get("reflex-event-handler", ""))
        if limit is None:
            return _answer(403, "upload_forbidden"), 0
        length = headers.get("content-length")
        # str.isdigit() also takes "²" or Arabic-Indic digits, which int() then rejects or reads.
        if length is not None and not (length.isascii() and length.isdigit() and len(length) <= 18):
            return _answer(400, "bad_request"), 0
        if length is not None and int(length) > limit:
            return _answer(413, "upload_too_large"), 0
        try:
            allowed = await self.is_operator(await self.session_token_of(headers.get("reflex-client-token", "")))
        except Exception:  # an unreadable state or a database hiccup refuses; it never lets the body in
            logger.exception("Could not tell who is uploading")
            allowed = False
        return (None, limit) if allowed else (_answer(403, "upload_forbidden"), 0)

    async def _pass_within(self, limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        """Hands the request on, cut off (as a client gone away) the moment its body passes `limit`."""
        received, over, started = 0, False, False

        async def counted() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    return {"type": "http.disconnect"}
            return message

        async def answered(message: Message) -> None:
            nonlocal started
            if over and not started:
                return  # the 413 below answers instead
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, answered)
        except Exception:
            if not over:
                raise
        if over and not started:
            # Sent once the inner app has returned: whatever it had spooled is closed by then.
            await _answer(413, "upload_too_large")(scope, receive, send)


def _answer(status: int, error: str) -> JSONResponse:
    return JSONResponse({"error": error}, status_code=status)


def guard_uploads(
    settings: Settings,
    *,
    session_token_of: SessionTokenOf = session_token_of_tab,
    is_operator: OperatorCheck = operator_signed_in,
) -> Callable[[ASGIApp], ASGIApp]:
    """The middleware for rx.App(api_transformer=...); the lookups are parameters so tests can run it alone."""
    limits = upload_limits(settings)

    def wrap(app: ASGIApp) -> ASGIApp:
        return UploadGuard(
            app, path=upload_path(), limits=limits, session_token_of=session_token_of, is_operator=is_operator
        )

    return wrap
