"""The app starts on PostgreSQL with Reflex state in Redis and several backend workers."""

from __future__ import annotations

import random

import httpx
import psutil
import pytest
import redis
from playwright.sync_api import Page, expect

from tests.conftest import create_postgres_database, drop_postgres_database
from tests.e2e.server import run_app


@pytest.fixture(scope="module")
def production_app():
    database_url = create_postgres_database()
    # A database number of our own, emptied before and after, is this run's keyspace.
    redis_url = f"redis://127.0.0.1:6379/{random.randint(8, 15)}"
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    try:
        with run_app(database_url=database_url, redis_url=redis_url) as app:
            yield app, client
    finally:
        client.flushdb()
        client.close()
        drop_postgres_database(database_url)


def test_start_page_round_trip_goes_through_redis_and_postgresql(production_app, page: Page):
    app, redis_client = production_app
    page.goto(app.url + "/")
    # The provider list comes from PostgreSQL through a state event, so it proves both.
    expect(page.locator("#start-providers [id^=start-provider-]").first).to_be_visible()
    assert redis_client.dbsize() > 0, "Reflex state was not written to Redis"

    health = httpx.get(app.url + "/api/health").json()
    assert health["database"] == "ok"


def test_several_workers_serve_one_resident(production_app, new_page):
    """Two backend workers run; each reload may land on either, and finds its state in Redis."""
    app, _ = production_app
    # `reflex run` serves through Granian in its own process; the workers are its children.
    workers = psutil.Process(app.pid).children()
    assert len(workers) == 2, [worker.cmdline() for worker in workers]
    page = new_page()
    for _ in range(4):
        page.goto(app.url + "/")
        expect(page.locator("#start-providers [id^=start-provider-]").first).to_be_visible()


def _workers_serving(app, port: int) -> list[psutil.Process]:
    """The backend workers holding an open connection on the app's port (the browser's socket)."""
    serving = []
    for worker in psutil.Process(app.pid).children():
        connections = worker.net_connections(kind="tcp")
        if any(c.status == psutil.CONN_ESTABLISHED and c.laddr and c.laddr.port == port for c in connections):
            serving.append(worker)
    return serving


def test_a_resident_survives_the_death_of_their_worker(production_app, new_page):
    """The worker holding the browser's socket is killed: Granian starts another, the page
    reconnects to a live worker, and the resident is still signed in, with the unsaved text
    still in the form, and can go on."""
    app, _ = production_app
    port = int(app.url.rsplit(":", 1)[1])
    page = new_page()
    page.goto(app.url + "/login")
    page.locator("#login-email").fill("resident@example.com")
    page.locator("#login-password").fill("demo2026")
    page.locator("#login-submit").click()
    expect(page.locator("#nav-sign-out")).to_be_visible()
    page.goto(app.url + "/settings")
    expect(page.locator("#settings-title")).to_be_visible()
    # Typed but not saved: it reaches the state in Redis, which outlives the worker.
    page.locator("#settings-full-name").fill("Иванова Мария Петровна")
    page.wait_for_timeout(1000)
    tab_token = page.evaluate("window.sessionStorage.getItem('token')")

    victims = _workers_serving(app, port)
    assert victims, "no worker holds the browser's connection"
    for worker in victims:
        worker.kill()
    page.wait_for_timeout(6000)  # Granian's respawn interval is 3.5 s
    assert len(psutil.Process(app.pid).children()) == 2

    expect(page.locator("#nav-sign-out")).to_be_visible()
    expect(page.locator("#settings-full-name")).to_have_value("Иванова Мария Петровна")
    # The tab kept its Reflex state: it was not taken for a duplicated tab of the dead socket.
    assert page.evaluate("window.sessionStorage.getItem('token')") == tab_token
    page.locator("#settings-profile-save").click()
    expect(page.locator("#settings-profile-notice")).to_be_visible(timeout=20_000)
    page.reload()
    expect(page.locator("#settings-full-name")).to_have_value("Иванова Мария Петровна")
    _forget_the_lost_socket(page)


def _forget_the_lost_socket(page) -> None:
    """The socket this test broke on purpose is logged by the browser as an error; nothing else may be."""
    page.client_errors[:] = [error for error in page.client_errors if "WebSocket" not in error]


@pytest.fixture(scope="module")
def app_with_cuttable_redis():
    from tests.faults.proxy import CuttableProxy

    database_url = create_postgres_database()
    number = random.randint(8, 15)
    proxy = CuttableProxy(6379)
    client = redis.Redis.from_url(f"redis://127.0.0.1:6379/{number}")
    client.flushdb()
    try:
        with run_app(database_url=database_url, redis_url=f"redis://127.0.0.1:{proxy.port}/{number}") as app:
            yield app, proxy
    finally:
        proxy.close()
        client.flushdb()
        client.close()
        drop_postgres_database(database_url)


def test_redis_away_for_a_few_seconds(app_with_cuttable_redis, new_page):
    """State lives in Redis: while it is away events wait or fail; afterwards the resident goes on."""
    app, proxy = app_with_cuttable_redis
    page = new_page()
    page.goto(app.url + "/login")
    page.locator("#login-email").fill("resident@example.com")
    page.locator("#login-password").fill("demo2026")
    page.locator("#login-submit").click()
    expect(page.locator("#nav-sign-out")).to_be_visible()
    page.goto(app.url + "/settings")
    expect(page.locator("#settings-title")).to_be_visible()

    proxy.cut()
    page.wait_for_timeout(4000)
    proxy.restore()

    page.goto(app.url + "/settings")
    expect(page.locator("#nav-sign-out")).to_be_visible(timeout=30_000)
    page.locator("#settings-full-name").fill("Петров Пётр Петрович")
    page.locator("#settings-profile-save").click()
    expect(page.locator("#settings-profile-notice")).to_be_visible(timeout=30_000)
    page.reload()
    expect(page.locator("#settings-full-name")).to_have_value("Петров Пётр Петрович")
    _forget_the_lost_socket(page)
    assert httpx.get(app.url + "/api/health").status_code == 200
