"""A phone's browser: 375 px wide, touch, mobile viewport — for the shots of how a page looks there."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from playwright.sync_api import Browser, Page

from tests.e2e.client_errors import assert_clean, watched


@contextlib.contextmanager
def phone_page(browser: Browser) -> Iterator[Page]:
    """Watched like the `page` fixture's: a client error or policy violation fails the test."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, has_touch=True, is_mobile=True)
    page = watched(context.new_page())
    try:
        yield page
    finally:
        context.close()
    assert_clean(page)


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
