"""The resident's own data (#19) in a browser: download the archive, close the cabinet, find the door shut, sign
up again with the same address to an empty cabinet; and an administrator closing one on a written request."""

from __future__ import annotations

import json
import re
import time
import uuid
import zipfile

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.mailbox import count_letters, wait_for_link
from tests.e2e.phone import no_sideways_scroll

PASSWORD = "abc12"


def _sign_up(page: Page, base: str, email: str, *, after: int = 0) -> None:
    page.goto(base + "/register")
    page.locator("#register-email").fill(email)
    page.locator("#register-password").fill(PASSWORD)
    page.locator("#register-password-repeat").fill(PASSWORD)
    page.locator("#register-consent").click()
    page.locator("#register-submit").click()
    expect(page.locator("#register-sent-address")).to_be_visible()
    page.goto(wait_for_link(base, to=email, path="confirm", after=after))
    page.locator("#confirm-password").fill(PASSWORD)
    page.locator("#confirm-submit").click()
    expect(page.locator("#connect-title")).to_be_visible()


def _connect_water(page: Page) -> None:
    page.locator("[id^=connect-provider-]", has_text="Водоканал").click()
    page.locator("#connect-number").fill("3700123402")
    page.locator("#connect-nickname").fill("Дача")
    page.locator("#connect-submit").click()
    expect(page.locator("#connect-congratulations")).to_be_visible()


def _wait_for_letter(base: str, email: str, words: str) -> str:
    """The text of the letter to `email` that says `words`, once the outbox has sent it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for letter in httpx.get(f"{base}/dev/mailbox.json", params={"to": email}, timeout=5).json():
            if words in (letter["text"] or ""):
                return letter["text"]
        time.sleep(0.5)
    raise AssertionError(f"no letter to {email} saying «{words}»")


def _sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/login")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill(password)
    page.locator("#login-submit").click()


def _shots(page: Page, screenshot_dir, name: str, locator: str) -> None:
    """The section at 1280 px, then as a phone (375 px) shows it; nothing sticks out sideways."""
    for width, suffix in ((1280, "desktop"), (375, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.locator(locator).scroll_into_view_if_needed()
        page.locator(locator).screenshot(path=str(screenshot_dir / f"{name}-{suffix}.png"))
        assert no_sideways_scroll(page), f"{name} at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_download_the_archive_close_the_cabinet_and_start_again_empty(app_server, page: Page, screenshot_dir, tmp_path):
    base, email = app_server.url, f"olga.{uuid.uuid4().hex[:8]}@example.com"
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_up(page, base, email)
    _connect_water(page)

    page.goto(base + "/settings")
    page.locator("#settings-data-prepare").click()
    download_button = page.locator("#settings-data-download")
    expect(download_button).to_be_visible(timeout=20_000)
    expect(page.locator("#settings-data-ready")).to_contain_text("один раз")
    _shots(page, screenshot_dir, "settings-my-data", "#settings-data")
    with page.expect_download() as download:
        download_button.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert re.fullmatch(r"kabinet-moi-dannye-\d{4}-\d\d-\d\d\.zip", saved.name)
    with zipfile.ZipFile(saved) as archive:
        data = json.loads(archive.read("data.json"))
        assert "index.html" in archive.namelist()
    assert data["profile"][0]["email"] == email
    assert [(row["account"], row["nickname"]) for row in data["accounts"]] == [("3700123402", "Дача")]
    assert {row["event"] for row in data["sign_ins"]} >= {"sign_in", "session"}
    expect(page.locator("#settings-data-done")).to_contain_text("Архив скачан")
    assert httpx.get(download.value.url, timeout=10).status_code == 410

    # Closing: the tick and the password are both asked for, next to their fields.
    page.locator("#settings-closing-password").fill(PASSWORD)
    page.locator("#settings-closing-submit").click()
    expect(page.locator("#settings-closing-confirmed-error")).to_contain_text("нельзя отменить")
    page.locator("#settings-closing-confirmed").click()
    page.locator("#settings-closing-password").fill("wrong99")
    page.locator("#settings-closing-submit").click()
    expect(page.locator("#settings-closing-password-error")).to_have_text("Текущий пароль введён неверно.")
    _shots(page, screenshot_dir, "settings-closing", "#settings-closing")
    page.locator("#settings-closing-password").fill(PASSWORD)
    page.locator("#settings-closing-submit").click()
    expect(page).to_have_url(re.compile(r"/closed/?$"))
    expect(page.locator("#closed-title")).to_have_text("Кабинет закрыт")
    expect(page.locator("#nav-sign-out")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "closed-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(screenshot_dir / "closed-phone.png"), full_page=True)
    assert no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    closing_letter = _wait_for_letter(base, email, "Вы закрыли свой Личный кабинет")
    assert "новый, пустой кабинет" in closing_letter
    letters = count_letters(base, to=email)

    _sign_in(page, base, email, PASSWORD)
    expect(page.locator("#login-error")).to_have_text("Неверный адрес электронной почты или пароль.")
    page.goto(base + "/settings")
    expect(page).to_have_url(re.compile(r"/login\?next="))

    _sign_up(page, base, email, after=letters)
    page.goto(base + "/")
    expect(page.locator("#nav-sign-out")).to_be_visible()
    expect(page.locator("[id^=account-card-]")).to_have_count(0)
    page.goto(base + "/payments")
    expect(page.locator("[id^=history-status-]")).to_have_count(0)


def test_an_administrator_closes_a_cabinet_on_a_written_request(app_server, page: Page, new_page, screenshot_dir):
    base, email = app_server.url, f"petr.{uuid.uuid4().hex[:8]}@example.com"
    resident = new_page()
    _sign_up(resident, base, email)

    _sign_in(page, base, "admin@example.com", "admin2026")
    expect(page.locator("#nav-sign-out")).to_be_visible()
    page.goto(base + "/admin/residents")
    page.locator("#admin-residents-query").fill(email)
    page.locator("#admin-residents-search").click()
    page.locator("[id^=admin-resident-row-]").first.click()
    expect(page.locator("#admin-resident-title")).to_contain_text(email)
    page.locator("#admin-resident-closing-open").click()
    page.locator("#admin-resident-closing-confirm").click()
    expect(page.locator("#admin-resident-closing-reason-error")).to_contain_text("номер и дату")
    page.locator("#admin-resident-closing-reason").fill("Заявление № 15 от 01.12.2026")
    _shots(page, screenshot_dir, "admin-resident-closing", "#admin-resident-detail")
    page.locator("#admin-resident-closing-open").click()
    page.locator("#admin-resident-closing-confirm").click()
    expect(page.locator("#admin-resident-closure")).to_contain_text("по письменному заявлению: Заявление № 15")
    expect(page.locator("#admin-resident-state")).to_have_text("кабинет закрыт")
    expect(page.locator("#admin-resident-title")).to_contain_text("закрытый кабинет №")
    expect(page.locator("#admin-resident-closing")).to_have_count(0)
    _shots(page, screenshot_dir, "admin-resident-closed", "#admin-resident-detail")

    # The resident's open tab is signed out at its next step.
    resident.goto(base + "/settings")
    expect(resident).to_have_url(re.compile(r"/login\?next="))
