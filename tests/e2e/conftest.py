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


@pytest.fixture
def page(page):
    """pytest-playwright's page, whose `goto` waits for the page's state to arrive."""
    return hydrating(page)
