"""Where an in-app navigation's time goes: the browser's part against the server's, cabinet and minimal app.

    .venv/bin/python -m bench.navigation_trace [--navigations 8]

A diagnostic beside bench.time_to_data, on the same two apps. For each link (from the dashboard, route code
already loaded: the first visit of each route is left out) it reports medians, in page time from the click:
when the first event-socket frame left (Reflex's update_vars_internal), when on_load_internal left, when the
last delta came in before the data was on screen, the data on screen, how many deltas and React commits
that took (commits counted through a stand-in of React's DevTools hook). Then the server alone: the same two
events sent over a bare WebSocket (bench.events's Tab) and the time until `is_hydrated` and the page's
data came back, with no browser rendering between the deltas.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time

from playwright.sync_api import sync_playwright

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench import browser_timing as timing
from bench import minimal_app
from bench.events import ROOT, SESSION, Tab
from bench.time_to_data import database_url, seed_payments
from tests.e2e.conftest import CHROMIUM_ARGS
from tests.e2e.server import run_app

RECORDER = """
(() => {
  const frames = (window.__frames = []), commits = (window.__commits = []);
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => frames.push([performance.now(), 'in', String(e.data).slice(0, 200)]));
    }
    send(data) { frames.push([performance.now(), 'out', String(data).slice(0, 200)]); return super.send(data); }
  };
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = { isDisabled: false, supportsFiber: true, renderers: new Map(),
    inject() { return 1; }, checkDCE() {}, onScheduleFiberRoot() {}, onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {}, onCommitFiberRoot() { commits.push(performance.now()); } };
})();
"""
# (link to click, what is on screen when done: a selector, its page's path for the bare socket, the data's var)
LINKS = {
    "ours": [
        ("#nav-payments", "[id^=history-row-]", "/payments", "rows"),
        ("[id^=account-pay-]", "#pay-amount", "/accounts/1/pay", "summary"),
        ("#footer-support-page", "#support-title", "/support", None),
    ],
    "reference": [
        ("#nav-payments", "[id^=history-row-]", "/payments", "payments"),
        ("[id^=account-pay-]", "#pay-amount", "/pay/1", "pay"),
    ],
}
WATCH = """([selector]) => {
  const t = window.__ttd, shown = () => {
    const found = document.querySelector(selector), shell = document.querySelector('[data-hydrated]');
    return !!found && found.getClientRects().length > 0 && shell?.getAttribute('data-hydrated') === 'true';
  };
  Object.assign(t, { start: undefined, done: undefined });
  window.__frames.length = 0;
  window.__commits.length = 0;
  document.addEventListener('click', (event) => { t.start = event.timeStamp; }, { capture: true, once: true });
  const observer = new MutationObserver(() => {
    if (t.start !== undefined && shown()) { t.done = performance.now(); observer.disconnect(); }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}"""


def one_navigation(page, accounts: int, link: str, ready: str) -> dict[str, float]:
    if not page.evaluate("() => location.pathname === '/'"):
        page.locator("#nav-home").click()
    timing.settle(page, "amounts", accounts)
    page.evaluate(WATCH, [ready])
    page.locator(link).first.click()
    timing.elapsed(page)
    start, done = page.evaluate("() => [window.__ttd.start, window.__ttd.done]")
    frames = page.evaluate("() => window.__frames")
    sent = [moment - start for moment, direction, _text in frames if direction == "out"]
    came = [moment - start for moment, direction, _text in frames if direction == "in" and moment <= done]
    on_load = next((moment - start for moment, _d, text in frames if "on_load_internal" in text), float("nan"))
    return {
        "data on screen": done - start,
        "first frame out": sent[0] if sent else float("nan"),
        "on_load_internal out": on_load,
        "last delta in": came[-1] if came else float("nan"),
        "deltas": len(came),
        "React commits": len([moment for moment in page.evaluate("() => window.__commits") if moment <= done]),
    }


def in_browser(browser, base: str, links: list, accounts: int, navigations: int) -> tuple[dict, dict]:
    state = timing.signed_in_state(browser, base, accounts)
    context = timing.new_context(browser, state)
    context.add_init_script(RECORDER)
    page = context.new_page()
    page.goto(base + "/")
    figures = {}
    for link, ready, _path, _var in links:
        runs = [one_navigation(page, accounts, link, ready) for _ in range(navigations + 1)][1:]
        figures[link] = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
    context.close()
    return figures, state


def token_of(state: dict) -> str:
    storage = [item for origin in state["origins"] for item in origin["localStorage"]]
    return next(item["value"] for item in storage if item["name"] == "cabinet_session")


def server_alone(base: str, storage: dict, path: str, var: str | None, times: int = 12) -> float:
    """Median ms from sending a navigation's two events to is_hydrated and the data, over a bare socket."""
    tab, samples = Tab(base, "/"), []
    tab.idle(1)
    for _ in range(times):
        started, hydrated, data = time.perf_counter(), False, var is None
        tab.send(f"{ROOT}.reflex___state____update_vars_internal_state.update_vars_internal", {"vars": storage}, path)
        tab.send(f"{ROOT}.reflex___state____on_load_internal_state.on_load_internal", {}, path)
        while not (hydrated and data):
            message = tab._receive(30)
            if message.startswith("42/_event,"):
                delta = json.loads(message[len("42/_event,") :])[1].get("delta", {})
                hydrated = hydrated or delta.get(ROOT, {}).get("is_hydrated_rx_state_") is True
                data = data or any(f"{var}_rx_state_" in values for values in delta.values())
        samples.append((time.perf_counter() - started) * 1000)
    tab.close()
    return statistics.median(samples[2:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--navigations", type=int, default=8)
    args = parser.parse_args()
    with run_app() as app:
        counts = seed_payments(app)
        with minimal_app.minimal_app(database_url(app)) as reference, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            bases = {"ours": app.url, "reference": reference}
            for name, base in bases.items():
                figures, state = in_browser(browser, base, LINKS[name], counts["accounts"], args.navigations)
                token = token_of(state)
                storage = (
                    {f"{SESSION}.session_token_rx_state_": token, f"{SESSION}.browser_marker_rx_state_": "remembered"}
                    if name == "ours"
                    else {f"{minimal_app.STATE}.session_token_rx_state_": token}
                )
                print(f"\n{name} ({base}), medians of {args.navigations} warm navigations from the dashboard, ms:")
                for link, ready, path, var in LINKS[name]:
                    shown = ", ".join(f"{key} {value:.0f}" for key, value in figures[link].items())
                    print(f"  {link} → {ready}: {shown}; server alone {server_alone(base, storage, path, var):.1f}")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
