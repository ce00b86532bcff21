"""The start page renders in Chromium with the demo providers, at desktop and phone width."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

WIDTHS = {"desktop": 1280, "phone": 375}


@pytest.mark.parametrize("screen", WIDTHS)
def test_start_page_shows_steps_and_providers(app_server, page: Page, screenshot_dir, screen):
    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    page.goto(app_server.url + "/")

    expect(page.locator("#start-title")).to_have_text("Личный кабинет клиента")
    expect(page.locator("#start-steps [id^=start-step-]")).to_have_count(4)
    providers = page.locator("#start-providers [id^=start-provider-]")
    expect(providers.first).to_be_visible()
    assert providers.count() >= 3
    expect(page.locator("#demo-badge")).to_have_text(re.compile("Демо-режим"))
    expect(page.locator("#footer-support-link")).to_have_attribute("href", "mailto:support@смородина.онлайн")
    assert page.evaluate("document.documentElement.lang") == "ru"
    page.screenshot(path=str(screenshot_dir / f"start-{screen}.png"), full_page=True)
    # Nothing may stick out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[screen]


def test_receipt_hint_opens_with_a_legible_picture(app_server, page: Page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(app_server.url + "/")
    first = page.locator("#start-providers [id^=start-provider-]").first
    first.locator("summary").click()
    picture = first.locator("img")
    expect(picture).to_be_visible()
    # A lazy image: wait until the browser has decoded it before measuring.
    picture.evaluate("img => img.complete ? null : new Promise(done => img.addEventListener('load', done))")
    assert picture.evaluate("img => img.naturalWidth") >= 600


def test_unknown_address_shows_the_not_found_page(app_server, page: Page):
    page.goto(app_server.url + "/no-such-page")
    expect(page.locator("#not-found-title")).to_have_text("Страница не найдена")


def test_health_reports_version_and_database(app_server):
    response = httpx.get(app_server.url + "/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok" and body["version"]
