"""The /_upload guard reads a tab's sign-in from Redis too: with two workers, an operator's upload passes."""

from __future__ import annotations

import random

import pytest
import redis
from playwright.sync_api import Page, expect

from tests.conftest import create_postgres_database, drop_postgres_database
from tests.e2e.server import run_app
from tests.e2e.test_accounts_and_readings import _sign_in
from tests.e2e.test_admin import png_bytes
from tests.e2e.test_upload_guard import _post_head_first


@pytest.fixture(scope="module")
def app_on_redis():
    database_url = create_postgres_database()
    redis_url = f"redis://127.0.0.1:6379/{random.randint(8, 15)}"
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    try:
        with run_app(database_url=database_url, redis_url=redis_url) as app:
            yield app
    finally:
        client.flushdb()
        client.close()
        drop_postgres_database(database_url)


def test_an_operators_picture_passes_and_a_residents_tab_is_refused(app_on_redis, page: Page, tmp_path):
    _sign_in(page, app_on_redis.url, "admin@example.com", "admin2026")
    page.goto(app_on_redis.url + "/admin/providers")
    page.locator("#admin-providers-new").click()
    picture = tmp_path / "receipt.png"
    picture.write_bytes(png_bytes())
    page.locator("#admin-receipt-upload input[type=file]").set_input_files(str(picture))
    expect(page.locator("#admin-receipt-preview")).to_be_visible(timeout=15_000)
    page.locator("#nav-sign-out").click()

    _sign_in(page, app_on_redis.url, "resident@example.com", "demo2026")
    client_token = page.evaluate("() => window.sessionStorage.getItem('token')")
    assert _post_head_first(app_on_redis.url, client_token=client_token) == 403
