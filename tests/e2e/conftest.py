"""Browser-test fixtures: Debian's Chromium driven by Playwright, and the running app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.server import hydrating, run_app

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def app_server():
    """The app as `make run` serves it: SQLite and in-process state."""
    with run_app() as app:
        yield app


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# Chromium reports a blocked script, eval, style, picture or connection as this event in the document, and
# most of them as a console error too; a refused frame only as a console error of the page framing it.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => window.__cspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${event.documentURI}`));
"""


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


@pytest.fixture
def page(page):
    """pytest-playwright's page, whose `goto` waits for the page's state to arrive.

    Any Content-Security-Policy violation fails the test: a policy the app does not really work under
    breaks pages silently. `page.csp_violations` lists them; a test that provokes one on purpose clears it.
    """
    page.csp_violations = watch_csp_violations(page)
    yield hydrating(page)
    assert not page.csp_violations, f"Content-Security-Policy violations: {page.csp_violations}"
