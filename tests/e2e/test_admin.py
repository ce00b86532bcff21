"""The admin page: hidden from residents and visitors; an operator creates a provider and looks around."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import struct
import uuid
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.mailbox import wait_for_link
from tests.e2e.test_account_flows import _register
from tests.e2e.test_accounts_and_readings import _sign_in
from tests.e2e.test_payments import _open_pay, _pay_at_checkout, _submit_own_amount
from tests.e2e.watch import clear_shown, record_shown, shown, watch_page_errors

SAMPLE_REGISTRY = Path(__file__).resolve().parents[2] / "docs" / "registry-sample.csv"
ADMIN_ROUTES = [
    "/admin",
    "/admin/providers",
    "/admin/registry",
    "/admin/residents",
    "/admin/payments",
    "/admin/readings",
    "/admin/audit",
    "/admin/staff",
    "/admin/registry/format",
]


def png_bytes(width: int = 120, height: int = 60) -> bytes:
    """A small real PNG: a grey receipt with a green frame where the number is."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            framed = 10 <= y <= 25 and 60 <= x <= 110 and (y in (10, 25) or x in (60, 110))
            row += bytes((70, 167, 88) if framed else (235, 235, 235))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("who", ["visitor", "resident"])
def test_admin_pages_are_not_found_for_anyone_but_an_admin(app_server, page: Page, who):
    if who == "resident":
        _sign_in(page, app_server.url, "resident@example.com", "demo2026")
        expect(page.locator("#nav-admin")).to_have_count(0)
    for route in ADMIN_ROUTES:
        page.goto(app_server.url + route)
        expect(page.locator("#not-found-title")).to_be_visible()
        expect(page.locator("#admin-title")).to_have_count(0)


def test_admin_creates_a_provider_with_a_receipt_picture(app_server, page: Page, screenshot_dir, tmp_path):
    base = app_server.url
    _sign_in(page, base, "admin@example.com", "admin2026")
    page.locator("#nav-admin").click()
    expect(page.locator("#admin-figure-residents")).to_have_text(re.compile(r"^\d+$"))
    page.screenshot(path=str(screenshot_dir / "admin-overview-desktop.png"), full_page=True)

    page.locator("#admin-nav-providers").click()
    page.locator("#admin-providers-new").click()
    page.locator("#admin-provider-name").fill("ООО «Теплосеть Заречья»")
    page.locator("#admin-provider-inn").fill("7707083894")
    page.locator("#admin-provider-account-pattern").fill(r"\d{9}")
    page.locator("#admin-provider-account-example").fill("12345")
    expect(page.locator("#admin-provider-pattern-check")).to_contain_text("не подходит")
    page.locator("#admin-provider-account-example").fill("100200300")
    expect(page.locator("#admin-provider-pattern-check")).to_contain_text("подходит под шаблон")
    page.locator("#admin-provider-account-format-description").fill("9 цифр без пробелов")
    picture = tmp_path / "receipt.png"
    picture.write_bytes(png_bytes())
    page.locator("#admin-receipt-upload input[type=file]").set_input_files(str(picture))
    expect(page.locator("#admin-receipt-preview")).to_be_visible(timeout=15_000)
    served = page.request.get(base + page.locator("#admin-receipt-preview").get_attribute("src"))
    assert (served.status, served.headers["content-type"]) == (200, "image/png")
    fake = tmp_path / "receipt-really-text.png"
    fake.write_text("not a picture")
    page.locator("#admin-receipt-upload input[type=file]").set_input_files(str(fake))
    expect(page.locator("#admin-provider-receipt-image-error")).to_contain_text("PNG или JPEG")
    page.locator("#admin-provider-save").click()
    expect(page.locator("#admin-provider-inn-error")).to_contain_text("контрольными")
    expect(page.locator("#admin-provider-name")).to_have_value("ООО «Теплосеть Заречья»")
    page.screenshot(path=str(screenshot_dir / "admin-provider-form-desktop.png"), full_page=True)
    page.locator("#admin-provider-inn").fill("7707083893")
    page.locator("#admin-provider-save").click()
    expect(page.locator("#admin-providers-notice")).to_contain_text("Теплосеть Заречья")
    expect(page.locator("#admin-providers-list")).to_contain_text("Теплосеть Заречья")
    page.screenshot(path=str(screenshot_dir / "admin-providers-desktop.png"), full_page=True)

    # The provider hands over its registry; a resident can then connect one of its accounts.
    page.locator("#admin-nav-registry").click()
    page.locator("#admin-registry-provider").click()
    page.get_by_role("option", name="ООО «Теплосеть Заречья»").click()
    page.locator("#admin-registry-upload input[type=file]").set_input_files(str(SAMPLE_REGISTRY))
    expect(page.locator("#admin-registry-accounts_new")).to_have_text("12", timeout=15_000)
    expect(page.locator("#admin-registry-meters_new")).to_have_text("11")
    expect(page.locator("#admin-registry-ok")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "admin-registry-preview-desktop.png"), full_page=True)
    page.locator("#admin-registry-import").click()
    expect(page.locator("#admin-registry-notice")).to_contain_text("Реестр загружен", timeout=30_000)
    again = tmp_path / "registry-again.csv"
    again.write_bytes(SAMPLE_REGISTRY.read_bytes())
    page.locator("#admin-registry-upload input[type=file]").set_input_files(str(again))
    expect(page.locator("#admin-registry-accounts_unchanged")).to_have_text("12", timeout=15_000)

    bad = tmp_path / "bad.csv"
    bad.write_text(
        SAMPLE_REGISTRY.read_text(encoding="utf-8-sig").replace("100200305", "1002003", 1), encoding="cp1251"
    )
    page.locator("#admin-registry-upload input[type=file]").set_input_files(str(bad))
    expect(page.locator("#admin-registry-errors")).to_contain_text("Номер не подходит", timeout=15_000)
    expect(page.locator("#admin-registry-import")).to_be_disabled()
    page.screenshot(path=str(screenshot_dir / "admin-registry-errors-desktop.png"), full_page=True)

    page.locator("#nav-sign-out").click()
    email = f"new.tenant.{uuid.uuid4().hex[:8]}@example.com"
    _register(page, base, email, "tenant1")
    page.goto(wait_for_link(base, to=email, path="confirm"))
    expect(page.locator("#confirm-success")).to_be_visible()
    _sign_in(page, base, email, "tenant1")
    page.goto(base + "/accounts/connect")
    page.locator("[id^=connect-provider-]", has_text="Теплосеть Заречья").click()
    page.locator("#connect-number").fill("100 200 305")
    page.locator("#connect-submit").click()
    expect(page.locator("#connect-congratulations")).to_be_visible()
    page.goto(base + "/")
    expect(page.locator("[id^=account-card-]", has_text="Теплосеть Заречья")).to_contain_text("1\u00a0234,56\u00a0₽")


