"""What every browser test watches for: errors in the page's scripts, console errors, policy violations.

A page that throws or logs an error works for the test that opened it only by luck, so any of
these fails the test. `watched(page)` arms a page; the `page` and `new_page` fixtures use it.
"""

from __future__ import annotations

import re

from tests.e2e.server import hydrating

# Chromium reports a blocked script, eval, style, picture or connection as this event in the document, and
# most of them as a console error too; a refused frame only as a console error of the page framing it.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => window.__cspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${event.documentURI}`));
"""

# Console errors that are not faults, each with why. Kept short on purpose.
ALLOWED_CONSOLE_ERRORS = [
    # A test that opens an address no page has, on purpose: the server answers 404 with the
    # app's «Страница не найдена» page, and Chromium logs the 404 status of that document.
    re.compile(r"^Failed to load resource: the server responded with a status of 404"),
]


def watch_csp_violations(page) -> list[str]:
    """Every Content-Security-Policy violation in any document the page opens, as it happens."""
    violations: list[str] = []
    page.expose_function("__cspViolation", lambda text: violations.append(text))
    page.add_init_script(_REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def _console_error(message) -> str | None:
    if message.type != "error" or "Content Security Policy" in message.text:
        return None  # policy violations have a list of their own
    if any(pattern.search(message.text) for pattern in ALLOWED_CONSOLE_ERRORS):
        return None
    where = message.location.get("url", "")
    return f"console error: {message.text} ({where})"


def watch_client_errors(page) -> list[str]:
    """Every uncaught error of the page's scripts and every console error not allowed above."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda message: (text := _console_error(message)) and errors.append(text))
    return errors


def watched(page):
    """Arms `page`: `page.csp_violations` and `page.client_errors` fill as things happen.

    A test that provokes one on purpose clears the list; `assert_clean(page)` checks both.
    """
    page.csp_violations = watch_csp_violations(page)
    page.client_errors = watch_client_errors(page)
    return hydrating(page)


def assert_clean(page) -> None:
    assert not page.csp_violations, f"Content-Security-Policy violations: {page.csp_violations}"
    assert not page.client_errors, f"Errors in the browser: {page.client_errors}"
