"""Issue #14 (2, 3, 7): hints open by a tap as well as by hover and keyboard, the phone header shows words,
each meter kind has its own icon, the pay page says the provider once, the connect form's «?» always answers.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cabinet import texts
from tests.e2e.client_errors import watch_csp_violations
from tests.e2e.server import hydrating
from tests.e2e.test_accounts_and_readings import (
    _new_resident_with_an_account,
    _sign_in,
    _tab_to,
    _wait_until_the_dialog_has_opened,
)

PHONE = {"viewport": {"width": 375, "height": 812}, "has_touch": True, "is_mobile": True}
RESIDENT = ("resident@example.com", "demo2026")


def _watch_client_errors(page: Page) -> list[str]:
    """Every uncaught exception and console error of the page: each one fails the test."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


@pytest.fixture
def desktop(page: Page):
    page.set_viewport_size({"width": 1280, "height": 900})
    errors = _watch_client_errors(page)
    yield page
    assert errors == []


@pytest.fixture
def phone(browser):
    """A 375 px touch screen: no hover, taps only."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors = _watch_client_errors(page)
    violations = watch_csp_violations(page)
    yield hydrating(page)
    context.close()
    assert errors == []
    assert violations == []


def _tap_outside(page: Page) -> None:
    """A tap on the page's empty bottom-left corner, away from every control."""
    page.touchscreen.tap(4, page.viewport_size["height"] - 4)


def test_a_hint_opens_by_a_tap_and_closes_by_a_tap_elsewhere_or_escape(app_server, phone: Page, screenshot_dir):
    """Regression: on a touch screen a tap on «?» opened nothing (a hover-only tooltip)."""
    _sign_in(phone, app_server.url, *RESIDENT)
    phone.goto(app_server.url + "/")
    expect(phone.locator("[id^=account-card-]")).to_have_count(3)
    button, bubble = phone.locator("#dashboard-title-hint"), phone.locator("#dashboard-title-hint-text")
    expect(bubble).to_have_count(0)

    button.tap()
    expect(bubble).to_be_visible()
    expect(bubble).to_have_text(texts.DASHBOARD["lead_hint"])
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(button).to_have_attribute("aria-describedby", "dashboard-title-hint-text")
    phone.screenshot(path=str(screenshot_dir / "hints-375.png"))
    _tap_outside(phone)
    expect(bubble).to_have_count(0)

    button.tap()
    expect(bubble).to_be_visible()
    button.tap()  # a second tap on «?» closes what the first opened
    expect(bubble).to_have_count(0)

    button.tap()
    expect(bubble).to_be_visible()
    phone.keyboard.press("Escape")
    expect(bubble).to_have_count(0)

    # The demo badge is only a flask on a phone: what it means opens on a tap too.
    badge = phone.locator("#demo-badge")
    expect(badge).to_have_accessible_name("Демо-режим")
    badge.tap()
    expect(phone.locator("#demo-badge-text")).to_be_visible()
    _tap_outside(phone)
    expect(phone.locator("#demo-badge-text")).to_have_count(0)


def test_a_hint_opens_on_keyboard_focus_and_on_hover(app_server, desktop: Page, screenshot_dir):
    _sign_in(desktop, app_server.url, *RESIDENT)
    desktop.goto(app_server.url + "/")
    expect(desktop.locator("[id^=account-card-]")).to_have_count(3)
    desktop.mouse.move(640, 880)  # the pointer rests away from every hint
    bubble = desktop.locator("#dashboard-title-hint-text")
    expect(bubble).to_have_count(0)

    _tab_to(desktop, "element => element.id === 'dashboard-title-hint'")
    expect(bubble).to_be_visible()
    expect(desktop.locator("#dashboard-title-hint")).to_be_focused()  # the bubble does not take the focus
    desktop.screenshot(path=str(screenshot_dir / "hints-1280.png"))
    desktop.keyboard.press("Tab")
    expect(bubble).to_have_count(0)

    desktop.locator("#dashboard-title-hint").hover()
    expect(bubble).to_be_visible()
    desktop.mouse.move(640, 880, steps=8)
    expect(bubble).to_have_count(0)


