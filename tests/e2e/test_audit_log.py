"""«Журнал» in a browser: Russian sentences, filters by action and provider, paging, the CSV, a bad date, a phone."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import sqlite3
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.test_accounts_and_readings import _sign_in

LIMITED = 55  # more than a page of 50


def _add_events(app_server, tag: str) -> str:
    """55 refused letters to addresses carrying `tag`, and an edit of a demo provider; returns that provider's name."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with contextlib.closing(sqlite3.connect(app_server.data_dir / "cabinet.db")) as db:
        provider_id, name = db.execute("SELECT id, name FROM providers ORDER BY id LIMIT 1").fetchone()
        rows = [
            (
                "letter_limited",
                (now - dt.timedelta(seconds=number)).strftime("%Y-%m-%d %H:%M:%S.%f"),
                None,
                "email",
                f"{tag}-{number}@example.com",
                json.dumps({"kind": "reset", "limit": "address", "to": f"{tag}-{number}@example.com"}),
            )
            for number in range(LIMITED)
        ]
        rows.append(
            (
                "provider_updated",
                now.strftime("%Y-%m-%d %H:%M:%S.%f"),
                provider_id,
                "provider",
                str(provider_id),
                json.dumps({"changed": {"hint_text": [None, f"Подсказка {tag}"]}}, ensure_ascii=False),
            )
        )
        db.executemany(
            "INSERT INTO audit_events (action, created_at, provider_id, target_type, target_id, details,"
            " client_address)"
            " VALUES (?, ?, ?, ?, ?, ?, '127.0.0.1')",
            rows,
        )
        db.commit()
    return name


def _choose(page: Page, select_id: str, option: str) -> None:
    page.locator(f"#{select_id}").click()
    page.get_by_role("option", name=option, exact=True).click()


def test_the_journal_reads_russian_filters_pages_and_exports(app_server, page: Page, screenshot_dir, tmp_path):
    tag = f"audit{uuid.uuid4().hex[:8]}"
    provider = _add_events(app_server, tag)
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, app_server.url, "admin@example.com", "admin2026")
    page.goto(app_server.url + "/admin/audit")
    entries = page.locator("[id^=admin-audit-row-]")
    expect(entries.first).to_be_visible()
    # Russian, never the codes: the admin's own sign-in and the inserted edit read as sentences.
    expect(page.locator("#admin-audit-list")).to_contain_text("Вход в кабинет.")
    expect(page.locator("#admin-audit-list")).to_contain_text(
        f"Изменён поставщик «{provider}»: Подсказка: Подсказка {tag}."
    )
    expect(page.locator("#admin-audit-list")).not_to_contain_text("letter_limited")

    _choose(page, "admin-audit-filter-action", "Письмо не отправлено")
    expect(page.locator("#admin-audit-total")).to_have_text(f"Записей: {LIMITED}")
    expect(page.locator("#admin-audit-page")).to_have_text("Страница 1 из 2")
    expect(entries).to_have_count(50)
    expect(entries.first).to_contain_text(f"Письмо на {tag}-0@example.com не отправлено")
    expect(page.locator("#admin-audit-previous")).to_be_disabled()
    page.screenshot(path=str(screenshot_dir / "audit-log-1280.png"), full_page=False)

    page.locator("#admin-audit-next").click()
    expect(page.locator("#admin-audit-page")).to_have_text("Страница 2 из 2")
    expect(entries).to_have_count(LIMITED - 50)
    expect(entries.last).to_contain_text(f"{tag}-{LIMITED - 1}@example.com")
    expect(page.locator("#admin-audit-next")).to_be_disabled()
    page.locator("#admin-audit-previous").click()
    expect(page.locator("#admin-audit-page")).to_have_text("Страница 1 из 2")
    expect(entries.first).to_contain_text(f"{tag}-0@example.com")

    with page.expect_download() as download_info:
        page.locator("#admin-audit-export").click()
    saved = tmp_path / "audit.csv"
    download_info.value.save_as(saved)
    table = list(csv.reader(io.StringIO(saved.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert table[0][:5] == ["Когда", "Кто", "Действие", "Поставщик", "Подробности"]
    assert len(table) == LIMITED + 1  # every filtered row, not one page
    assert all(row[2] == "Письмо не отправлено" for row in table[1:])
    assert sum(tag in row[4] for row in table[1:]) == LIMITED

    _choose(page, "admin-audit-filter-action", "Все действия")
    _choose(page, "admin-audit-filter-provider", provider)
    expect(page.locator("#admin-audit-list")).to_contain_text(f"Подсказка {tag}")
    expect(page.locator("#admin-audit-list")).not_to_contain_text(tag + "-0@")

    # Someone typed the address by hand: the bad date is said next to its field, the journal still shows.
    page.goto(app_server.url + "/admin/audit?from=31.02.2026&action=letter_limited&page=abc")
    expect(page.locator("#admin-audit-filter-from-error")).to_have_text("Введите дату в виде ДД.ММ.ГГГГ.")
    expect(page.locator("#admin-audit-total")).to_have_text(f"Записей: {LIMITED}")
    page.locator("#admin-audit-reset").click()
    expect(page.locator("#admin-audit-filter-from-error")).to_have_count(0)

    page.set_viewport_size({"width": 375, "height": 900})
    _choose(page, "admin-audit-filter-action", "Письмо не отправлено")
    expect(entries.first).to_contain_text(f"{tag}-0@example.com")
    page.screenshot(path=str(screenshot_dir / "audit-log-375.png"), full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
