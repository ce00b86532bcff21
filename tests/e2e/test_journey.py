"""Every page, dialog and form of the resident and of the operator, checked by axe at 1280 px and at
375 px with touch: no serious or critical WCAG 2.1 AA violation anywhere (tests/e2e/accessibility.py)."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import (
    FADES_DONE,
    IMPACTS,
    axe_violations,
    count_by_impact,
    outline_faults,
    serious_or_worse,
)
from tests.e2e.client_errors import assert_clean, watched

SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 375, "height": 800}, "has_touch": True, "is_mobile": True},
}
SAMPLE_REGISTRY = str(Path(__file__).resolve().parents[2] / "docs" / "registry-sample.csv")


class Tour:
    """Runs axe at each stop and keeps what it found."""

    def __init__(self, page: Page, name: str):
        self.page, self.name = page, name
        self.totals: Counter = Counter()
        self.failures: list[str] = []

    def check(self, stop: str, *, ours: bool = True) -> None:
        """`ours=False` for the YooKassa stand-in's checkout: axe, but not our page's outline."""
        # Dialogs and toasts fade in: axe on a half-transparent layer would measure the wrong contrast.
        self.page.wait_for_function(FADES_DONE)
        grouped = axe_violations(self.page)
        self.totals.update(count_by_impact(grouped))
        if ours:
            self.failures += [f"{stop}: outline {fault}" for fault in outline_faults(self.page)]
        for rule in serious_or_worse(grouped):
            self.failures.append(
                f"{stop}: [{rule['impact']}] {rule['id']} ({rule['help']}) x{rule['count']} {rule['targets']}"
            )

    def report(self) -> None:
        counts = ", ".join(f"{impact} {self.totals[impact]}" for impact in IMPACTS)
        print(f"\naxe {self.name}: {counts}")
        for failure in self.failures:
            print("  ", failure)
        assert not self.failures, "\n".join(self.failures)


def _sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill(password)
    page.locator("#login-submit").click()
    # «Выйти» inline from 768 px up, inside «Меню» below: either one showing means signed in.
    expect(page.locator("#nav-sign-out:visible, #nav-menu:visible")).to_be_visible()


def _close_dialog(page: Page) -> None:
    page.keyboard.press("Escape")
    expect(page.locator("[role=dialog], [role=alertdialog]")).to_have_count(0)


def _ask_question(tour: Tour) -> None:
    page = tour.page
    page.locator("#question-open").click()
    expect(page.locator("#question-dialog")).to_be_visible()
    tour.check("question dialog")
    page.locator("#question-send").click()  # empty: every field says what it needs
    expect(page.locator("#question-message-error")).to_be_visible()
    tour.check("question dialog, refused")
    _close_dialog(page)


def _public_pages(tour: Tour, base: str) -> None:
    page = tour.page
    for path, marker in [("/", "#start-title"), ("/support", "#support-title"), ("/policy", "#policy-title")]:
        page.goto(base + path)
        expect(page.locator(marker)).to_be_visible()
        tour.check(path)
    _ask_question(tour)
    page.goto(base + "/no-such-page")
    expect(page.locator("#not-found-title")).to_be_visible()
    tour.check("not found")
    for path, submit, error in [
        ("/register", "#register-submit", "[id^=register-][id$=-error]:visible"),
        ("/forgot", "#forgot-submit", "#forgot-sent"),
        ("/reset/not-a-token", None, "#reset-problem"),
        ("/confirm/not-a-token", None, "#confirm-problem"),
    ]:
        page.goto(base + path)
        if submit:
            tour.check(path)
            page.locator("input[type=email]").fill(f"nobody.{uuid.uuid4().hex[:8]}@example.com")
            for field in page.locator("input[type=password]").all():
                field.fill("ab")  # too short: the page says so
            page.locator(submit).click()
        expect(page.locator(error).first).to_be_visible()
        tour.check(f"{path}, submitted")
    page.goto(base + "/login")
    page.locator("#login-email").fill(f"nobody.{uuid.uuid4().hex[:8]}@example.com")
    page.locator("#login-password").fill("wrong99")
    page.locator("#login-submit").click()
    expect(page.locator("#login-error")).to_be_visible()
    tour.check("/login, refused")


def _dashboard_and_connect(tour: Tour, base: str) -> None:
    page = tour.page
    page.goto(base + "/")
    expect(page.locator("[id^=account-card-]").first).to_be_visible()
    tour.check("dashboard")
    page.locator("[id^=account-charts-toggle-]").first.click()
    expect(page.locator("[id^=chart-meter-]").first).to_be_visible()
    tour.check("dashboard, charts")
    page.goto(base + "/accounts/connect")
    expect(page.locator("#connect-title")).to_be_visible()
    tour.check("connect")
    page.locator("[id^=connect-provider-][role=radio]").first.click()
    page.locator("#connect-number-hint").click()
    expect(page.locator("[role=dialog]")).to_be_visible()
    tour.check("connect, hint dialog")
    _close_dialog(page)
    page.locator("#connect-number").fill("1")
    page.locator("#connect-submit").click()
    expect(page.locator("#connect-number-error, #connect-error").first).to_be_visible()
    tour.check("connect, refused")


def _readings_and_pay(tour: Tour, base: str) -> None:
    page = tour.page
    page.goto(base + "/")
    # The demo's «Дача» takes readings today (see test_accounts_and_readings.py).
    page.locator("[id^=account-card-]", has_text="Газ-Сервис").locator("[id^=account-readings-]").click()
    expect(page.locator("#readings-title")).to_be_visible()
    tour.check("readings")
    page.locator("input[id^=reading-]").first.fill("1")  # below the previous reading
    page.locator("#readings-submit").click()
    expect(page.locator("[id$=-error]:visible").first).to_be_visible()
    tour.check("readings, refused")
    page.goto(base + "/")
    page.locator("[id^=account-pay-]").first.click()
    expect(page.locator("#pay-submit")).to_be_visible()
    tour.check("pay")
    page.locator("#pay-mode-custom").click()
    page.locator("#pay-amount").fill("0")
    page.locator("#pay-submit").click()
    expect(page.locator("#pay-amount-error")).to_be_visible()
    tour.check("pay, refused")
    _pay_several(tour, base)
    _pay_ten_rubles(page, base, tour)


def _pay_several(tour: Tour, base: str) -> None:
    """«Оплатить несколько счетов» with the readings of «Дача» open, then a sum left empty."""
    page = tour.page
    page.goto(base + "/")
    page.locator("#pay-several").click()
    expect(page.locator("#pay-several-submit")).to_be_visible()
    tour.check("pay several")
    gas = page.locator("[id^=pay-several-account-]", has_text="Газ-Сервис")
    choose = gas.locator("[role=checkbox][id^=pay-several-choose-]")
    if choose.get_attribute("data-state") != "checked":
        choose.click()
    gas.locator("[role=checkbox][id^=pay-several-with-readings-]").click()
    expect(gas.locator("input[id^=reading-]").first).to_be_visible()
    tour.check("pay several, readings")
    gas.locator("input[id^=pay-several-amount-]").fill("")
    page.locator("#pay-several-submit").click()
    expect(gas.locator("[id^=pay-several-amount-][id$=-error]")).to_be_visible()
    tour.check("pay several, refused")


def _pay_ten_rubles(page: Page, base: str, tour: Tour | None = None) -> None:
    """From the dashboard through the YooKassa stand-in's checkout to the paid payment's page."""
    page.goto(base + "/")
    page.locator("[id^=account-pay-]").first.click()
    page.locator("#pay-mode-custom").click()
    page.locator("#pay-amount").fill("10,00")
    page.locator("#pay-submit").click()
    expect(page.locator("#sandbox-pay")).to_be_visible()
    if tour:
        tour.check("checkout stand-in", ours=False)
    page.locator("#sandbox-pay").click()
    expect(page.locator("#payment-status")).to_have_text("Оплачено", timeout=20_000)


def _history_and_receipt(tour: Tour, base: str) -> None:
    page = tour.page
    page.goto(base + "/payments")
    expect(page.locator("[id^=history-row-]").first).to_be_visible()
    tour.check("history")
    page.locator("#history-filter-status").click()
    expect(page.get_by_role("listbox")).to_be_visible()
    tour.check("history, status filter open")
    page.keyboard.press("Escape")
    row = page.locator("[id^=history-row-]").first
    payment = re.search(r"history-row-(\d+)", row.get_attribute("id")).group(1)
    page.goto(f"{base}/payments/{payment}")
    expect(page.locator("#payment-status")).to_be_visible()
    tour.check("payment")
    page.goto(f"{base}/payments/{payment}/receipt")
    expect(page.locator("#receipt-title, #receipt-unavailable").first).to_be_visible()
    tour.check("receipt")


def _settings(tour: Tour, base: str) -> None:
    page = tour.page
    page.goto(base + "/settings")
    expect(page.locator("#settings-title")).to_be_visible()
    tour.check("settings")
    page.locator("#settings-profile-save").click()
    expect(page.locator("#settings-profile-notice")).to_be_visible()
    page.locator("#settings-password-save").click()
    page.locator("#settings-email-save").click()
    expect(page.locator("#settings-new-email-error")).to_be_visible()
    page.locator("[id^=settings-nickname-save-]").first.click()
    tour.check("settings, submitted")
    page.locator("[id^=settings-unlink-]").first.click()
    expect(page.locator("[role=alertdialog]")).to_be_visible()
    tour.check("settings, unlink dialog")
    _close_dialog(page)
    page.goto(base + "/support")
    page.locator("#support-ask").click()
    expect(page.locator("#question-dialog")).to_be_visible()
    tour.check("support, question dialog")
    _close_dialog(page)


def _admin(tour: Tour, base: str) -> None:
    page = tour.page
    for path in ["/admin", "/admin/providers", "/admin/registry", "/admin/registry/format", "/admin/readings"]:
        page.goto(base + path)
        expect(page.locator("#admin-title")).to_be_visible()
        tour.check(path)
    page.goto(base + "/admin/providers")
    page.locator("#admin-providers-new").click()
    expect(page.locator("#admin-provider-form")).to_be_visible()
    tour.check("provider form")
    page.locator("#admin-provider-save").click()
    tour.check("provider form, refused")
    page.goto(base + "/admin/registry")
    page.locator("#admin-registry-provider").click()
    expect(page.get_by_role("listbox")).to_be_visible()
    tour.check("registry, provider list open")
    page.get_by_role("option").first.click()
    page.locator("#admin-registry-upload input[type=file]").set_input_files(SAMPLE_REGISTRY)
    # Another provider's numbers: the check lists the rows it refuses.
    expect(page.locator("#admin-registry-error, #admin-registry-counts, #admin-registry-errors").first).to_be_visible(
        timeout=15_000
    )
    tour.check("registry, file checked")
    page.goto(base + "/admin/residents")
    page.locator("#admin-residents-query").fill("resident@")
    page.locator("#admin-residents-search").click()
    page.locator("[id^=admin-resident-row-]").first.click()
    expect(page.locator("#admin-resident-detail")).to_be_visible()
    tour.check("resident detail")
    page.goto(base + "/admin/payments")
    # Every payment the suite made is summed first: «Загрузка…» may stand a while on a busy machine.
    expect(page.locator("#admin-payments-total")).to_be_visible(timeout=20_000)
    tour.check("/admin/payments")
    page.locator("[id^=admin-payment-row-]").first.click()
    expect(page.locator("#admin-payment-detail")).to_be_visible()
    tour.check("payment detail")
    page.goto(base + "/admin/readings")
    page.locator("#admin-readings-export").click()
    tour.check("readings export, submitted")
    _journal_and_staff(tour, base)
    _ask_question(tour)


def _journal_and_staff(tour: Tour, base: str) -> None:
    page = tour.page
    page.goto(base + "/admin/audit")
    expect(page.locator("#admin-audit-list")).to_be_visible()
    tour.check("/admin/audit")
    page.locator("#admin-audit-filter-who").fill("admin@")
    page.locator("#admin-audit-apply").click()
    expect(page.locator("#admin-audit-total")).to_be_visible()
    tour.check("journal, filtered")
    page.goto(base + "/admin/staff")
    expect(page.locator("#admin-staff-invite")).to_be_visible()
    tour.check("/admin/staff")
    page.locator("#admin-staff-invite-submit").click()
    expect(page.locator("#admin-staff-invite-email-error")).to_be_visible()
    tour.check("staff invitation, refused")
    page.locator("[id^=admin-staff-row-] [id^=admin-staff-edit-]").first.click()
    expect(page.locator("#admin-staff-detail")).to_be_visible()
    tour.check("staff member")


@pytest.mark.parametrize("size", SIZES)
def test_the_resident_journey_has_no_serious_accessibility_violation(app_server, new_page, size):
    page = new_page(**SIZES[size])
    tour = Tour(page, f"resident {size}")
    _public_pages(tour, app_server.url)
    _sign_in(page, app_server.url, "resident@example.com", "demo2026")
    _dashboard_and_connect(tour, app_server.url)
    _readings_and_pay(tour, app_server.url)
    _history_and_receipt(tour, app_server.url)
    _settings(tour, app_server.url)
    tour.report()


@pytest.fixture(scope="module")
def a_paid_payment(app_server, browser):
    """A payment for the operator's list, whichever test runs first."""
    context = browser.new_context()
    page = watched(context.new_page())
    _sign_in(page, app_server.url, "resident@example.com", "demo2026")
    _pay_ten_rubles(page, app_server.url)
    context.close()
    assert_clean(page)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("a_paid_payment")
def test_the_operator_journey_has_no_serious_accessibility_violation(app_server, new_page, size):
    page = new_page(**SIZES[size])
    tour = Tour(page, f"operator {size}")
    _sign_in(page, app_server.url, "admin@example.com", "admin2026")
    _admin(tour, app_server.url)
    tour.report()
