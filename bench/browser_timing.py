"""Timing inside the page for bench.time_to_data: from a click (or the navigation's start) to data on screen.

TRACKER is added to every page before its own scripts. `window.__ttd.arm(kind, count, fromClick)` starts a
measurement: with `fromClick` its start is the `timeStamp` of the next click event (taken in a capturing
listener on the document, so before any handler of the page), otherwise 0 — the navigation's start,
`performance.now()`'s origin. From then a MutationObserver (every change of the DOM, attributes and text
included) and a requestAnimationFrame loop check whether the kind's data is on screen; the first check
that passes records `performance.now()`. Playwright only reads the result afterwards, so its own
round-trips (the click's, the polling's) are not in the figure. Readiness, by the ids the browser tests
use (docs/testing.md), the same for both apps:

- amounts: `count` elements `[id^=account-to-pay-]`, each laid out with text;
- history: `count` rows `[id^=history-row-]`, each laid out;
- pay: `#pay-amount` laid out and not disabled, and the page's `data-hydrated` is "true" (Reflex has run
  the page's on_load events).
"""

from __future__ import annotations

from tests.e2e.server import wait_for_hydration

EMAIL, PASSWORD = "resident@example.com", "demo2026"  # cabinet/services/demo_data.py
TIMEOUT_MS = 30_000

TRACKER = """
(() => {
  const shown = (el) => el.getClientRects().length > 0;
  const every = (selector, count, test) => {
    const found = document.querySelectorAll(selector);
    return found.length >= count && Array.from(found).every(test);
  };
  const READY = {
    amounts: (count) => every('[id^="account-to-pay-"]', count, (el) => shown(el) && el.textContent.trim() !== ''),
    history: (count) => every('[id^="history-row-"]', count, shown),
    pay: () => {
      const input = document.getElementById('pay-amount');
      const shell = document.querySelector('[data-hydrated]');
      return !!input && !input.disabled && shown(input) && !!shell && shell.getAttribute('data-hydrated') === 'true';
    },
  };
  const t = (window.__ttd = { armed: false });
  const check = () => {
    if (!t.armed || t.start === undefined || !READY[t.kind](t.count)) return;
    t.done = performance.now();
    t.armed = false;
    observer.disconnect();
  };
  const observer = new MutationObserver(check);
  const frame = () => { check(); if (t.armed) requestAnimationFrame(frame); };
  t.arm = (kind, count, fromClick) => {
    Object.assign(t, { kind, count, start: fromClick ? undefined : 0, done: undefined, armed: true });
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    requestAnimationFrame(frame);
  };
  const started = (event) => { if (t.armed && t.start === undefined) t.start = event.timeStamp; };
  document.addEventListener('click', started, true);
  AUTO_ARM
})();
"""


def tracker(auto_arm: tuple[str, int] | None = None) -> str:
    """The init script; with `auto_arm` (kind, count) it measures from the navigation's start."""
    arm = f"t.arm({auto_arm[0]!r}, {auto_arm[1]}, false);" if auto_arm else ""
    return TRACKER.replace("AUTO_ARM", arm)


def arm(page, kind: str, count: int) -> None:
    page.evaluate("([kind, count]) => window.__ttd.arm(kind, count, true)", [kind, count])


def elapsed(page) -> float:
    """Milliseconds from the measurement's start to its data on screen, once there."""
    page.wait_for_function("() => window.__ttd.done !== undefined", polling="raf", timeout=TIMEOUT_MS)
    return page.evaluate("() => window.__ttd.done - window.__ttd.start")


def settle(page, kind: str, count: int) -> None:
    """Waits, untimed, until `kind` is on screen and the page's events are done."""
    page.evaluate("([kind, count]) => window.__ttd.arm(kind, count, false)", [kind, count])
    elapsed(page)
    wait_for_hydration(page)
    page.wait_for_timeout(300)  # the page's own follow-up events (a card's extras) finish before the next click


def new_context(browser, storage_state: dict | None = None, auto_arm: tuple[str, int] | None = None):
    context = browser.new_context(storage_state=storage_state, viewport={"width": 1280, "height": 900})
    context.add_init_script(tracker(auto_arm))
    return context


def signed_in_state(browser, base: str, accounts: int) -> dict:
    """Local storage and cookies of the demo resident signed in through the app's own form."""
    context = new_context(browser)
    page = context.new_page()
    sign_in(page, base, accounts)
    state = context.storage_state()
    context.close()
    return state


def sign_in(page, base: str, accounts: int) -> float:
    """(a) From the click on «Войти» to the dashboard's amounts, in a fresh context."""
    page.goto(base + "/login")
    wait_for_hydration(page)
    page.locator("#login-email").fill(EMAIL)
    page.locator("#login-password").fill(PASSWORD)
    page.wait_for_timeout(300)  # the fields' change events reach the server before the click
    arm(page, "amounts", accounts)
    page.locator("#login-submit").click()
    return elapsed(page)


def sign_in_once(browser, base: str, accounts: int) -> float:
    context = new_context(browser)
    try:
        return sign_in(context.new_page(), base, accounts)
    finally:
        context.close()


def cold_open(context, base: str) -> float:
    """(b) A new tab of a signed-in browser opens «/»: from the navigation's start to the amounts."""
    page = context.new_page()
    try:
        page.goto(base + "/")
        return elapsed(page)
    finally:
        page.close()


def in_app(page, accounts: int, click: str, kind: str, count: int) -> float:
    """(c), (d) From the dashboard, a click on `click` to `kind` on screen; back to the dashboard after."""
    if not page.evaluate("() => location.pathname === '/'"):
        page.locator("#nav-home").click()
    settle(page, "amounts", accounts)
    arm(page, kind, count)
    page.locator(click).first.click()
    return elapsed(page)
