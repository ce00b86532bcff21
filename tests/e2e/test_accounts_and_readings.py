"""Connecting accounts (hint, wrong format, wrong number, ownership check), the dashboard, readings."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.mailbox import wait_for_link
from tests.e2e.phone import no_sideways_scroll, phone_page
from tests.e2e.watch import watch_page_errors

WIDTHS = {"desktop": 1280, "phone": 375}


def _sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill(password)
    page.locator("#login-submit").click()
    # «Выйти» inline from 768 px up, inside «Меню» below: either one showing means signed in.
    expect(page.locator("#nav-sign-out:visible, #nav-menu:visible")).to_be_visible()


def _choose(page: Page, provider_name: str) -> None:
    page.locator("[id^=connect-provider-]", has_text=provider_name).click()


def _number_from(text: str) -> float:
    match = re.search(r"(\d[\d\u00a0 ]*(?:,\d+)?)\s*(?:м³|кВт·ч|Гкал)", text)
    assert match, text
    return float(match.group(1).replace("\u00a0", "").replace(" ", "").replace(",", "."))


def _wait_until_the_dialog_has_opened(page: Page, dialog) -> None:
    """The dialog and its overlay fade in; a screenshot taken meanwhile shows the page through it."""
    expect(dialog).to_have_attribute("data-state", "open")
    expect(dialog).to_have_css("opacity", "1")
    page.wait_for_function("() => document.getAnimations().every(animation => animation.playState !== 'running')")


def _tab_to(page: Page, is_target: str, *, presses: int = 40) -> None:
    """Presses Tab until `is_target` (a JS function of the focused element) says it is there."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"({is_target})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached the element {is_target}")


def test_first_account_with_the_hint_then_a_second_one_with_an_ownership_check(app_server, page: Page, screenshot_dir):
    base, email = app_server.url, f"boris.{uuid.uuid4().hex[:8]}@example.com"
    page.goto(base + "/register")
    page.locator("#register-email").fill(email)
    page.locator("#register-password").fill("abc12")
    page.locator("#register-password-repeat").fill("abc12")
    page.locator("#register-consent").click()
    page.locator("#register-submit").click()
    page.goto(wait_for_link(base, to=email, path="confirm"))
    page.locator("#confirm-password").fill("abc12")
    page.locator("#confirm-submit").click()
    expect(page.locator("#connect-title")).to_be_visible()

    _choose(page, "Водоканал")
    page.locator("#connect-number-hint").click()
    hint = page.locator("#connect-hint")
    expect(hint).to_contain_text("10 цифр")
    expect(page.locator("#connect-hint-image")).to_be_visible()
    _wait_until_the_dialog_has_opened(page, hint)
    expect(page.locator("#connect-hint-image")).to_have_js_property("complete", True)
    assert page.locator("#connect-hint-image").evaluate("image => image.naturalWidth") > 0
    page.screenshot(path=str(screenshot_dir / "connect-hint-desktop.png"))
    page.locator("#connect-hint-close").click()

    page.locator("#connect-number").fill("37001")
    page.locator("#connect-submit").click()
    expect(page.locator("#connect-number-error")).to_contain_text("10 цифр")
    page.locator("#connect-number").fill("3700 9999 99")
    page.locator("#connect-submit").click()
    expect(page.locator("#connect-number-error")).to_contain_text("не найден")
    expect(page.locator("#connect-number")).to_have_value("3700 9999 99")
    page.locator("#connect-number").fill("3700-1234-02")
    page.locator("#connect-submit").click()
    expect(page.locator("#connect-congratulations")).to_contain_text("Поздравляем! Все шаги пройдены")
    page.screenshot(path=str(screenshot_dir / "connect-congratulations-desktop.png"))
    page.locator("#connect-to-dashboard").click()
    expect(page.locator("[id^=account-card-]")).to_have_count(1)

    page.goto(base + "/settings")
    page.locator("#settings-connect").click()
    expect(page.locator("#connect-title")).to_be_visible()
    _choose(page, "Газ-Сервис")
    page.locator("#connect-number").fill("370012345602")
    page.locator("#connect-ownership").fill("GA0000000")
    page.locator("#connect-submit").click()
    expect(page.locator("#connect-ownership-error")).to_contain_text("Осталось попыток")
    page.locator("#connect-ownership").fill("GA3105602")
    page.locator("#connect-nickname").fill("Дача")
    page.locator("#connect-submit").click()
    expect(page.locator("#connect-linked")).to_contain_text("370012345602")
    page.goto(base + "/")
    expect(page.locator("[id^=account-card-]")).to_have_count(2)
    expect(page.locator("#dashboard-accounts")).to_contain_text("Дача")


