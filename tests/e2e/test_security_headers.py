"""Every page works under the Content-Security-Policy, and no other site can frame the cabinet."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.mailbox import wait_for_link
from tests.e2e.test_accounts_and_readings import _sign_in
from tests.e2e.test_admin import ADMIN_ROUTES
from tests.e2e.test_payments import _card, _open_pay, _pay_at_checkout, _submit_own_amount

# A public page and what shows that it rendered; the links' pages get a token that names nothing.
PUBLIC_PAGES = {
    "/": "#start-title",
    "/register": "#register-email",
    "/login": "#login-email",
    "/forgot": "#forgot-email",
    "/policy": "#policy-title",
    "/support": "#support-title",
    "/confirm/no-such-token": "#confirm-problem",
    "/confirm-email/no-such-token": "#email-change-problem",
    "/reset/no-such-token": "#reset-problem",
    "/no-such-page": "#not-found-title",
    "/dev/mailbox": "#mailbox-list",
}


def _rendered(page: Page, url: str, selector: str) -> None:
    """The page loads as a document whose answer forbids framing, and renders with nothing blocked."""
    document = page.goto(url)
    assert document.headers["x-frame-options"] == "DENY", url
    assert "frame-ancestors 'none'" in document.headers["content-security-policy"], url
    expect(page.locator(selector).first).to_be_visible()
    assert not page.csp_violations, f"{url}: {page.csp_violations}"


def _picture_shown(picture) -> None:
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0


def test_public_pages_and_the_demo_mailbox_work_under_the_policy(app_server, page: Page):
    for route, selector in PUBLIC_PAGES.items():
        _rendered(page, app_server.url + route, selector)
    # A letter in the demo mailbox (asked for on «forgot password»): its framed copy inherits the page's policy.
    page.goto(app_server.url + "/forgot")
    page.locator("#forgot-email").fill("resident@example.com")
    page.locator("#forgot-submit").click()
    wait_for_link(app_server.url, to="resident@example.com", path="reset")
    page.goto(app_server.url + "/dev/mailbox")
    page.locator("#mailbox-list a").first.click()
    expect(page.frame_locator("#mailbox-letter-body").locator("body")).not_to_be_empty()
    # A provider's receipt picture on the start page.
    page.goto(app_server.url + "/")
    provider = page.locator("#start-providers [id^=start-provider-]").first
    provider.locator("summary").click()
    _picture_shown(provider.locator("img"))


def test_a_residents_pages_and_the_checkout_work_under_the_policy(app_server, page: Page):
    base = app_server.url
    _sign_in(page, base, "resident@example.com", "demo2026")
    expect(page.locator("#dashboard-title")).to_be_visible()
    account = _card(page, "Водоканал").get_attribute("id").removeprefix("account-card-")
    for route, selector in {
        "/settings": "#settings-title",
        f"/accounts/{account}/readings": "#readings-title",
        "/payments": "#history-title",
        "/accounts/connect": "#connect-title",
    }.items():
        _rendered(page, base + route, selector)
    # The hint on connecting an account shows the chosen provider's receipt picture, in a Radix dialog.
    page.locator("[id^=connect-provider-]", has_text="Водоканал").click()
    page.locator("#connect-number-hint").click()
    _picture_shown(page.locator("#connect-hint-image"))
    # Paying leaves for the checkout (Reflex's call_script, run by eval) and comes back to the status page.
    _open_pay(page, base, "Водоканал")
    _submit_own_amount(page, "10,00")
    _pay_at_checkout(page)
    payment = re.search(r"/payments/(\d+)", page.url).group(1)
    _rendered(page, f"{base}/payments/{payment}/receipt", "#receipt-title")


def test_the_admin_pages_work_under_the_policy(app_server, page: Page):
    _sign_in(page, app_server.url, "admin@example.com", "admin2026")
    for route in ADMIN_ROUTES:
        _rendered(page, app_server.url + route, "#admin-title")


def test_another_site_cannot_frame_the_cabinet(app_server, page: Page):
    answer = page.request.get(app_server.url + "/login")
    assert answer.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"

    # The page of a site that tries: Chromium refuses the frame and shows its own error document instead.
    with page.expect_console_message(lambda message: "frame-ancestors 'none'" in message.text):
        page.set_content(f'<iframe id="framed" src="{app_server.url}/login"></iframe>')
    expect(page.frame_locator("#framed").locator("#login-email")).to_have_count(0)
    page.csp_violations.clear()  # the refusal above is the one this test provoked