def test_admin_sections_look_finished(app_server, page: Page, screenshot_dir):
    _sign_in(page, app_server.url, "admin@example.com", "admin2026")
    page.goto(app_server.url + "/admin/residents")
    page.locator("#admin-residents-query").fill("resident@")
    page.locator("#admin-residents-search").click()
    rows = page.locator("[id^=admin-resident-row-]")
    expect(rows).to_have_count(1)
    rows.first.click()
    expect(page.locator("#admin-resident-title")).to_contain_text("resident@example.com")
    page.screenshot(path=str(screenshot_dir / "admin-residents-desktop.png"), full_page=True)

    page.goto(app_server.url + "/admin/payments")
    expect(page.locator("#admin-payments-total")).to_contain_text("Оплачено")
    page.screenshot(path=str(screenshot_dir / "admin-payments-desktop.png"), full_page=True)
    page.goto(app_server.url + "/admin/readings")
    expect(page.locator("#admin-readings-export")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "admin-readings-desktop.png"), full_page=True)
    page.goto(app_server.url + "/admin/audit")
    expect(page.locator("[id^=admin-audit-row-]").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "admin-audit-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(app_server.url + "/admin")
    expect(page.locator("#admin-title")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "admin-overview-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_admin_payment_detail_shows_the_gateway_id(app_server, page: Page, screenshot_dir):
    base = app_server.url
    _sign_in(page, base, "resident@example.com", "demo2026")
    _open_pay(page, base, "Водоканал")
    _submit_own_amount(page, "321,00")
    _pay_at_checkout(page)
    payment_id = int(re.search(r"/payments/(\d+)", page.url).group(1))
    with contextlib.closing(sqlite3.connect(app_server.data_dir / "cabinet.db")) as db:
        (gateway_id,) = db.execute("SELECT gateway_payment_id FROM payments WHERE id = ?", (payment_id,)).fetchone()
    assert gateway_id
    page.locator("#nav-sign-out").click()

    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, base, "admin@example.com", "admin2026")
    page.goto(base + "/admin/payments")
    page.locator(f"#admin-payment-row-{payment_id}").click()
    detail = page.locator("#admin-payment-detail")
    expect(detail).to_contain_text(gateway_id)
    expect(detail).to_contain_text("321,00\u00a0₽")
    expect(detail).to_contain_text("resident@example.com")
    page.locator("#admin-payment-check").click()
    expect(page.locator("#admin-payment-notice")).to_have_text("Статус в ЮKassa: Оплачено.", timeout=15_000)
    page.screenshot(path=str(screenshot_dir / "admin-payment-detail-desktop.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_the_registry_preview_of_an_earlier_visit_is_not_shown_again(app_server, page: Page):
    """Regression (#14 item 4): back on «Реестр», the previous visit's preview showed until the page had loaded."""
    errors = watch_page_errors(page)
    preview = "#admin-registry-counts, #admin-registry-errors"
    record_shown(page, preview)
    base = app_server.url
    _sign_in(page, base, "admin@example.com", "admin2026")
    page.goto(base + "/admin/registry")
    page.locator("#admin-registry-upload input[type=file]").set_input_files(str(SAMPLE_REGISTRY))
    expect(page.locator(preview).first).to_be_visible(timeout=15_000)

    page.locator("#admin-nav-overview").click()
    expect(page.locator("#admin-figure-residents")).to_be_visible()
    clear_shown(page)
    page.locator("#admin-nav-registry").click()
    expect(page.locator("#admin-registry-upload")).to_be_visible()
    expect(page.locator("#admin-registry-import")).to_be_disabled()
    assert [snapshot for snapshot in shown(page) if snapshot] == []
    assert errors == []
