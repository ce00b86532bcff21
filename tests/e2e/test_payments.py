"""Paying through the YooKassa stand-in: the debt, an own amount with readings, cancel and retry, history."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sqlite3
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.phone import no_sideways_scroll, phone_page
from tests.e2e.test_accounts_and_readings import _number_from, _sign_in
from tests.e2e.watch import HeldAnswers, clear_shown, record_shown, shown, watch_page_errors

WIDTHS = {"desktop": 1280, "phone": 375}


def _card(page: Page, provider: str):
    return page.locator("[id^=account-card-]", has_text=provider)


def _kopecks(text: str) -> int:
    """«1 234,56 ₽» as shown -> 123456."""
    match = re.fullmatch(r"−?(\d[\d\u00a0\u202f ]*),(\d\d)\u00a0₽", text.strip())
    assert match, text
    rubles = int(re.sub(r"\D", "", match.group(1)))
    return (rubles * 100 + int(match.group(2))) * (-1 if text.strip().startswith("−") else 1)


def _owed_on_dashboard(page: Page, base: str, provider: str) -> int:
    """The card's amount to pay in kopecks: positive owed, zero, negative for an overpayment."""
    page.goto(base + "/")
    amount = _card(page, provider).locator("[id^=account-to-pay-]")
    expect(amount).to_be_visible()
    state = amount.get_attribute("data-state")
    if state == "none":
        expect(amount).to_have_text("Долга нет")
        return 0
    assert state in ("owe", "overpaid"), state
    return _kopecks(amount.inner_text()) * (1 if state == "owe" else -1)


def _history_rows(page: Page) -> dict[str, tuple[int, str, str]]:
    """Shown rows: payment id -> (amount in kopecks, status, the row's text)."""
    rows = {}
    for row in page.locator("[id^=history-row-]").all():
        payment_id = row.get_attribute("id").removeprefix("history-row-")
        text = row.inner_text()
        amount = re.search(r"\d[\d\u00a0\u202f ]*,\d\d\u00a0₽", text)
        assert amount, text
        rows[payment_id] = (_kopecks(amount.group(0)), page.locator(f"#history-status-{payment_id}").inner_text(), text)
    return rows


def _refunded(page: Page) -> int:
    """What came back of the shown payments («Возврат 50,25 ₽» under a row), in kopecks."""
    return sum(
        _kopecks(refund.inner_text().removeprefix("Возврат ")) for refund in page.locator("[id^=history-refund-]").all()
    )


def _history_total(page: Page) -> int:
    text = page.locator("#history-total").inner_text()
    assert text.startswith("Оплачено за период:"), text
    return _kopecks(text.removeprefix("Оплачено за период:"))


def _choose(page: Page, select_id: str, option: str | re.Pattern) -> None:
    page.locator(f"#{select_id}").click()
    page.get_by_role("option", name=option).click()
    expect(page.get_by_role("listbox")).to_have_count(0)


def _open_pay(page: Page, base: str, provider: str) -> None:
    page.goto(base + "/")
    _card(page, provider).locator("[id^=account-pay-]").click()
    expect(page.locator("#pay-title")).to_be_visible()


def _submit_own_amount(page: Page, amount: str) -> None:
    """On the pay page: «Своя сумма», the amount, «Оплатить»."""
    page.locator("#pay-mode-custom").click()
    page.locator("#pay-amount").fill(amount)
    page.locator("#pay-submit").click()


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
    expect(page.locator("#pay-mode-debt")).to_be_checked()
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
    owed_before = _owed_on_dashboard(page, base, "Газ-Сервис")
    _open_pay(page, base, "Газ-Сервис")
    _submit_own_amount(page, "0,5")
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

    assert _owed_on_dashboard(page, base, "Газ-Сервис") == owed_before - 50_050
    last = page.locator(f"#meter-last-{meter_id}")
    expect(last).to_contain_text("передано при оплате")
    assert _number_from(last.inner_text()) == float(int(previous) + 30)


