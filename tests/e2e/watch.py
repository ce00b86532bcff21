"""What a page showed on the way, not only where it ended: every text of some elements, and errors.

A check such as `expect(...).to_have_text(new)` passes even when the old figure stood there for a
moment first; these record each version of the elements as the DOM changes (a MutationObserver
installed before the page's own scripts), so a test can assert that a stale one never appeared.
"""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page

_RECORDER = """
(() => {
  const selector = %s;
  window.__shown = [];
  const record = () => {
    const now = Array.from(document.querySelectorAll(selector), (element) => `${element.id}=${element.textContent}`);
    const line = now.join("\\n");
    if (window.__shown[window.__shown.length - 1] !== line) window.__shown.push(line);
  };
  new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true });
})();
"""


def record_shown(page: Page, selector: str) -> None:
    """From the next document on: every distinct set of `id=text` of the elements matching `selector`."""
    page.add_init_script(_RECORDER % json.dumps(selector))


def shown(page: Page) -> list[list[str]]:
    """What `record_shown` saw in the current document, oldest first; each entry the `id=text` present then."""
    return [line.split("\n") if line else [] for line in page.evaluate("window.__shown || []")]


def clear_shown(page: Page) -> None:
    page.evaluate("window.__shown = []")


def watch_page_errors(page: Page) -> list[str]:
    """Uncaught exceptions and console errors of the page; a test asserts the list stays empty."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text} ({message.location.get('url', '')})")
            if message.type == "error"
            else None
        ),
    )
    return errors


class HeldAnswers:
    """Holds the backend's answers to the page (the Reflex websocket) while `holding`; `release` sends them on.

    What a page shows before its data arrives is then on screen for as long as a test needs, with no
    timing in the test: the page must show its placeholder, never the previous visit's figures.
    """

    def __init__(self, page: Page) -> None:
        self.holding = False
        self._held: list = []
        self._socket = None
        page.route_web_socket(re.compile(r"/_event"), self._route)

    def _route(self, socket) -> None:
        self._socket = socket
        server = socket.connect_to_server()
        server.on_message(lambda message: self._held.append(message) if self.holding else socket.send(message))

    def release(self) -> None:
        self.holding = False
        held, self._held = self._held, []
        for message in held:
            self._socket.send(message)
