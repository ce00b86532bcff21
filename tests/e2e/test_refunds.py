"""#17 refunds end to end: the resident pays the water utility at the stand-in; its operator returns part of it
with a reason — an amount over what is left is refused next to the field, the typed reason kept, a double click
is one refund; the resident then reads «Возврат …» on the payment and in history, owes that much again and gets
a letter. A viewer of the water utility sees the payment's parts and no way to return money."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, func
from sqlmodel import Session, select

from cabinet.models import Provider, Refund
from cabinet.services.demo_data import PROVIDERS, STAFF_PASSWORD, operator_email, viewer_email
from tests.e2e.accessibility import axe_violations, serious_or_worse
from tests.e2e.client_errors import assert_clean, watched
from tests.e2e.phone import no_sideways_scroll
from tests.e2e.test_accounts_and_readings import _sign_in, _wait_until_the_dialog_has_opened
from tests.e2e.test_payments import _open_pay, _owed_on_dashboard, _pay_at_checkout, _submit_own_amount

WATER = PROVIDERS[0]
RESIDENT = ("resident@example.com", "demo2026")
PAID, PAID_TEXT = 30_000, "300,00\u00a0₽"
REFUND_TYPED, REFUND, REFUND_TEXT = "120,50", 12_050, "120,50\u00a0₽"
REASON = "Показания за октябрь учтены дважды"
# How long a refund may take to reach «Возвращено» (the stand-in answers, or notifies, within seconds).
SETTLE_SECONDS = 30


@pytest.fixture(scope="module")
def paid(app_server, browser) -> int:
    """The id of a payment of 300 ₽ the resident made for the water utility's account at the stand-in."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = watched(context.new_page())
    try:
        _sign_in(page, app_server.url, *RESIDENT)
        _open_pay(page, app_server.url, "Водоканал")
        _submit_own_amount(page, "300")
        _pay_at_checkout(page)
        payment_id = int(re.search(r"/payments/(\d+)", page.url).group(1))
    finally:
        context.close()
    assert_clean(page)
    return payment_id


def _refunds_in_database(app_server, payment_id: int) -> int:
    engine = create_engine(f"sqlite:///{app_server.data_dir / 'cabinet.db'}")
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(Refund).where(Refund.payment_id == payment_id)).one()
    engine.dispose()
    return count


def _staff_page(new_page, app_server, email: str, payment_id: int, **context) -> Page:
    page = new_page(**(context or {"viewport": {"width": 1280, "height": 900}}))
    _sign_in(page, app_server.url, email, STAFF_PASSWORD)
    page.goto(f"{app_server.url}/admin/payments/{payment_id}")
    expect(page.locator("#admin-payment-detail")).to_be_visible()
    return page


def _part_id(page: Page) -> str:
    """The one part of a one-account payment, by its row."""
    parts = page.locator("#admin-payment-parts [id^=admin-part-]:not([id$=-amount], [id$=-refunded], [id$=-left])")
    expect(parts).to_have_count(1)
    return parts.get_attribute("id").removeprefix("admin-part-")


