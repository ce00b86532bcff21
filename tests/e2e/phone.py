"""A phone's browser: 375 px wide, touch, mobile viewport — for the shots of how a page looks there."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from playwright.sync_api import Browser, Page

from tests.e2e.server import hydrating


@contextlib.contextmanager
def phone_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 375, "height": 812}, has_touch=True, is_mobile=True)
    try:
        yield hydrating(context.new_page())
    finally:
        context.close()


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
