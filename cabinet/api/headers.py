"""Security headers on every answer: frame denial, nosniff, referrer, permissions, HSTS, CSP."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cabinet.config import Settings

logger = logging.getLogger(__name__)

Header = tuple[bytes, bytes]

# Browser features the cabinet never uses, so a script slipped into a page gets none of them. Only names
# Chromium knows: it logs an unknown one as a console error.
DISABLED_FEATURES = (
    "accelerometer",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
HSTS = "max-age=31536000; includeSubDomains"
# Where an inline script starts and ends, as the HTML parser cuts it: at the first `</script`.
_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script", re.IGNORECASE | re.DOTALL)
_EXTERNAL_SCRIPT = re.compile(r"(?:^|\s)src\s*=", re.IGNORECASE)


def inline_script_hashes(pages: Path) -> tuple[str, ...]:
    """CSP sources ('sha256-…') of every inline script in the built pages under `pages`, sorted, no repeats.

    The production build pre-renders every page, so its inline scripts (theme, scroll restoration,
    React Router's hydration data and module loader) are fixed text that hashes once at start-up;
    script-src then needs no 'unsafe-inline', and a script injected into a page runs nowhere.
    """
    sources = set()
    for document in pages.rglob("*.html") if pages.is_dir() else ():
        # The parser turns CRLF into LF before a browser hashes the text.
        text = document.read_text(encoding="utf-8").replace("\r\n", "\n")
        for attributes, body in _INLINE_SCRIPT.findall(text):
            if body and not _EXTERNAL_SCRIPT.search(attributes):
                digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
                sources.add(f"'sha256-{digest}'")
    return tuple(sorted(sources))


def built_pages() -> Path:
    """Where `reflex run --env prod` serves the compiled pages from (reflex.utils.exec.get_frontend_mount)."""
    from reflex.utils import prerequisites
    from reflex_base import constants
    from reflex_base.config import get_config

    return prerequisites.get_web_dir() / constants.Dirs.STATIC / get_config().frontend_path.strip("/")


def _socket_origin(settings: Settings) -> str:
    scheme, _, rest = settings.public_origin.partition("://")
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}"


def _https_origins(hosts: Iterable[str]) -> list[str]:
    return [f"https://{host}" for host in hosts]


def content_security_policy(settings: Settings, script_hashes: Iterable[str]) -> str:
    """The policy every page works under; the browser test walks all of them with it enforced."""
    directives = {
        "default-src": ["'self'"],
        # 'unsafe-eval': Reflex runs rx.call_script's code with eval(), and state/pay.py and state/receipt.py use it
        # to leave for the checkout and to print a receipt; an injected <script> still runs nowhere.
        "script-src": ["'self'", *script_hashes, "'unsafe-eval'"],
        # 'unsafe-inline' for styles only: Emotion writes each component's CSS into <style> tags as it
        # renders, Radix positions popovers with style attributes, and the demo stand-ins' pages and the
        # letters in the demo mailbox carry theirs inline. Styles cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"],
        # Pictures are ours (shipped, or uploaded by operators) or a receipt's on RECEIPT_IMAGE_HOSTS.
        "img-src": ["'self'", *_https_origins(settings.receipt_image_hosts)],
        # 'self' covers the page's own ws/wss in current browsers; PUBLIC_URL's socket is named for the rest.
        "connect-src": ["'self'", _socket_origin(settings)],
        # YooKassa's checkout is reached by navigation, never by a form: only our own forms may post.
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def security_header_values(settings: Settings, script_hashes: Iterable[str] = ()) -> list[Header]:
    """The headers added to every HTTP answer, names in lower case as ASGI carries them."""
    headers = {
        "content-security-policy": content_security_policy(settings, script_hashes),
        # The older header for browsers that ignore frame-ancestors: no site may frame the cabinet.
        "x-frame-options": "DENY",
        "x-content-type-options": "nosniff",
        # Other sites (YooKassa among them) learn only our origin, never a page's path or query.
        "referrer-policy": "strict-origin-when-cross-origin",
        "permissions-policy": ", ".join(f"{feature}=()" for feature in DISABLED_FEATURES),
    }
    # Only a cabinet reached over https may tell browsers to refuse plain http for a year.
    if urllib.parse.urlsplit(settings.public_url).scheme == "https":
        headers["strict-transport-security"] = HSTS
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


class SecurityHeaders:
    """ASGI middleware: adds each header to every HTTP answer that does not already carry it."""

    def __init__(self, app: ASGIApp, headers: list[Header]) -> None:
        self.app, self.headers = app, headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            # The socket's handshake answer is no page: nothing to frame, sniff or restrict.
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = list(message.get("headers", ()))
                # A route's own value is deliberate (a picture's nosniff, a page's own policy): it stays.
                present = {name.lower() for name, _ in own}
                message = {**message, "headers": own + [h for h in self.headers if h[0] not in present]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def security_headers(settings: Settings, *, pages: Callable[[], Path] = built_pages) -> Callable[[ASGIApp], ASGIApp]:
    """The middleware for rx.App(api_transformer=...); `pages` says where the built pages are."""

    def wrap(app: ASGIApp) -> ASGIApp:
        # Reflex builds the ASGI app in each worker after the frontend build, so the pages exist here.
        hashes = inline_script_hashes(pages())
        logger.info("Content-Security-Policy allows %d inline scripts of the built pages", len(hashes))
        return SecurityHeaders(app, security_header_values(settings, hashes))

    return wrap