def _until_settled(page: Page, url: str, locator: str, text: str) -> None:
    """Opens `url` again until `locator` shows `text`: a refund may still be on its way at YooKassa."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        page.goto(url)
        try:
            expect(page.locator(locator)).to_contain_text(text, timeout=3_000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise


def _refund_letter(base: str, to: str) -> dict:
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline:
        for letter in httpx.get(f"{base}/dev/mailbox.json", params={"to": to}, timeout=5).json():
            if letter["subject"] == f"Возврат {REFUND_TEXT}" and REASON in (letter["text"] or ""):
                return letter
        time.sleep(0.5)
    raise AssertionError(f"no refund letter to {to} within {SETTLE_SECONDS} s")


def _open_dialog_with_the_keyboard(page: Page, part_id: str):
    """«Вернуть деньги» reached and pressed from the keyboard; Escape closes it again, nothing sent."""
    page.locator(f"#admin-refund-open-{part_id}").focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#admin-refund-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#admin-refund-amount")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    page.keyboard.press("Enter")  # focus came back to the button
    expect(dialog).to_be_visible()
    return dialog


def test_an_operator_returns_part_of_a_payment_and_the_resident_sees_it(
    app_server, page: Page, new_page, paid, screenshot_dir
):
    base = app_server.url
    _sign_in(page, base, *RESIDENT)
    owed_before = _owed_on_dashboard(page, base, "Водоканал")

    operator = _staff_page(new_page, app_server, operator_email(WATER["slug"]), paid)
    part = _part_id(operator)
    expect(operator.locator(f"#admin-part-{part}-amount")).to_have_text(PAID_TEXT)
    expect(operator.locator(f"#admin-part-{part}-left")).to_have_text(PAID_TEXT)
    expect(operator.locator("#admin-refunds-empty")).to_be_visible()
    expect(operator.locator("#admin-payment-whole")).to_have_count(0)  # one account, and not the administrator

    dialog = _open_dialog_with_the_keyboard(operator, part)
    expect(operator.locator("#admin-refund-amount")).to_have_value("300,00")
    expect(operator.locator("#admin-refund-warning")).to_contain_text("Отменить возврат будет нельзя")
    _wait_until_the_dialog_has_opened(operator, dialog)
    operator.screenshot(path=str(screenshot_dir / "admin-refund-dialog-1280.png"))
    assert serious_or_worse(axe_violations(operator)) == []

    # More than was paid: refused next to the amount; what was typed stays, nothing is written.
    operator.locator("#admin-refund-reason").fill(REASON)
    operator.locator("#admin-refund-amount").fill("1000")
    operator.locator("#admin-refund-submit").click()
    expect(operator.locator("#admin-refund-amount-error")).to_contain_text("до 300,00")
    expect(operator.locator("#admin-refund-amount")).to_have_attribute("aria-invalid", "true")
    expect(operator.locator("#admin-refund-amount")).to_have_value("1000")
    expect(operator.locator("#admin-refund-reason")).to_have_value(REASON)
    expect(operator.locator("#admin-refund-reason-error")).to_have_count(0)
    operator.screenshot(path=str(screenshot_dir / "admin-refund-refused-1280.png"))
    assert _refunds_in_database(app_server, paid) == 0

    # Part of it, with a double click: one refund.
    operator.locator("#admin-refund-amount").fill(REFUND_TYPED)
    expect(operator.locator("#admin-refund-amount-error")).to_have_count(0)
    operator.locator("#admin-refund-submit").dblclick()
    expect(dialog).to_have_count(0, timeout=20_000)
    expect(operator.locator("#admin-refund-message")).to_contain_text(f"Возврат {REFUND_TEXT}")
    rows = operator.locator("#admin-refunds [id^=admin-refund-]")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(REASON)
    expect(rows).to_contain_text(REFUND_TEXT)
    expect(rows).to_contain_text(operator_email(WATER["slug"]))
    assert _refunds_in_database(app_server, paid) == 1

    detail_url = f"{base}/admin/payments/{paid}"
    _until_settled(operator, detail_url, "#admin-refunds [id^=admin-refund-]", "Возвращено")
    expect(operator.locator(f"#admin-part-{part}-refunded")).to_have_text(REFUND_TEXT)
    expect(operator.locator(f"#admin-part-{part}-left")).to_have_text("179,50\u00a0₽")
    operator.screenshot(path=str(screenshot_dir / "admin-refund-done-1280.png"), full_page=True)
    operator.goto(f"{base}/admin/payments")
    expect(operator.locator(f"#admin-payment-refunded-{paid}")).to_have_text(f"возвращено {REFUND_TEXT}")
    assert _refunds_in_database(app_server, paid) == 1

    # The resident: the payment, history, the amount to pay, the letter.
    page.goto(f"{base}/payments/{paid}")
    expect(page.locator("#payment-status")).to_have_text("Оплачено")
    expect(page.locator("#payment-refunded")).to_contain_text(REFUND_TEXT)
    refund = page.locator("#payment-refunds [id^=payment-refund-]:not([id$=-status])")
    expect(refund).to_have_count(1)
    expect(refund).to_contain_text(REFUND_TEXT)
    expect(refund).to_contain_text(REASON)
    expect(refund).to_contain_text("Возвращено")
    page.screenshot(path=str(screenshot_dir / "payment-refunded-1280.png"), full_page=True)
    page.goto(f"{base}/payments")
    expect(page.locator(f"#history-refund-{paid}")).to_have_text(f"Возврат {REFUND_TEXT}")
    assert _owed_on_dashboard(page, base, "Водоканал") == owed_before + REFUND
    letter = _refund_letter(base, RESIDENT[0])
    page.goto(f"{base}/dev/mailbox/{letter['id']}")
    expect(page.locator("#mailbox-letter-text")).to_contain_text(REASON)


def test_the_refund_dialog_on_a_phone(app_server, new_page, paid, screenshot_dir):
    phone = _staff_page(
        new_page,
        app_server,
        operator_email(WATER["slug"]),
        paid,
        viewport={"width": 375, "height": 812},
        has_touch=True,
        is_mobile=True,
    )
    part = _part_id(phone)
    left = phone.locator(f"#admin-part-{part}-left").inner_text().removesuffix("\u00a0₽")
    phone.locator(f"#admin-refund-open-{part}").tap()
    dialog = phone.locator("#admin-refund-dialog")
    _wait_until_the_dialog_has_opened(phone, dialog)
    expect(phone.locator("#admin-refund-amount")).to_have_value(left)
    phone.screenshot(path=str(screenshot_dir / "admin-refund-dialog-375.png"))
    assert serious_or_worse(axe_violations(phone)) == []
    assert no_sideways_scroll(phone)
    phone.locator("#admin-refund-cancel").tap()
    expect(dialog).to_have_count(0)
    assert no_sideways_scroll(phone)


def test_a_viewer_sees_the_parts_and_no_way_to_return_money(app_server, new_page, paid):
    viewer = _staff_page(new_page, app_server, viewer_email(WATER["slug"]), paid)
    part = _part_id(viewer)
    expect(viewer.locator(f"#admin-part-{part}-amount")).to_have_text(PAID_TEXT)
    expect(viewer.locator("[id^=admin-refund-open-]")).to_have_count(0)
    expect(viewer.locator("#admin-payment-check")).to_have_count(0)


def _provider_id(app_server, inn: str) -> int:
    engine = create_engine(f"sqlite:///{app_server.data_dir / 'cabinet.db'}")
    with Session(engine) as session:
        found = session.exec(select(Provider.id).where(Provider.inn == inn)).one()
    engine.dispose()
    return found


def test_the_providers_shop_is_the_administrators_to_change(app_server, page: Page, new_page, screenshot_dir):
    """The water utility's own YooKassa shop: its operator reads it, the administrator types it; a shop id that
    is not digits is refused next to the field and what was typed stays."""
    base, water = app_server.url, _provider_id(app_server, WATER["inn"])
    shop = "#admin-provider-yookassa-account-id"
    operator = new_page(viewport={"width": 1280, "height": 900})
    _sign_in(operator, base, operator_email(WATER["slug"]), STAFF_PASSWORD)
    operator.goto(f"{base}/admin/providers/{water}")
    expect(operator.locator(shop)).to_have_value(WATER["yookassa_account_id"])
    expect(operator.locator(shop)).to_have_attribute("readonly", "")
    expect(operator.locator("#admin-provider-shop-note")).to_contain_text("меняет администратор платформы")
    expect(operator.locator("#admin-provider-shop")).to_contain_text("по выгрузке платежей")

    _sign_in(page, base, "admin@example.com", "admin2026")
    page.goto(f"{base}/admin/providers/{water}")
    expect(page.locator(shop)).to_have_value(WATER["yookassa_account_id"])
    expect(page.locator(shop)).not_to_have_attribute("readonly", "")
    expect(page.locator("#admin-provider-shop-note")).to_have_count(0)
    page.locator(shop).fill("shop-100523")
    page.locator("#admin-provider-save").click()
    expect(page.locator(f"{shop}-error")).to_contain_text("только цифры")
    expect(page.locator(shop)).to_have_value("shop-100523")
    page.locator("#admin-provider-shop").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "admin-provider-shop-1280.png"))
    assert _provider_shop(app_server, water) == WATER["yookassa_account_id"]


def _provider_shop(app_server, provider_id: int) -> str:
    engine = create_engine(f"sqlite:///{app_server.data_dir / 'cabinet.db'}")
    with Session(engine) as session:
        found = session.get(Provider, provider_id).yookassa_account_id
    engine.dispose()
    return found
