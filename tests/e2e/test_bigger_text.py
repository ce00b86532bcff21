"""Bigger text: 200 % zoom at 375 px (a 187 px wide viewport drawn at twice the pixels) with a larger
default font. On the resident's main pages nothing runs off the side and no text is cut off by a box
that hides its overflow. The screenshots go to docs/screenshots/zoom-<page>.png: look at them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import FADES_DONE
from tests.e2e.test_journey import a_paid_payment  # noqa: F401  (the history has a row to squeeze)

# A desktop browser window 375 px wide at 200 %: 187 CSS pixels, each drawn twice as large. Not a
# mobile viewport, which would widen itself to fit what runs off.
ZOOMED = {"viewport": {"width": 187, "height": 400}, "device_scale_factor": 2}
# The browser's «larger font» setting: the root font size that rem and em sizes follow.
LARGER_FONT = "document.addEventListener('DOMContentLoaded', () => document.documentElement.style.fontSize = '20px')"

# Text cut off by an ancestor whose overflow is hidden or clipped. Boxes of a pixel or less are
# screen-reader-only text, hidden from sight on purpose.
_CLIPPED_TEXT = """() => {
    const cut = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const text = range.getBoundingClientRect();
        if (text.width === 0 || text.height === 0) continue;
        for (let box = node.parentElement; box && box !== document.body; box = box.parentElement) {
            const style = getComputedStyle(box);
            if (!/hidden|clip/.test(style.overflowX + " " + style.overflowY)) continue;
            const frame = box.getBoundingClientRect();
            if (frame.width <= 1 || frame.height <= 1) break;
            const sideways = text.left < frame.left - 1 || text.right > frame.right + 1;
            const upOrDown = text.top < frame.top - 1 || text.bottom > frame.bottom + 1;
            const cutX = /hidden|clip/.test(style.overflowX) && sideways;
            if (cutX || (/hidden|clip/.test(style.overflowY) && upOrDown)) {
                const where = `${box.tagName.toLowerCase()}#${box.id}.${box.className}`;
                cut.push(`«${node.textContent.trim().slice(0, 40)}» in ${where}`.slice(0, 200));
                break;
            }
        }
    }
    return cut;
}"""


# Words squeezed to a few letters a line (a narrow flex column whose text may break anywhere): a word of
# four letters or more over three lines or more. One break — a long address, a long title word — is allowed.
_SQUEEZED_WORDS = """() => {
    const squeezed = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        for (const word of node.textContent.matchAll(/\\S{4,}/g)) {
            const range = document.createRange();
            range.setStart(node, word.index);
            range.setEnd(node, word.index + word[0].length);
            const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
            if (lines.size > 2) squeezed.push(word[0].slice(0, 30));
        }
    }
    return squeezed;
}"""

# Text drawn over other text: the boxes of two text runs overlapping by more than 3 px each way.
_OVERLAPPING_TEXT = """() => {
    const runs = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const box of range.getClientRects()) {
            if (box.width > 0 && box.height > 0) runs.push({text: node.textContent.trim().slice(0, 30), box});
        }
    }
    const overlaps = [];
    for (let i = 0; i < runs.length; i += 1) {
        for (let j = i + 1; j < runs.length; j += 1) {
            const [a, b] = [runs[i].box, runs[j].box];
            const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (x > 3 && y > 3) overlaps.push(`«${runs[i].text}» over «${runs[j].text}»`);
        }
    }
    return overlaps;
}"""

# What runs off the right edge: the outermost such elements, to say what to fix.
_RUNS_OFF = """() => {
    const edge = window.innerWidth + 1;
    const off = (element) => element && element.getBoundingClientRect().right > edge;
    return [...document.querySelectorAll("body *")]
        .filter((element) => off(element) && !off(element.parentElement))
        .map((element) => `${element.tagName.toLowerCase()}#${element.id} «${element.textContent.slice(0, 30)}»`);
}"""


def _sign_in(page: Page, base: str) -> None:
    page.goto(base + "/login")
    page.locator("#login-email").fill("resident@example.com")
    page.locator("#login-password").fill("demo2026")
    page.locator("#login-submit").click()
    # «Выйти» inline from 768 px up, inside «Меню» below: either one showing means signed in.
    expect(page.locator("#nav-sign-out:visible, #nav-menu:visible")).to_be_visible()


def _open(page: Page, base: str, name: str) -> None:
    if name in ("pay", "readings"):
        page.goto(base + "/")
        card = page.locator("[id^=account-card-]", has_text="Газ-Сервис")
        page.goto(base + card.locator(f"[id^=account-{name}-]").get_attribute("href"))
    else:
        page.goto(
            base + {"dashboard": "/", "history": "/payments", "settings": "/settings"}.get(name, "/accounts/connect")
        )
    expect(page.locator(f"#{name}-title")).to_be_visible()
    page.wait_for_function(FADES_DONE)


@pytest.mark.parametrize("name", ["dashboard", "pay", "readings", "history", "settings", "connect"])
@pytest.mark.usefixtures("a_paid_payment")
def test_zoomed_text_is_neither_cut_nor_runs_off(app_server, new_page, screenshot_dir, name):
    page = new_page(**ZOOMED)
    page.add_init_script(LARGER_FONT)
    _sign_in(page, app_server.url)
    _open(page, app_server.url, name)
    page.screenshot(path=str(screenshot_dir / f"zoom-{name}.png"), full_page=True)
    width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    runs_off, cut = page.evaluate(_RUNS_OFF), page.evaluate(_CLIPPED_TEXT)
    assert width[0] <= width[1] + 1 and not cut, f"{width[0]} px wide in {width[1]} px: {runs_off}; cut: {cut}"
    assert page.evaluate(_SQUEEZED_WORDS) == []
    assert page.evaluate(_OVERLAPPING_TEXT) == []
