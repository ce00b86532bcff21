"""«Сотрудники»: the platform administrator invites an operator for the water utility, the letter arrives,
the operator sets a password by its link and lands on the admin pages without «Сотрудники»; the administrator
then sees them as active. Screenshots of both pages at 1280 px and 375 px (touch)."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.mailbox import wait_for_link
from tests.e2e.phone import no_sideways_scroll, phone_page
from tests.e2e.test_accounts_and_readings import _sign_in

WATER = "Водоканал"
ADMIN = ("admin@example.com", "admin2026")


def _open_staff(page: Page, base: str) -> None:
    page.goto(base + "/admin/staff")
    expect(page.locator("#admin-staff-invite")).to_be_visible()


def _invite(page: Page, email: str, *, role: str | None = None) -> None:
    page.locator("#admin-staff-invite-email").fill(email)
    if role:
        page.locator("#admin-staff-invite-role").click()
        page.get_by_role("option", name=role).click()
    page.locator("[id^=admin-staff-invite-provider-][id$=-label]", has_text=WATER).click()
    page.locator("#admin-staff-invite-submit").click()
    expect(page.locator("#admin-staff-invite-notice")).to_contain_text(email)


def test_an_invited_operator_sets_a_password_and_works(app_server, page: Page, new_page, browser, screenshot_dir):
    base = app_server.url
    email = f"operator-{uuid.uuid4().hex[:8]}@example.com"
    _sign_in(page, base, *ADMIN)
    page.locator("#nav-admin").click()
    page.locator("#admin-nav-staff").click()
    expect(page.locator("#admin-staff-invite")).to_be_visible()

    # Every bad input is named next to its field, and nothing typed is lost.
    page.locator("#admin-staff-invite-submit").click()
    expect(page.locator("#admin-staff-invite-email-error")).to_have_text("Введите адрес электронной почты.")
    expect(page.locator("#admin-staff-invite-email")).to_have_attribute("aria-invalid", "true")
    page.locator("#admin-staff-invite-email").fill(email)
    page.locator("#admin-staff-invite-submit").click()
    expect(page.locator("#admin-staff-invite-providers-error")).to_have_text("Отметьте хотя бы одного поставщика.")
    expect(page.locator("#admin-staff-invite-email")).to_have_value(email)
    expect(page.locator("#admin-staff-invite-email-error")).to_have_count(0)

    page.locator("[id^=admin-staff-invite-provider-][id$=-label]", has_text=WATER).click()
    page.locator("#admin-staff-invite-submit").click()
    expect(page.locator("#admin-staff-invite-notice")).to_have_text(f"Приглашение отправлено на {email}.")
    row = page.locator("[id^=admin-staff-row-]", has_text=email)
    expect(row).to_contain_text("приглашён")
    expect(row).to_contain_text("оператор")
    expect(row).to_contain_text(WATER)
    page.screenshot(path=str(screenshot_dir / "staff-1280.png"), full_page=True)

    link = wait_for_link(base, to=email, path="staff/invitation")
    operator = new_page(viewport={"width": 1280, "height": 900})
    operator.goto(link)
    expect(operator.locator("#staff-invitation-email")).to_have_value(email)
    operator.screenshot(path=str(screenshot_dir / "staff-invitation-1280.png"), full_page=True)
    operator.locator("#staff-invitation-password").fill("oper2026")
    operator.locator("#staff-invitation-password-repeat").fill("oper2027")
    operator.locator("#staff-invitation-submit").click()
    expect(operator.locator("#staff-invitation-password-repeat-error")).to_have_text("Пароли не совпадают.")
    expect(operator.locator("#staff-invitation-password")).to_have_value("oper2026")
    operator.locator("#staff-invitation-password-repeat").fill("oper2026")
    operator.locator("#staff-invitation-submit").click()
    expect(operator).to_have_url(re.compile(r"/admin$"))
    expect(operator.locator("#admin-title")).to_be_visible()
    expect(operator.locator("#admin-nav-overview")).to_be_visible()
    expect(operator.locator("#admin-nav-staff")).to_have_count(0)
    expect(operator.get_by_text("Сотрудники", exact=True)).to_have_count(0)
    # Their own card only, and the way to «Настройки».
    operator.goto(base + "/admin/staff")
    expect(operator.locator("#admin-staff-own")).to_contain_text(email)
    expect(operator.locator("#admin-staff-own")).to_contain_text(WATER)
    expect(operator.locator("#admin-staff-invite")).to_have_count(0)
    expect(operator.locator("#admin-staff-settings-link")).to_be_visible()
    # The link worked once.
    operator.goto(link)
    expect(operator.locator("#staff-invitation-problem")).to_have_text("По этой ссылке уже переходили.")

    _open_staff(page, base)
    expect(page.locator("[id^=admin-staff-row-]", has_text=email)).to_contain_text("активен")

    with phone_page(browser) as phone:
        _sign_in(phone, base, *ADMIN)
        _open_staff(phone, base)
        viewer = f"viewer-{uuid.uuid4().hex[:8]}@example.com"
        _invite(phone, viewer, role="Наблюдатель")
        expect(phone.locator("[id^=admin-staff-row-]", has_text=viewer)).to_contain_text("наблюдатель")
        assert no_sideways_scroll(phone)
        phone.screenshot(path=str(screenshot_dir / "staff-375.png"), full_page=True)
        viewer_link = wait_for_link(base, to=viewer, path="staff/invitation")
    with phone_page(browser) as phone:
        phone.goto(viewer_link)
        expect(phone.locator("#staff-invitation-email")).to_have_value(viewer)
        assert no_sideways_scroll(phone)
        phone.screenshot(path=str(screenshot_dir / "staff-invitation-375.png"), full_page=True)