def _new_resident_with_an_account(page: Page, base: str) -> str:
    """Signs up a fresh resident (the demo ones' names are other tests' fixtures) and links Водоканал's account."""
    email = f"vera.{uuid.uuid4().hex[:8]}@example.com"
    page.goto(base + "/register")
    page.locator("#register-email").fill(email)
    page.locator("#register-password").fill("abc12")
    page.locator("#register-password-repeat").fill("abc12")
    page.locator("#register-consent").click()
    page.locator("#register-submit").click()
    page.goto(wait_for_link(base, to=email, path="confirm"))
    page.locator("#confirm-password").fill("abc12")
    page.locator("#confirm-submit").click()
    expect(page.locator("#connect-title")).to_be_visible()
    _choose(page, "Водоканал")
    page.locator("#connect-number").fill("3700123402")
    page.locator("#connect-submit").click()
    expect(page.locator("#connect-congratulations")).to_be_visible()
    return email


def test_settings_rename_and_unlink_an_account_and_each_form_answers(app_server, page: Page):
    """Regression (#14 item 1): «Сохранить» beside an account's name did nothing — its form's handler named
    the foreach item, which does not exist where the handler is compiled (ReferenceError in the browser)."""
    base = app_server.url
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    email = _new_resident_with_an_account(page, base)
    page.goto(base + "/settings")
    account = page.locator("[id^=settings-account-]")
    expect(account).to_have_count(1)
    account_id = account.get_attribute("id").removeprefix("settings-account-")
    page.locator(f"#settings-nickname-{account_id}").fill("Квартира мамы")
    page.locator(f"#settings-nickname-save-{account_id}").click()
    expect(page.locator("#settings-accounts-notice")).to_have_text("Название сохранено.")
    page.goto(base + "/")
    expect(page.locator("#dashboard-accounts")).to_contain_text("Квартира мамы")

    page.goto(base + "/settings")
    page.locator(f"#settings-unlink-{account_id}").click()
    page.locator("#settings-unlink-confirm").click()
    expect(page.locator("#settings-accounts-notice")).to_have_text("Лицевой счёт 3700123402 отключён.")
    expect(page.locator("#settings-accounts-empty")).to_be_visible()

    # The other forms, each a State of its own: a save, and a refusal next to its field.
    page.locator("#settings-full-name").fill("Вера Петровна")
    page.locator("#settings-phone").fill("8 912 345 67 89")
    page.locator("#settings-profile-save").click()
    expect(page.locator("#settings-profile-notice")).to_have_text("Данные сохранены.")
    expect(page.locator("#settings-phone")).to_have_value("+7 912 345-67-89")
    page.locator("#settings-current-password").fill("wrong1")
    page.locator("#settings-new-password").fill("new12")
    page.locator("#settings-new-password-repeat").fill("new12")
    page.locator("#settings-password-save").click()
    expect(page.locator("#settings-current-password-error")).to_have_text("Текущий пароль введён неверно.")
    expect(page.locator("#settings-email-current")).to_have_text(email)
    page.locator("#settings-new-email").fill(email.upper())
    page.locator("#settings-email-password").fill("abc12")
    page.locator("#settings-email-save").click()
    expect(page.locator("#settings-new-email-error")).to_have_text("Это ваш текущий адрес.")
    assert page_errors == []