def test_cancel_at_checkout_then_pay_again_and_see_the_history(app_server, page: Page, screenshot_dir):
    base = app_server.url
    _sign_in(page, base, "resident@example.com", "demo2026")
    _open_pay(page, base, "Энергосбыт")
    _submit_own_amount(page, "100")
    page.locator("#sandbox-reason").select_option("insufficient_funds")
    page.locator("#sandbox-cancel").click()
    expect(page.locator("#payment-status")).to_have_text("Отменён", timeout=20_000)
    expect(page.locator("#payment-reason")).to_have_text("Недостаточно денег на карте.")
    page.screenshot(path=str(screenshot_dir / "payment-canceled-desktop.png"), full_page=True)
    canceled_url = page.url

    page.locator("#payment-pay-again").click()
    _submit_own_amount(page, "100")
    _pay_at_checkout(page)
    paid_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    number = page.locator("#payment-account").inner_text().strip()
    canceled_id = canceled_url.rstrip("/").rsplit("/", 1)[-1]

    page.goto(base + "/payments")
    expect(page.locator(f"#history-row-{paid_id}")).to_be_visible()
    expect(page.locator(f"#history-status-{canceled_id}")).to_have_text("Отменён")
    expect(page.locator(f"#history-status-{paid_id}")).to_have_text("Оплачено")
    everything = _history_rows(page)
    assert everything[canceled_id][0] == everything[paid_id][0] == 10_000
    assert number in everything[paid_id][2] and "Энергосбыт" in everything[paid_id][2]
    # The total counts what was paid, not what was canceled, and less what came back (an earlier test's refund).
    paid_total = sum(amount for amount, status, _text in everything.values() if status == "Оплачено")
    refunded = _refunded(page)
    assert _history_total(page) == paid_total - refunded and paid_total >= 10_000

    _choose(page, "history-filter-status", "Оплачено")
    expect(page.locator(f"#history-row-{canceled_id}")).to_have_count(0)
    expect(page.locator(f"#history-row-{paid_id}")).to_be_visible()
    paid_only = _history_rows(page)
    assert set(paid_only) == {key for key, (_a, status, _t) in everything.items() if status == "Оплачено"}
    assert _history_total(page) == paid_total - refunded
    page.mouse.move(640, 5)  # off the rows, so none is shown hovered
    page.screenshot(path=str(screenshot_dir / "history-desktop.png"), full_page=True)
    _choose(page, "history-filter-status", "Все статусы")
    expect(page.locator(f"#history-row-{canceled_id}")).to_be_visible()

    # By account: only this account's payments, and its total.
    _choose(page, "history-filter-account", re.compile(re.escape(number)))
    expect(page.locator("[id^=history-row-]").filter(has_not_text=number)).to_have_count(0)
    this_account = _history_rows(page)
    assert {canceled_id, paid_id} <= set(this_account)
    assert set(this_account) == {key for key, (_a, _s, text) in everything.items() if number in text}
    assert _history_total(page) == sum(amount for amount, status, _t in this_account.values() if status == "Оплачено")

    # By period: this month holds today's payments, each dated in this month (Moscow time).
    _choose(page, "history-filter-account", "Все счета")
    expect(page.locator("[id^=history-row-]")).to_have_count(len(everything))
    _choose(page, "history-filter-period", "Этот месяц")
    expect(page.locator(f"#history-row-{paid_id}")).to_be_visible()
    this_month = _history_rows(page)
    month = dt.datetime.now(ZoneInfo("Europe/Moscow")).strftime("%m.%Y")
    assert {canceled_id, paid_id} <= set(this_month)
    for _amount, _status, text in this_month.values():
        assert re.search(rf"\d\d\.{re.escape(month)} \d\d:\d\d", text), text
    paid_this_month = sum(amount for amount, status, _t in this_month.values() if status == "Оплачено")
    assert _history_total(page) == paid_this_month - _refunded(page)


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


def test_a_refused_amount_is_never_shown_as_the_total(app_server, page: Page, browser, screenshot_dir):
    """Regression (#14 item 5): «Итого к оплате 1 000 000,00 ₽» stood beside the refusal of that very amount."""
    errors = watch_page_errors(page)
    base = app_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, base, "resident@example.com", "demo2026")
    _open_pay(page, base, "Газ-Сервис")
    million = re.compile(r"1[\s\u00a0]000[\s\u00a0]000,00")
    _submit_own_amount(page, "1000000")
    expect(page.locator("#pay-amount-error")).to_contain_text("Сумма — от 1,00")
    expect(page.locator("#pay-summary")).to_have_text("—")
    expect(page.locator("body")).not_to_contain_text(million)
    expect(page).to_have_url(re.compile(r"/pay/?$"))
    expect(page.locator("#pay-amount")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#pay-amount")).to_have_attribute("aria-describedby", "pay-amount-error")
    page.screenshot(path=str(screenshot_dir / "pay-refused-1280.png"), full_page=True)

    page.locator("#pay-amount").fill("250")
    expect(page.locator("#pay-summary")).to_have_text("250,00\u00a0₽")
    expect(page.locator("#pay-amount-error")).to_have_count(0)
    # Zero and a malformed amount are refused as they are typed, and no total stands for them either.
    for refused in ("0", "12,3,4"):
        page.locator("#pay-amount").fill(refused)
        expect(page.locator("#pay-amount-error")).to_be_visible()
        expect(page.locator("#pay-summary")).to_have_text("—")

    with phone_page(browser) as phone:
        _sign_in(phone, base, "resident@example.com", "demo2026")
        _open_pay(phone, base, "Газ-Сервис")
        _submit_own_amount(phone, "1000000")
        expect(phone.locator("#pay-amount-error")).to_be_visible()
        expect(phone.locator("body")).not_to_contain_text(million)
        phone.screenshot(path=str(screenshot_dir / "pay-refused-375.png"), full_page=True)
        assert no_sideways_scroll(phone)
    assert errors == []


def test_after_paying_the_dashboard_never_shows_the_debt_from_before(app_server, page: Page, screenshot_dir):
    """Regression (#14 item 4): back on the dashboard after paying, the previous debt showed for 0.1–0.2 s."""
    errors = watch_page_errors(page)
    record_shown(page, "[id^=account-to-pay-]")
    answers = HeldAnswers(page)
    base = app_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, base, "resident@example.com", "demo2026")
    page.goto(base + "/")
    amount = _card(page, "Энергосбыт").locator("[id^=account-to-pay-]")
    expect(amount).to_be_visible()
    amount_id, before = amount.get_attribute("id"), amount.inner_text()

    _card(page, "Энергосбыт").locator("[id^=account-pay-]").click()
    _submit_own_amount(page, "100")
    _pay_at_checkout(page)
    clear_shown(page)
    answers.holding = True  # the dashboard's figures of this visit are on their way
    page.locator("#nav-home").click()
    expect(page.locator("#dashboard-loading")).to_be_visible()
    expect(page.locator("#dashboard-loading")).to_have_attribute("aria-busy", "true")
    expect(page.locator("[id^=account-to-pay-]")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "loading-placeholder-1280.png"))
    answers.release()
    fresh = page.locator(f"#{amount_id}")
    expect(fresh).not_to_have_text(before)
    after = fresh.inner_text()
    seen = [entry for snapshot in shown(page) for entry in snapshot if entry.startswith(f"{amount_id}=")]
    assert f"{amount_id}={before}" not in seen, seen
    assert seen and seen[-1] == f"{amount_id}={after}", seen
    assert errors == []


