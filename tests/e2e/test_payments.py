"""Paying through the YooKassa stand-in: the debt, an own amount with readings, cancel and retry, history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_accounts_and_readings import _number_from, _sign_in

WIDTHS = {"desktop": 1280, "phone": 375}


def _card(page: Page, provider: str):
    return page.locator("[id^=account-card-]", has_text=provider)


def _open_pay(page: Page, base: str, provider: str) -> None:
    page.goto(base + "/")
    _card(page, provider).locator("[id^=account-pay-]").click()
    expect(page.locator("#pay-title")).to_be_visible()


def _pay_at_checkout(page: Page) -> None:
    expect(page.locator("#sandbox-pay")).to_be_visible()
    page.locator("#sandbox-pay").click()
    expect(page).to_have_url(re.compile(r"/payments/\d+/?$"))
    expect(page.locator("#payment-status")).to_have_text("Оплачено", timeout=20_000)


def test_pay_the_debt(app_server, page: Page, screenshot_dir):
    base = app_server.url
    _sign_in(page, base, "resident@example.com", "demo2026")
    owed = _card(page, "Водоканал").locator("[id^=account-to-pay-]").inner_text()
    _open_pay(page, base, "Водоканал")
    expect(page.locator("#pay-mode-debt")).to_have_attribute("aria-checked", "true")
    expect(page.locator("#pay-summary")).to_have_text(owed)
    expect(page.locator("#pay-receipt-email")).to_contain_text("resident@example.com")
    page.screenshot(path=str(screenshot_dir / "pay-desktop.png"), full_page=True)
    page.locator("#pay-submit").click()
    expect(page.locator("#sandbox-amount")).to_have_text(owed)
    page.screenshot(path=str(screenshot_dir / "sandbox-checkout.png"), full_page=True)
    _pay_at_checkout(page)
    expect(page.locator("#payment-amount")).to_have_text(owed)
    page.screenshot(path=str(screenshot_dir / "payment-succeeded-desktop.png"), full_page=True)

    page.locator("#payment-receipt-link").click()
    expect(page.locator("#receipt-amount")).to_have_text(owed)
    expect(page.locator("#receipt-inn")).to_have_text(re.compile(r"^\d{10}$"))
    page.screenshot(path=str(screenshot_dir / "receipt-desktop.png"), full_page=True)

    page.goto(base + "/")
    card = _card(page, "Водоканал")
    expect(card.locator("[id^=account-to-pay-]")).to_have_text("Долга нет")
    expect(card.locator("[id^=account-last-payment-]")).to_contain_text(owed)
    card.locator("[id^=account-charts-toggle-]").click()
    expect(card.locator("[id^=chart-payments-] .recharts-bar-rectangle").first).to_be_visible()


def test_pay_an_own_amount_with_readings(app_server, page: Page, screenshot_dir):
    base = app_server.url
    _sign_in(page, base, "resident@example.com", "demo2026")
    _open_pay(page, base, "Газ-Сервис")
    page.locator("#pay-mode-custom").click()
    page.locator("#pay-amount").fill("0,5")
    page.locator("#pay-submit").click()
    expect(page.locator("#pay-amount-error")).to_contain_text("от 1,00")
    page.locator("#pay-amount").fill("500,50")
    expect(page.locator("#pay-summary")).to_have_text("500,50\u00a0₽")

    page.locator("#pay-with-readings").click()
    field = page.locator("input[id^=reading-]").first
    meter_id = field.get_attribute("id").removeprefix("reading-")
    previous = _number_from(page.locator(f"#reading-{meter_id}-previous").inner_text())
    field.fill(f"{int(previous) + 30}")
    page.screenshot(path=str(screenshot_dir / "pay-with-readings-desktop.png"), full_page=True)
    page.locator("#pay-submit").click()
    _pay_at_checkout(page)
    expect(page.locator("#payment-amount")).to_have_text("500,50\u00a0₽")

    page.goto(f"{base}/")
    last = page.locator(f"#meter-last-{meter_id}")
    expect(last).to_contain_text("передано при оплате")
    assert _number_from(last.inner_text()) == float(int(previous) + 30)


def test_cancel_at_checkout_then_pay_again_and_see_the_history(app_server, page: Page, screenshot_dir):
    base = app_server.url
    _sign_in(page, base, "resident@example.com", "demo2026")
    _open_pay(page, base, "Энергосбыт")
    page.locator("#pay-mode-custom").click()
    page.locator("#pay-amount").fill("100")
    page.locator("#pay-submit").click()
    page.locator("#sandbox-reason").select_option("insufficient_funds")
    page.locator("#sandbox-cancel").click()
    expect(page.locator("#payment-status")).to_have_text("Отменён", timeout=20_000)
    expect(page.locator("#payment-reason")).to_have_text("Недостаточно денег на карте.")
    page.screenshot(path=str(screenshot_dir / "payment-canceled-desktop.png"), full_page=True)
    canceled_url = page.url

    page.locator("#payment-pay-again").click()
    page.locator("#pay-mode-custom").click()
    page.locator("#pay-amount").fill("100")
    page.locator("#pay-submit").click()
    _pay_at_checkout(page)

    page.goto(base + "/payments")
    rows = page.locator("[id^=history-row-]")
    expect(rows.first).to_be_visible()
    canceled_id = canceled_url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.locator(f"#history-status-{canceled_id}")).to_have_text("Отменён")
    expect(page.locator("#history-total")).to_contain_text("₽")
    page.locator("#history-filter-status").click()
    page.get_by_role("option", name="Оплачено").click()
    expect(page.locator(f"#history-row-{canceled_id}")).to_have_count(0)
    for status in page.locator("[id^=history-status-]").all_inner_texts():
        assert status == "Оплачено"
    page.screenshot(path=str(screenshot_dir / "history-desktop.png"), full_page=True)


@pytest.mark.parametrize("screen", WIDTHS)
def test_payment_pages_fit_the_screen(app_server, page: Page, screenshot_dir, screen):
    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    _sign_in(page, app_server.url, "resident@example.com", "demo2026")
    for path, marker in [("/payments", "#history-title")]:
        page.goto(app_server.url + path)
        expect(page.locator(marker)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[screen], path
    _open_pay(page, app_server.url, "Газ-Сервис")
    page.screenshot(path=str(screenshot_dir / f"pay-{screen}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[screen]