def test_the_phone_header_has_a_menu_with_words(app_server, phone: Page, screenshot_dir):
    """Regression: at 375 px «Платежи», «Настройки», «Выйти» were bare icons."""
    _sign_in(phone, app_server.url, *RESIDENT)
    phone.goto(app_server.url + "/")
    menu, items = phone.locator("#nav-menu"), phone.locator("#nav-menu-list")
    expect(menu).to_be_visible()
    expect(menu).to_have_text("Меню")
    expect(phone.locator("#nav-settings")).to_be_hidden()
    expect(phone.locator("header")).to_have_count(1)
    phone.screenshot(path=str(screenshot_dir / "header-375.png"), clip={"x": 0, "y": 0, "width": 375, "height": 120})

    menu.tap()
    expect(items).to_be_visible()
    for key, word in [("payments", "Платежи"), ("settings", "Настройки"), ("sign-out", "Выйти")]:
        expect(phone.locator(f"#nav-menu-{key}")).to_have_text(word)
    expect(phone.locator("#nav-menu-admin")).to_have_count(0)  # for operators only
    phone.screenshot(path=str(screenshot_dir / "nav-menu-375.png"))
    phone.keyboard.press("Escape")
    expect(items).to_have_count(0)

    menu.focus()
    phone.keyboard.press("Enter")
    expect(items).to_be_visible()
    _tap_outside(phone)
    expect(items).to_have_count(0)

    menu.tap()
    phone.locator("#nav-menu-settings").tap()
    expect(phone).to_have_url(re.compile(r"/settings$"))
    expect(phone.locator("#settings-title")).to_be_visible()
    expect(items).to_have_count(0)

    # Each section of «Настройки» has its hint on a «?»: a heading cannot be tapped open.
    phone.locator("#settings-profile-hint").tap()
    expect(phone.locator("#settings-profile-hint-text")).to_have_text(texts.SETTINGS["profile_hint"])