def test_history_never_shows_the_list_of_an_earlier_visit(app_server, page: Page):
    """Regression (#14 item 4): history first showed the previous visit's rows (a quick click opened the wrong one)."""
    errors = watch_page_errors(page)
    record_shown(page, "[id^=history-row-]")
    answers = HeldAnswers(page)
    base = app_server.url
    _sign_in(page, base, "resident@example.com", "demo2026")
    page.goto(base + "/payments")
    expect(page.locator("[id^=history-row-], #history-empty").first).to_be_visible()

    _open_pay(page, base, "Энергосбыт")
    _submit_own_amount(page, "100")
    _pay_at_checkout(page)
    new_row = "history-row-" + page.url.rstrip("/").rsplit("/", 1)[-1]
    clear_shown(page)
    answers.holding = True
    page.locator("#nav-payments").click()
    expect(page.locator("#history-loading")).to_be_visible()
    expect(page.locator("[id^=history-row-]")).to_have_count(0)
    answers.release()
    expect(page.locator(f"#{new_row}")).to_be_visible()
    lists = [snapshot for snapshot in shown(page) if snapshot]
    assert lists, "the history list never showed"
    stale = [snapshot for snapshot in lists if not any(entry.startswith(f"{new_row}=") for entry in snapshot)]
    assert stale == [], f"a list without the new payment showed first: {stale[0]}"
    assert errors == []


def test_ten_tabs_on_a_payment_whose_notification_was_lost_all_show_it_paid(app_server, page: Page, new_page):
    """#18: each tab reads our database every 2 s, one poll per 5 s asks YooKassa; every tab learns the answer.

    How many times YooKassa is asked is counted in tests/services/test_payments_gateway_checks.py (ten threads).
    """
    base = app_server.url
    _sign_in(page, base, "resident@example.com", "demo2026")
    _open_pay(page, base, "Энергосбыт")
    _submit_own_amount(page, "10")
    expect(page.locator("#sandbox-pay")).to_be_visible()
    checkout_url = page.url
    database = app_server.data_dir / "cabinet.db"
    with contextlib.closing(sqlite3.connect(database)) as db:
        (payment_id,) = db.execute(
            "SELECT id FROM payments WHERE gateway_payment_id = ?", (checkout_url.rstrip("/").rsplit("/", 1)[-1],)
        ).fetchone()
    fault = {"service": "yookassa", "drop_notifications": True, "count": 0}
    httpx.post(f"{base}/sandbox/_faults", json=fault, timeout=5).raise_for_status()
    try:
        tabs = [page, *(new_page(context=page.context) for _ in range(9))]
        for tab in tabs:
            tab.goto(f"{base}/payments/{payment_id}")
            expect(tab.locator("#payment-status")).to_have_text("Ожидает оплаты")
        httpx.post(f"{checkout_url}/pay", timeout=10)  # paid; the notification never comes
        for tab in tabs:
            expect(tab.locator("#payment-status")).to_have_text("Оплачено", timeout=20_000)
    finally:
        httpx.delete(f"{base}/sandbox/_faults", timeout=5)
    with contextlib.closing(sqlite3.connect(database)) as db:
        (checked_at,) = db.execute("SELECT gateway_checked_at FROM payments WHERE id = ?", (payment_id,)).fetchone()
    assert checked_at is not None  # a tab claimed the payment before asking YooKassa
