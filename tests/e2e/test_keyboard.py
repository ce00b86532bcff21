"""From sign-in to the checkout with the keyboard alone: Tab, Enter, Space, arrow keys and typing,
never a click; wherever focus lands, it shows."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

MAX_TABS = 60

# The focused element, or the field frame around a focused input (Radix draws a text field's ring on
# the frame), shows a ring: an outline or a box shadow.
_FOCUS_SHOWN = """() => {
    const focused = document.activeElement;
    if (focused === document.body) return "";  // nothing has focus: the page was re-rendered under it
    const shows = (element) => {
        const style = getComputedStyle(element);
        const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
        return outline || style.boxShadow !== "none";
    };
    let element = focused;
    for (let level = 0; element && level < 3; level += 1, element = element.parentElement) {
        if (shows(element)) return "";
    }
    return focused.outerHTML.slice(0, 160);
}"""


def _focused_id(page: Page) -> str:
    return page.evaluate("() => document.activeElement.id || (document.activeElement.closest('[id]') || {}).id || ''")


def _tab_to(page: Page, pattern: str) -> str:
    """Presses Tab until an element whose id matches `pattern` has focus; focus shows at every stop."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        hidden = page.evaluate(_FOCUS_SHOWN)
        assert not hidden, f"focus is not visible on {hidden}"
        focused = _focused_id(page)
        if re.fullmatch(pattern, focused):
            return focused
    raise AssertionError(f"Tab never reached #{pattern} on {page.url}")


def test_sign_in_and_reach_the_checkout_with_the_keyboard_alone(app_server, page: Page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(app_server.url + "/login")
    _tab_to(page, "login-email")
    page.keyboard.type("resident@example.com")
    _tab_to(page, "login-password")
    page.keyboard.type("demo2026")
    page.keyboard.press("Enter")
    expect(page.locator("#nav-sign-out")).to_be_visible()
    expect(page.locator("[id^=account-pay-]").first).to_be_visible()

    _tab_to(page, r"account-pay-\d+")
    page.keyboard.press("Enter")
    expect(page.locator("#pay-submit")).to_be_visible()

    _tab_to(page, "pay-mode-debt")  # the group's chosen radio takes focus; the arrow picks the other
    expect(page.locator("#pay-mode-debt")).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#pay-mode-custom")).to_be_checked()
    expect(page.locator("#pay-mode-custom")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#pay-mode-debt")).to_be_checked()
    page.keyboard.press("ArrowDown")
    _tab_to(page, "pay-amount")
    page.keyboard.type("10,00")
    expect(page.locator("#pay-summary")).to_contain_text("10,00")
    _tab_to(page, "pay-submit")
    page.keyboard.press("Space")

    expect(page.locator("#sandbox-pay")).to_be_visible()
    _tab_to(page, "sandbox-pay")
    page.keyboard.press("Enter")
    expect(page.locator("#payment-status")).to_have_text("Оплачено", timeout=20_000)
