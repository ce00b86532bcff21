"""Browser-test fixtures: Debian's Chromium driven by Playwright, and the running app."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.client_errors import assert_clean, watched
from tests.e2e.server import run_app

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


@pytest.fixture
def page(page):
    """pytest-playwright's page, whose `goto` waits for the page's state to arrive.

    Any error in the page's scripts, console error or Content-Security-Policy violation fails the
    test (`tests/e2e/client_errors.py`): a policy the app does not really work under, or a handler that
    throws, breaks pages silently. A test that provokes one on purpose clears `page.client_errors`
    or `page.csp_violations`.
    """
    yield watched(page)
    assert_clean(page)


@pytest.fixture
def new_page(browser):
    """Opens more watched pages, each in a context of its own unless one is given:
    `new_page(viewport=..., has_touch=True)` or `new_page(context=a_context)`.

    Every page is checked like the `page` fixture's when the test ends.
    """
    opened, contexts = [], []

    def open_page(*, context=None, **context_options):
        if context is None:
            context = browser.new_context(**context_options)
            contexts.append(context)
        opened.append(watched(context.new_page()))
        return opened[-1]

    yield open_page
    for context in contexts:
        context.close()
    for each in opened:
        assert_clean(each)
