"""«Задать вопрос» from any page: a resident about an account, a visitor with an address."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from tests.e2e.mailbox import count_letters
from tests.e2e.test_accounts_and_readings import _sign_in


def test_a_resident_asks_about_an_account_and_gets_a_copy(app_server, page: Page, screenshot_dir):
    base = app_server.url
    _sign_in(page, base, "resident@example.com", "demo2026")
    before = count_letters(base, to="abonent@gaz-servis.ru"), count_letters(base, to="resident@example.com")
    page.locator("#question-open").click()
    expect(page.locator("#question-dialog")).to_be_visible()
    expect(page.locator("#question-mailto")).to_have_attribute("href", re.compile(r"^mailto:"))
    page.locator("#question-message").fill("Коротко")
    page.locator("#question-send").click()
    expect(page.locator("#question-message-error")).to_contain_text("подробнее")
    page.locator("#question-account").click()
    page.get_by_role("option", name=re.compile("Дача")).click()
    page.locator("#question-message").fill("Показания газа не уходят: пишет, что расход слишком большой.")
    page.screenshot(path=str(screenshot_dir / "question-desktop.png"))
    page.locator("#question-send").click()
    expect(page.locator("#question-sent")).to_contain_text("отправлен")
    # The provider's support gets the question, the resident a copy, through the outbox.
    deadline = time.monotonic() + 30
    while not (
        count_letters(base, to="abonent@gaz-servis.ru") > before[0]
        and count_letters(base, to="resident@example.com") > before[1]
    ):
        assert time.monotonic() < deadline, "the letters did not arrive in the mailbox"
        time.sleep(0.5)
    page.locator("#question-done").click()
    expect(page.locator("#question-dialog")).to_have_count(0)


def test_a_visitor_asks_with_an_address(app_server, page: Page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(app_server.url + "/login")
    page.locator("#question-open").click()
    page.locator("#question-email").fill("guest")
    page.locator("#question-message").fill("Как подключить лицевой счёт управляющей компании?")
    page.locator("#question-send").click()
    expect(page.locator("#question-email-error")).to_be_visible()
    expect(page.locator("#question-message")).to_have_value("Как подключить лицевой счёт управляющей компании?")
    page.locator("#question-email").fill("guest@example.com")
    page.locator("#question-send").click()
    expect(page.locator("#question-sent")).to_be_visible()
