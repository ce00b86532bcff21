"""Several workers on Redis: a tab whose worker died keeps its state; a duplicated tab does not."""

from __future__ import annotations

import asyncio
import random

import pytest
import redis.asyncio as aioredis

from cabinet.serving import liveness_token_manager_class


@pytest.fixture
def redis_url():
    url = f"redis://127.0.0.1:6379/{random.randint(8, 15)}"

    async def flush():
        client = aioredis.Redis.from_url(url)
        await client.flushdb()
        await client.aclose()

    asyncio.run(flush())
    yield url
    asyncio.run(flush())


def _workers(url: str):
    client = aioredis.Redis.from_url(url)
    manager = liveness_token_manager_class()
    return client, manager(client), manager(client)


def test_a_tab_of_a_dead_worker_keeps_its_token(redis_url):
    async def scenario():
        client, dead, alive = _workers(redis_url)
        assert await dead.link_token_to_sid("tab-token", "sid-1") is None
        # The worker is killed: its heartbeat stops and its socket record stays behind.
        dead._heartbeat.cancel()
        kept = await alive.link_token_to_sid("tab-token", "sid-2")
        await alive.close()
        await client.aclose()
        return kept

    assert asyncio.run(scenario()) is None


def test_a_duplicated_tab_on_a_live_worker_gets_a_new_token(redis_url):
    async def scenario():
        client, first, second = _workers(redis_url)
        assert await first.link_token_to_sid("tab-token", "sid-1") is None
        renamed = await second.link_token_to_sid("tab-token", "sid-2")
        await first.close()
        await second.close()
        await client.aclose()
        return renamed

    renamed = asyncio.run(scenario())
    assert renamed is not None and renamed != "tab-token"