@pytest.mark.parametrize("screen", WIDTHS)
def test_dashboard_shows_what_is_owed_meters_and_hints(app_server, page: Page, screenshot_dir, screen):
    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    _sign_in(page, app_server.url, "resident@example.com", "demo2026")
    page.goto(app_server.url + "/")
    cards = page.locator("[id^=account-card-]")
    expect(cards).to_have_count(3)
    for index in range(3):
        amount = cards.nth(index).locator("[id^=account-to-pay-]")
        expect(amount).to_have_text(re.compile(r"(\d[\d\u00a0]*,\d\d\u00a0₽|Долга нет)"))
    expect(page.locator("[id^=meter-last-]").first).to_contain_text(re.compile(r"\d{2}\.\d{2}\.\d{4}"))
    expect(page.locator("[id^=account-window-]").first).to_contain_text("Приём показаний")
    page.screenshot(path=str(screenshot_dir / f"dashboard-{screen}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[screen]

    if screen == "desktop":
        page.locator("[id^=account-pay-]").first.hover()
        expect(page.get_by_role("tooltip").filter(has_text="ЮKassa")).to_be_visible()
        page.mouse.move(640, 5, steps=8)  # off the button the way a hand moves, so its hint closes
        expect(page.get_by_role("tooltip")).to_have_count(0)
        page.locator("#nav-settings").hover()
        expect(page.get_by_role("tooltip").filter(has_text="Подключение лицевых счетов")).to_be_visible()
        page.locator("[id^=account-charts-toggle-]").first.click()
        expect(page.locator("[id^=chart-meter-]").first.locator(".recharts-bar-rectangle").first).to_be_visible()
        page.screenshot(path=str(screenshot_dir / "dashboard-charts-desktop.png"), full_page=True)


def test_hints_open_on_keyboard_focus(app_server, page: Page):
    """Step 7: a resident who moves with Tab gets the same hints as one who hovers."""
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, app_server.url, "resident@example.com", "demo2026")
    page.goto(app_server.url + "/")
    expect(page.locator("[id^=account-card-]")).to_have_count(3)
    page.mouse.move(640, 880)  # the pointer rests away from every hint
    expect(page.get_by_role("tooltip")).to_have_count(0)

    _tab_to(page, "element => element.closest('#nav-settings') !== null")
    expect(page.get_by_role("tooltip").filter(has_text="Подключение лицевых счетов")).to_be_visible()
    _tab_to(page, "element => element.closest('#nav-sign-out') !== null")
    expect(page.get_by_role("tooltip").filter(has_text="Завершить работу с кабинетом")).to_be_visible()
    expect(page.get_by_role("tooltip").filter(has_text="Подключение лицевых счетов")).to_have_count(0)

    # A section's hint: the «?» beside «К оплате» on the first account's card.
    _tab_to(page, "element => element.id.startsWith('account-amount-hint-')")
    expect(page.get_by_role("tooltip").filter(has_text="Долг по данным поставщика")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("tooltip")).to_have_count(0)


def test_readings_with_the_jump_warning_and_a_lower_value(app_server, page: Page, screenshot_dir):
    _sign_in(page, app_server.url, "resident@example.com", "demo2026")
    page.goto(app_server.url + "/")
    # Газ-Сервис takes readings every day of the month, so this holds on any date.
    gas_card = page.locator("[id^=account-card-]", has_text="Газ-Сервис")
    gas_card.locator("[id^=account-readings-]").click()
    expect(page.locator("#readings-title")).to_have_text("Дача")
    field = page.locator("input[id^=reading-]").first
    meter_id = field.get_attribute("id").removeprefix("reading-")
    previous = _number_from(page.locator(f"#reading-{meter_id}-previous").inner_text())

    field.fill("1")
    page.locator("#readings-submit").click()
    expect(page.locator(f"#reading-{meter_id}-error")).to_contain_text("меньше предыдущего")
    expect(field).to_have_value("1")

    new_value = f"{int(previous) + 900}"
    field.fill(new_value)
    expect(page.locator(f"#reading-{meter_id}-preview")).to_contain_text("₽ по тарифу")
    page.locator("#readings-submit").click()
    expect(page.locator(f"#reading-{meter_id}-jump")).to_contain_text("Проверьте: расход в")
    page.screenshot(path=str(screenshot_dir / "readings-jump-desktop.png"), full_page=True)
    page.locator("#readings-confirm-jump").click()
    expect(page.locator("#readings-saved")).to_contain_text("Показания приняты")
    shown = page.locator(f"#reading-{meter_id}-this-period")
    expect(shown).to_be_visible()
    assert _number_from(shown.inner_text()) == float(new_value)

    page.goto(app_server.url + "/")
    last = page.locator(f"#meter-last-{meter_id}")
    expect(last).to_contain_text("передано в кабинете")
    assert _number_from(last.inner_text()) == float(new_value)


def _refuse_a_lower_reading(page: Page, base: str) -> tuple[str, str]:
    """On Газ-Сервис's readings (open every day): «1», lower than any meter's last; returns the meter id and
    the previous value as the page writes it («1 234,567 м³»)."""
    _sign_in(page, base, "resident@example.com", "demo2026")
    page.locator("[id^=account-card-]", has_text="Газ-Сервис").locator("[id^=account-readings-]").click()
    field = page.locator("input[id^=reading-]").first
    expect(field).to_be_visible()
    meter_id = field.get_attribute("id").removeprefix("reading-")
    previous_text = page.locator(f"#reading-{meter_id}-previous").inner_text()
    previous = re.fullmatch(r"Предыдущее: (.+), \d\d\.\d\d\.\d{4}", previous_text.strip())
    assert previous, previous_text
    field.fill("1")
    page.locator("#readings-submit").click()
    expect(page.locator(f"#reading-{meter_id}-error")).to_be_visible()
    return meter_id, previous.group(1)


def test_a_refused_reading_is_marked_on_its_field_in_the_pages_number_format(
    app_server, page: Page, browser, screenshot_dir
):
    """Regression (#14 item 6): the refusal wrote «(1500,250)» where the page wrote «1 500,250 м³», and
    «Проверьте отмеченные поля» came with no field visibly marked or tied to its message."""
    errors = watch_page_errors(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    meter_id, previous = _refuse_a_lower_reading(page, app_server.url)
    field = page.locator(f"#reading-{meter_id}")
    error = page.locator(f"#reading-{meter_id}-error")
    expect(error).to_have_text(
        f"Показание меньше предыдущего: {previous}. Если счётчик заменён или прошёл через ноль, отметьте это."
    )
    expect(page.locator("#readings-form-error")).to_have_text("Проверьте отмеченные поля.")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", f"reading-{meter_id}-error")
    expect(field).to_have_value("1")
    # The red border: Radix draws a field's border as the box-shadow of the input's frame.
    border = field.evaluate("input => getComputedStyle(input.closest('.rt-TextFieldRoot') || input).boxShadow")
    assert "229, 72, 77" in border, border
    page.screenshot(path=str(screenshot_dir / "readings-error-1280.png"), full_page=True)

    field.fill("")
    expect(field).to_have_attribute("aria-invalid", "false")
    expect(error).to_have_count(0)
    with phone_page(browser) as phone:
        meter_id, _previous = _refuse_a_lower_reading(phone, app_server.url)
        phone.locator(f"#reading-{meter_id}").scroll_into_view_if_needed()
        phone.screenshot(path=str(screenshot_dir / "readings-error-375.png"), full_page=True)
        assert no_sideways_scroll(phone)
    assert errors == []


@pytest.mark.parametrize("screen", WIDTHS)
def test_readings_page_looks_finished(app_server, page: Page, screenshot_dir, screen):
    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    _sign_in(page, app_server.url, "resident@example.com", "demo2026")
    page.locator("[id^=account-readings-]").first.click()
    expect(page.locator("#readings-window")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / f"readings-{screen}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[screen]


def test_an_account_that_is_not_yours_is_not_found(app_server, page: Page):
    _sign_in(page, app_server.url, "resident@example.com", "demo2026")
    page.goto(app_server.url + "/")
    expect(page.locator("[id^=account-card-]")).to_have_count(3)
    mine = {
        int(card.get_attribute("id").removeprefix("account-card-"))
        for card in page.locator("[id^=account-card-]").all()
    }
    # The demo registry has 24 accounts: one of the first four is someone else's.
    someone_elses = next(number for number in range(1, 5) if number not in mine)
    for account_id in (someone_elses, 999999):
        page.goto(f"{app_server.url}/accounts/{account_id}/readings")
        expect(page.locator("#readings-not-found")).to_have_text("Не найдено.")


@pytest.mark.parametrize("screen", WIDTHS)
def test_settings_and_connect_pages_look_finished(app_server, page: Page, screenshot_dir, screen):
    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    _sign_in(page, app_server.url, "resident@example.com", "demo2026")
    for path, marker, name in [
        ("/settings", "#settings-title", "settings"),
        ("/accounts/connect", "#connect-title", "connect"),
    ]:
        page.goto(app_server.url + path)
        expect(page.locator(marker)).to_be_visible()
        page.screenshot(path=str(screenshot_dir / f"{name}-{screen}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[screen], path
