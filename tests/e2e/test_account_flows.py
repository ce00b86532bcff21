"""A resident's whole way in: sign up, confirm by e-mail, sign in and out, forget and reset the password."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.mailbox import count_letters, wait_for_link
from tests.e2e.phone import no_sideways_scroll, phone_page
from tests.e2e.watch import watch_page_errors

WIDTHS = {"desktop": 1280, "phone": 375}


def _fresh_email() -> str:
    return f"anna.{uuid.uuid4().hex[:8]}@example.com"


def _sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill(password)
    page.locator("#login-submit").click()


def _screenshots(page: Page, screenshot_dir, name: str) -> None:
    """Full-page shots of what is on screen now at 1280 and 375 px; nothing may stick out sideways."""
    for screen, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(screenshot_dir / f"{name}-{screen}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} at {width} px"
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def _register(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/register")
    page.locator("#register-email").fill(email)
    page.locator("#register-password").fill(password)
    page.locator("#register-password-repeat").fill(password)
    page.locator("#register-consent").click()
    page.locator("#register-submit").click()


def test_register_confirm_and_land_on_connecting_the_first_account(app_server, page: Page, new_page, screenshot_dir):
    """Regression (#14 item 8): after the link the resident had to sign in anew; now one step — the password,
    the address filled in — leads to connecting the first account, and the link still works only once."""
    errors = watch_page_errors(page)
    base, email = app_server.url, _fresh_email()
    page.set_viewport_size({"width": 1280, "height": 900})
    _register(page, base, email, "abc12")
    expect(page.locator("#register-sent-address")).to_contain_text(email)
    _screenshots(page, screenshot_dir, "register-sent")

    link = wait_for_link(base, to=email, path="confirm")
    page.goto(link)
    expect(page.locator("#confirm-success")).to_contain_text("Вы успешно зарегистрированы в Системе")
    expect(page.locator("#confirm-email")).to_have_value(email)
    expect(page.locator("#confirm-email")).to_have_attribute("readonly", "")
    _screenshots(page, screenshot_dir, "confirm")
    page.locator("#confirm-password").fill("abc12")
    page.locator("#confirm-submit").click()
    expect(page).to_have_url(re.compile(r"/accounts/connect/?$"))
    expect(page.locator("#connect-title")).to_be_visible()
    expect(page.locator("#nav-sign-out")).to_be_visible()
    expect(page.locator("#connect-providers [id^=connect-provider-]").first).to_be_visible()

    # The tab signed in with it opens the link again: straight on, as the first time.
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/accounts/connect/?$"))
    # Anyone else: the link was used, it signs no one in and offers the sign-in page.
    other = new_page()
    other.goto(link)
    expect(other.locator("#confirm-problem")).to_contain_text("уже подтверждён")
    expect(other.locator("#confirm-login-link")).to_be_visible()
    expect(other.locator("#confirm-password")).to_have_count(0)
    expect(other.locator("#nav-sign-out")).to_have_count(0)
    other.goto(base + "/accounts/connect")
    expect(other).to_have_url(re.compile(r"/login\?next="))
    assert errors == []


def test_the_confirmation_page_refuses_a_wrong_password_next_to_its_field(app_server, browser, screenshot_dir):
    base, email = app_server.url, _fresh_email()
    with phone_page(browser) as phone:
        errors = watch_page_errors(phone)
        _register(phone, base, email, "abc12")
        expect(phone.locator("#register-sent-address")).to_be_visible()
        phone.goto(wait_for_link(base, to=email, path="confirm"))
        expect(phone.locator("#confirm-email")).to_have_value(email)
        phone.screenshot(path=str(screenshot_dir / "confirm-375.png"), full_page=True)
        phone.locator("#confirm-password").fill("wrong99")
        phone.locator("#confirm-submit").click()
        expect(phone.locator("#confirm-password-error")).to_have_text("Неверный адрес электронной почты или пароль.")
        expect(phone.locator("#confirm-password")).to_have_attribute("aria-invalid", "true")
        expect(phone.locator("#confirm-password")).to_have_attribute("aria-describedby", "confirm-password-error")
        expect(phone.locator("#nav-sign-out")).to_have_count(0)
        phone.screenshot(path=str(screenshot_dir / "confirm-wrong-password-375.png"), full_page=True)
        assert no_sideways_scroll(phone)
        phone.locator("#confirm-password").fill("abc12")
        phone.locator("#confirm-submit").click()
        expect(phone).to_have_url(re.compile(r"/accounts/connect/?$"))
        assert errors == []


def test_password_rules_are_checked_as_the_user_types_and_nothing_typed_is_lost(app_server, page: Page):
    page.goto(app_server.url + "/register")
    rules = page.locator("#register-password-rules > div")
    page.locator("#register-password").fill("пароль")
    expect(rules.nth(0)).to_have_attribute("data-state", "bad")
    page.locator("#register-password").fill("abc")
    expect(rules.nth(0)).to_have_attribute("data-state", "ok")
    expect(rules.nth(1)).to_have_attribute("data-state", "bad")
    page.locator("#register-email").fill("someone@example.com")
    page.locator("#register-password").fill("abc12")
    page.locator("#register-password-repeat").fill("abc12")
    page.locator("#register-submit").click()
    expect(page.locator("#register-consent-error")).to_contain_text("согласие")
    expect(page.locator("#register-email")).to_have_value("someone@example.com")


def test_wrong_password_shows_the_generic_error(app_server, page: Page):
    _sign_in(page, app_server.url, "resident@example.com", "wrong99")
    expect(page.locator("#login-error")).to_have_text("Неверный адрес электронной почты или пароль.")
    expect(page.locator("#login-email")).to_have_value("resident@example.com")
    expect(page.locator("#login-password")).to_have_value("")


def test_sign_out_in_one_tab_signs_out_every_tab(app_server, new_page):
    first = new_page()
    second = new_page(context=first.context)
    _sign_in(first, app_server.url, "resident@example.com", "demo2026")
    expect(first.locator("#nav-sign-out")).to_be_visible()
    second.goto(app_server.url + "/settings")
    expect(second.locator("#settings-title")).to_be_visible()
    first.locator("#nav-sign-out").click()
    expect(first).to_have_url(re.compile(r"/login"))
    expect(second).to_have_url(re.compile(r"/login\?next="))


def test_private_page_sends_a_visitor_to_sign_in_and_back(app_server, page: Page):
    page.goto(app_server.url + "/settings")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fsettings"))
    page.locator("#login-email").fill("resident@example.com")
    page.locator("#login-password").fill("demo2026")
    page.locator("#login-submit").click()
    expect(page).to_have_url(re.compile(r"/settings/?$"))
    expect(page.locator("#settings-email-current")).to_have_text("resident@example.com")


def test_forgot_reset_and_sign_in_with_the_new_password(app_server, page: Page, screenshot_dir):
    base, email = app_server.url, _fresh_email()
    _register(page, base, email, "first1")
    page.goto(wait_for_link(base, to=email, path="confirm"))
    expect(page.locator("#confirm-success")).to_be_visible()

    page.goto(base + "/forgot")
    page.locator("#forgot-email").fill(email.upper())
    before = count_letters(base, to=email)
    page.locator("#forgot-submit").click()
    expect(page.locator("#forgot-sent")).to_contain_text("1 час")
    page.goto(wait_for_link(base, to=email, path="reset", after=before))
    page.locator("#reset-password").fill("second2")
    page.locator("#reset-password-repeat").fill("second2")
    _screenshots(page, screenshot_dir, "reset")
    page.locator("#reset-submit").click()
    expect(page.locator("#reset-done")).to_be_visible()

    _sign_in(page, base, email, "first1")
    expect(page.locator("#login-error")).to_be_visible()
    _sign_in(page, base, email, "second2")
    expect(page.locator("#nav-sign-out")).to_be_visible()


@pytest.mark.parametrize("screen", WIDTHS)
def test_sign_in_pages_look_finished(app_server, page: Page, screenshot_dir, screen):
    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    for path, marker in [
        ("/register", "#register-title"),
        ("/login", "#login-title"),
        ("/forgot", "#forgot-title"),
        ("/policy", "#policy-title"),
    ]:
        page.goto(app_server.url + path)
        expect(page.locator(marker)).to_be_visible()
        name = path.strip("/")
        page.screenshot(path=str(screenshot_dir / f"{name}-{screen}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[screen], path


@pytest.mark.parametrize("screen", WIDTHS)
def test_support_page_is_public_with_the_support_address_and_answers(app_server, page: Page, screenshot_dir, screen):
    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    page.goto(app_server.url + "/")
    page.locator("#footer-support-page").click()
    expect(page).to_have_url(re.compile(r"/support/?$"))  # anonymous, and not sent to /login
    expect(page.locator("#support-title")).to_have_text("Служба поддержки")
    address = page.locator("#support-email")
    expect(address).to_have_attribute("href", "mailto:support@смородина.онлайн")
    expect(address).to_have_text("support@смородина.онлайн")
    expect(page.locator("#support-answers [id^=support-answer-]")).to_have_count(7)
    expect(page.locator("#support-answer-2")).to_contain_text("латинских букв и цифр, от 5 до 10 символов")
    expect(page.locator("#support-answer-4")).to_contain_text("«?»")
    page.screenshot(path=str(screenshot_dir / f"support-{screen}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[screen]

    # «Задать вопрос» works without signing in: the dialog asks where to send the answer.
    page.locator("#support-ask").click()
    expect(page.locator("#question-dialog")).to_be_visible()
    expect(page.locator("#question-email")).to_be_visible()
