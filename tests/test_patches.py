"""The patches of other libraries: each in effect where it is applied, a warning when a library's release moved,
and the Reflex one's behaviour (a tab whose worker died keeps its state; a duplicated tab does not)."""

from __future__ import annotations

import asyncio
import logging
import os
import random
import subprocess
import sys
import threading
import types
from importlib import metadata
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from cabinet import patches
from cabinet.patches import liveness_token_manager_class

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fresh_version_check():
    patches.check_version.cache_clear()
    yield
    patches.check_version.cache_clear()


def test_the_installed_releases_are_the_ones_the_patches_were_written_for(fresh_version_check, caplog):
    """Fails when the lock moves a patched library: read the patch against the new release, then update WRITTEN_FOR."""
    with caplog.at_level(logging.WARNING, logger="cabinet.patches"):
        checked = {name: patches.check_version(name) for name in patches.WRITTEN_FOR}
    assert checked == dict.fromkeys(patches.WRITTEN_FOR, True)
    assert caplog.records == []


def test_another_release_gets_one_warning_naming_the_library_and_both_versions(
    fresh_version_check, monkeypatch, caplog
):
    monkeypatch.setattr(patches.metadata, "version", lambda name: "99.0.1")
    with caplog.at_level(logging.WARNING, logger="cabinet.patches"):
        assert patches.check_version("granian") is False
        assert patches.check_version("granian") is False  # once per process, not at every call
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert "granian" in message
    assert patches.WRITTEN_FOR["granian"] in message
    assert "99.0.1" in message


def test_a_missing_library_is_named_as_missing(fresh_version_check, monkeypatch, caplog):
    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(patches.metadata, "version", missing)
    with caplog.at_level(logging.WARNING, logger="cabinet.patches"):
        assert patches.check_version("yookassa") is False
    assert "none installed" in caplog.records[0].getMessage()


def test_every_patch_is_applied_where_the_app_starts():
    """In a fresh process, as `reflex run` loads them: rxconfig (Granian), the app module (Reflex), the gateway."""
    probe = (
        "import rxconfig, cabinet.cabinet, cabinet.gateways.yookassa\n"
        "from granian.server import Server\n"
        "from reflex.utils.token_manager import TokenManager\n"
        "from yookassa.client import ApiClient\n"
        "print(Server.__init__.respawns_crashed_workers, TokenManager.create.keeps_tabs_of_dead_workers,"
        " ApiClient.get_session.keeps_connections_alive)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]


def test_the_yookassa_sdk_keeps_one_session_per_thread():
    from yookassa.client import ApiClient

    import cabinet.gateways.yookassa  # noqa: F401  (applies the patch)

    client = types.SimpleNamespace(max_attempts=2, timeout=1000)  # what the SDK's own get_session reads
    first, again = ApiClient.get_session(client), ApiClient.get_session(client)
    other_thread = []
    thread = threading.Thread(target=lambda: other_thread.append(ApiClient.get_session(client)))
    thread.start()
    thread.join()
    assert first is again
    assert other_thread[0] is not first
    # The SDK's retry settings came with the session.
    assert first.get_adapter("https://api.yookassa.ru").max_retries.total == 2


def test_granian_respawns_a_failed_worker_unless_told_otherwise():
    from granian.server import Server

    patches.respawn_crashed_workers()
    patches.respawn_crashed_workers()  # applied twice, wrapped once
    assert not getattr(Server.__init__.__wrapped__, "respawns_crashed_workers", False)
    assert Server(target="cabinet.cabinet:app").respawn_failed_workers is True
    assert Server(target="cabinet.cabinet:app", respawn_failed_workers=False).respawn_failed_workers is False


def test_reflex_gets_the_liveness_token_manager_with_redis_and_its_own_without(monkeypatch):
    from reflex.utils import prerequisites
    from reflex.utils.token_manager import LocalTokenManager, TokenManager

    patches.keep_tabs_of_dead_workers()
    client = aioredis.Redis.from_url("redis://127.0.0.1:6379/0")  # not connected: nothing is sent
    monkeypatch.setattr(prerequisites, "check_redis_used", lambda: True)
    monkeypatch.setattr(prerequisites, "get_redis", lambda: client)
    assert isinstance(TokenManager.create(), liveness_token_manager_class())
    monkeypatch.setattr(prerequisites, "check_redis_used", lambda: False)
    assert type(TokenManager.create()) is LocalTokenManager


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
