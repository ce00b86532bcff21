"""Reminders in the browser: the switches in «Настройки» decide which letters come, and a letter's
unsubscribe link turns its kind off, as «Настройки» then shows."""

from __future__ import annotations

import re
import time

import httpx
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, delete
from sqlmodel import Session, col, select

from cabinet.models import AccountLink, Meter, MeterReading, User
from cabinet.services.demo_reminders import FAMILY_EMAIL, FAMILY_PASSWORD

# The runner passes once a minute: a letter due after a change arrives within about that.
LETTER_TIMEOUT = 150


def _sign_in(page: Page, base: str) -> None:
    page.goto(base + "/login")
    page.locator("#login-email").fill(FAMILY_EMAIL)
    page.locator("#login-password").fill(FAMILY_PASSWORD)
    page.locator("#login-submit").click()
    expect(page).not_to_have_url(re.compile(r".*/login"))


def _letter(base: str, subject_start: str) -> dict:
    """The first letter to the family member whose subject starts so, waited for."""
    deadline = time.monotonic() + LETTER_TIMEOUT
    while time.monotonic() < deadline:
        letters = httpx.get(f"{base}/dev/mailbox.json", params={"to": FAMILY_EMAIL}, timeout=5).json()
        found = [letter for letter in letters if letter["subject"].startswith(subject_start)]
        if found:
            return found[0]
        time.sleep(1)
    raise AssertionError(f"no «{subject_start}…» letter to {FAMILY_EMAIL} within {LETTER_TIMEOUT} s")


def _subjects(base: str) -> list[str]:
    return [
        letter["subject"]
        for letter in httpx.get(f"{base}/dev/mailbox.json", params={"to": FAMILY_EMAIL}, timeout=5).json()
    ]


def _no_reading_on_the_shared_account(app_server) -> None:
    """Given: nothing handed in on the family's «Дача» (another browser test may have read its meters)."""
    engine = create_engine(f"sqlite:///{app_server.data_dir / 'cabinet.db'}")
    with Session(engine) as session:
        family = session.exec(select(User).where(User.email_canonical == FAMILY_EMAIL)).one()
        accounts = select(AccountLink.account_id).where(AccountLink.user_id == family.id)
        meters = select(Meter.id).where(col(Meter.account_id).in_(accounts))
        session.connection().execute(delete(MeterReading).where(col(MeterReading.meter_id).in_(meters)))
        session.commit()
    engine.dispose()


def test_switches_decide_the_letters_and_the_link_turns_its_kind_off(app_server, page: Page, screenshot_dir):
    base = app_server.url
    # The demo's family member shares «Дача» (readings taken all month, «closes in 31 days») with «closes
    # soon» off, so at start she got «the window opens» and no «closes soon».
    _letter(base, "Пора передать показания")
    assert not any(subject.startswith("Осталось") for subject in _subjects(base))

    _no_reading_on_the_shared_account(app_server)
    _sign_in(page, base)
    page.goto(base + "/settings")
    expect(page.locator("#settings-notify-window-closing")).not_to_be_checked()
    page.locator("#settings-notify-reminders").click()
    page.locator("#settings-notify-window-closing").click()
    page.locator("#settings-profile-save").click()
    expect(page.locator("#settings-profile-notice")).to_have_text("Данные сохранены.")

    # The next pass finds «closes soon» due for her now: that letter comes, with its own unsubscribe link.
    closing = _letter(base, "Осталось")
    assert "Дача" in closing["subject"] and "Газ-Сервис" in closing["text"]
    link = re.search(rf"{re.escape(base)}/unsubscribe/[A-Za-z0-9_\-]+", closing["text"]).group(0)

    page.goto(link)
    expect(page.locator("#unsubscribe-done")).to_contain_text("о скором закрытии приёма показаний")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(screenshot_dir / f"unsubscribe-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(base + "/settings")
    expect(page.locator("#settings-notify-window-closing")).not_to_be_checked()
    expect(page.locator("#settings-notify-reminders")).not_to_be_checked()
    expect(page.locator("#settings-notify-verification")).to_be_checked()
    expect(page.locator("#settings-notify-new-bill")).to_be_checked()
    expect(page.locator("#settings-notify-receipts")).to_be_checked()
