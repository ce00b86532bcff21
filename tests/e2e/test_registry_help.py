"""Registry help (#15 item 6): the format page from «Реестр», its sample per provider, a preview naming the provider."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.e2e.accessibility import axe_violations, serious_or_worse
from tests.e2e.phone import no_sideways_scroll, phone_page
from tests.e2e.test_accounts_and_readings import _sign_in

COLUMNS = (
    "account",
    "address",
    "owner",
    "debt",
    "penalty",
    "as_of",
    "last_bill",
    "pin",
    "meter_serial",
    "meter_kind",
    "meter_last",
    "meter_last_date",
    "meter_verified_until",
    "meter_digits",
    "meter_tariff",
)
WATER = "МУП «Водоканал» г. Заречный"
POWER = "АО «Энергосбыт Заречья»"


def _choose(page: Page, select: str, name: str) -> None:
    page.locator(select).click()
    page.get_by_role("option", name=name).click()
    expect(page.locator(select)).to_contain_text(name)


def _download(page: Page, button: str, tmp_path) -> bytes:
    with page.expect_download() as info:
        page.locator(button).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path.read_bytes()


def test_the_format_page_explains_offers_a_sample_and_the_preview_names_the_provider(app_server, page: Page, tmp_path):
    base = app_server.url
    _sign_in(page, base, "admin@example.com", "admin2026")
    page.goto(base + "/admin/registry")
    _choose(page, "#admin-registry-provider", WATER)
    expect(page.locator("#admin-registry-sample")).to_have_text(f"Скачать пример для {WATER}")

    page.get_by_role("link", name="Формат файла").click()
    expect(page).to_have_url(base + "/admin/registry/format")
    expect(page.locator("#admin-title")).to_have_text("Формат файла реестра")
    # The provider chosen on «Реестр» carries over, with its own account format in the description.
    expect(page.locator("#admin-registry-format-provider")).to_contain_text(WATER)
    for name in COLUMNS:
        expect(page.locator(f"#admin-registry-format-column-{name}")).to_contain_text(name)
    expect(page.locator("#admin-registry-format-column-account")).to_contain_text("обязательный")
    expect(page.locator("#admin-registry-format-column-owner")).to_contain_text("необязательный")
    expect(page.locator("#admin-registry-format-rules")).to_contain_text("Windows-1251")
    expect(page.locator("#admin-registry-format-example")).to_contain_text(";".join(COLUMNS))
    expect(page.locator("#admin-registry-format-steps")).to_contain_text("ничего не записывается")
    assert serious_or_worse(axe_violations(page)) == []

    _choose(page, "#admin-registry-format-provider", POWER)
    expect(page.locator("#admin-registry-format-sample")).to_have_text(f"Скачать пример для {POWER}")
    power = _download(page, "#admin-registry-format-sample", tmp_path)
    _choose(page, "#admin-registry-format-provider", WATER)
    sample = _download(page, "#admin-registry-format-sample", tmp_path)
    assert sample.startswith("\ufeff".encode() + ";".join(COLUMNS).encode())
    assert sample != power  # each in its provider's account format

    # The sample goes through the real check on «Реестр», whose heading names the provider it is for.
    page.locator("#admin-registry-format-back").click()
    expect(page).to_have_url(base + "/admin/registry")
    _choose(page, "#admin-registry-provider", WATER)
    assert _download(page, "#admin-registry-sample", tmp_path).count(b"\r\n") == sample.count(b"\r\n")
    (tmp_path / "sample.csv").write_bytes(sample)
    page.locator("#admin-registry-upload input[type=file]").set_input_files(str(tmp_path / "sample.csv"))
    expect(page.locator("#admin-registry-preview-title")).to_have_text(f"Предпросмотр реестра: {WATER}", timeout=15_000)
    expect(page.locator("#admin-registry-ok")).to_be_visible()
    expect(page.locator("#admin-registry-accounts_new")).to_have_text("3")
    expect(page.locator("#admin-registry-meters_new")).to_have_text("3")
    # Another provider chosen: the preview made for the first one is gone, heading and all.
    _choose(page, "#admin-registry-provider", POWER)
    expect(page.locator("#admin-registry-preview-title")).to_have_count(0)
    expect(page.locator("#admin-registry-import")).to_be_disabled()


def test_the_format_page_is_not_found_for_a_visitor(app_server, page: Page):
    page.goto(app_server.url + "/admin/registry/format")
    expect(page.locator("#not-found-title")).to_be_visible()
    expect(page.locator("#admin-title")).to_have_count(0)


def test_the_format_page_at_1280_and_375_px(app_server, page: Page, browser: Browser, screenshot_dir):
    base = app_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, base, "admin@example.com", "admin2026")
    page.goto(base + "/admin/registry/format")
    expect(page.locator("#admin-registry-format-column-meter_tariff")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "registry-format-1280.png"), full_page=True)
    assert no_sideways_scroll(page)
    with phone_page(browser) as phone:
        _sign_in(phone, base, "admin@example.com", "admin2026")
        phone.goto(base + "/admin/registry/format")
        expect(phone.locator("#admin-registry-format-column-meter_tariff")).to_be_visible()
        assert no_sideways_scroll(phone)
        assert serious_or_worse(axe_violations(phone)) == []
        phone.screenshot(path=str(screenshot_dir / "registry-format-375.png"), full_page=True)