def test_the_desktop_header_keeps_its_words_inline(app_server, desktop: Page, screenshot_dir):
    _sign_in(desktop, app_server.url, *RESIDENT)
    desktop.goto(app_server.url + "/")
    for key, word in [("payments", "Платежи"), ("settings", "Настройки"), ("sign-out", "Выйти")]:
        expect(desktop.locator(f"#nav-{key}")).to_have_text(word)
        expect(desktop.locator(f"#nav-{key}")).to_be_visible()
    expect(desktop.locator("#nav-menu")).to_be_hidden()
    desktop.screenshot(path=str(screenshot_dir / "header-1280.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 80})


def test_the_header_wraps_at_200_percent_zoom_on_a_phone(app_server, browser, screenshot_dir):
    """375 px at 200 % zoom is 187 CSS px: the header's row wraps, nothing sticks out or is cut off."""
    context = browser.new_context(
        viewport={"width": 187, "height": 406}, device_scale_factor=2, has_touch=True, is_mobile=True
    )
    page = hydrating(context.new_page())
    errors = _watch_client_errors(page)
    try:
        _sign_in(page, app_server.url, *RESIDENT)
        page.goto(app_server.url + "/")
        expect(page.locator("#nav-menu")).to_be_visible()
        page.screenshot(path=str(screenshot_dir / "header-187.png"), clip={"x": 0, "y": 0, "width": 187, "height": 160})
        assert page.evaluate("document.querySelector('header').scrollWidth") <= 187
        for selector in ("#nav-home", "#demo-badge", "#nav-menu"):
            box = page.locator(selector).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 187, (selector, box)
    finally:
        context.close()
    assert errors == []


def test_each_meter_kind_has_its_own_icon(app_server, desktop: Page, phone: Page, screenshot_dir):
    """Regression: the gas meter showed the water's drop."""
    _sign_in(desktop, app_server.url, *RESIDENT)
    desktop.goto(app_server.url + "/")
    icons = {}
    for provider in ("Водоканал", "Газ-Сервис"):
        icon = desktop.locator("[id^=account-card-]", has_text=provider).locator("[data-kind]").first
        icons[provider] = (icon.get_attribute("data-kind"), icon.locator("svg").get_attribute("class"))
    assert icons["Водоканал"][0] == "cold_water" and "droplet" in icons["Водоканал"][1]
    assert icons["Газ-Сервис"][0] == "gas" and "flame" in icons["Газ-Сервис"][1]

    _sign_in(phone, app_server.url, *RESIDENT)
    phone.goto(app_server.url + "/")
    phone.locator("[id^=account-card-]", has_text="Газ-Сервис").locator("[id^=account-readings-]").tap()
    expect(phone.locator("#readings-window")).to_be_visible()
    expect(phone.locator("[data-kind=gas] svg")).to_have_class(re.compile("flame"))
    # When to tick «Счётчик заменён» is on a «?» a finger can open.
    phone.locator("[id$=-replaced-hint]").first.tap()
    expect(phone.locator("[id$=-replaced-hint-text]")).to_have_text(texts.READINGS["replaced_hint"])
    _tap_outside(phone)
    phone.screenshot(path=str(screenshot_dir / "readings-icons-375.png"), full_page=True)


def test_the_pay_page_names_the_provider_once(app_server, desktop: Page, screenshot_dir):
    """Regression: with no nickname the provider was the heading and began the subtitle as well."""
    _new_resident_with_an_account(desktop, app_server.url)
    desktop.goto(app_server.url + "/")
    desktop.locator("[id^=account-pay-]").first.click()
    title = desktop.locator("#pay-title")
    expect(title).to_have_text("МУП «Водоканал» г. Заречный")
    expect(desktop.locator("#pay-account")).to_contain_text("3700123402")
    expect(desktop.locator("#pay-account")).not_to_contain_text("Водоканал")
    desktop.screenshot(path=str(screenshot_dir / "pay-no-nickname-1280.png"), full_page=True)


def test_the_connect_forms_hint_says_to_choose_a_provider_first(app_server, phone: Page, screenshot_dir):
    """Regression: «?» was disabled until a provider was chosen, with no word why."""
    _sign_in(phone, app_server.url, *RESIDENT)
    phone.goto(app_server.url + "/accounts/connect")
    button = phone.locator("#connect-number-hint")
    expect(button).to_be_enabled()
    button.tap()
    expect(phone.locator("#connect-hint")).to_be_visible()
    expect(phone.locator("#connect-hint-choose-first")).to_have_text(texts.CONNECT["hint_choose_first"])
    _wait_until_the_dialog_has_opened(phone, phone.locator("#connect-hint"))
    phone.screenshot(path=str(screenshot_dir / "connect-hint-choose-first-375.png"))
    phone.locator("#connect-hint-close").tap()
    expect(phone.locator("#connect-hint")).to_have_count(0)

    phone.locator("[id^=connect-provider-]", has_text="Водоканал").tap()
    button.tap()
    expect(phone.locator("#connect-hint")).to_contain_text("10 цифр")
    expect(phone.locator("#connect-hint-choose-first")).to_have_count(0)


def test_the_phone_menu_takes_an_operator_to_the_admin(app_server, phone: Page):
    _sign_in(phone, app_server.url, "admin@example.com", "admin2026")
    phone.goto(app_server.url + "/")
    phone.locator("#nav-menu").tap()
    admin = phone.locator("#nav-menu-admin")
    expect(admin).to_have_text(texts.ADMIN["title"])
    admin.tap()
    expect(phone).to_have_url(re.compile(r"/admin$"))
    expect(phone.locator("#admin-title")).to_be_visible()
