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


def test_several_workers_serve_one_resident(production_app, browser):
    """Two backend workers run; each reload may land on either, and finds its state in Redis."""
    app, _ = production_app
    # `reflex run` serves through Granian in its own process; the workers are its children.
    workers = psutil.Process(app.pid).children()
    assert len(workers) == 2, [worker.cmdline() for worker in workers]
    context = browser.new_context()
    page = context.new_page()
    for _ in range(4):
        page.goto(app.url + "/")
        expect(page.locator("#start-providers [id^=start-provider-]").first).to_be_visible()
    context.close()
