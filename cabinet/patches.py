"""Every change Кабинет makes to another library's code: why, where upstream, and for which version."""

from __future__ import annotations

import functools
import logging
import threading
from importlib import metadata

logger = logging.getLogger(__name__)

# The release each patch was written and tested against (requirements.lock pins the same). A patch
# replaces a library's function, so a new release can make it wrong without any error: each patch
# checks its library when it is applied, and a difference gets one warning line at start-up.
WRITTEN_FOR = {"yookassa": "3.13.0", "granian": "2.8.9", "reflex": "0.10.1"}


@functools.cache
def check_version(distribution: str) -> bool:
    """True if the installed `distribution` is the release its patch was written for; otherwise logs one warning."""
    expected = WRITTEN_FOR[distribution]
    try:
        found = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        found = "none installed"
    if found == expected:
        return True
    logger.warning(
        "cabinet/patches.py patches %s %s, but %s is installed: check the patch against this release",
        distribution,
        expected,
        found,
    )
    return False


# --- yookassa: one HTTP session per thread -----------------------------------------------------

_thread_sessions = threading.local()


def keep_yookassa_connections_alive(api_client: type) -> None:
    """Make the YooKassa SDK reuse one HTTP session per thread instead of a new one for every call.

    `ApiClient.get_session` builds a new `requests.Session` for each request, so every call opened a new
    connection and TLS handshake (yookassa 3.13.0, src/yookassa/client.py `get_session`:
    https://github.com/yoomoney/yookassa-sdk-python/blob/master/src/yookassa/client.py — no upstream issue
    or option for it as of that release). The first session a thread gets keeps the SDK's retry settings.
    The gateway passes the class in: only cabinet/gateways imports the SDK (an import-linter contract).
    """
    check_version("yookassa")
    original = api_client.get_session
    if getattr(original, "keeps_connections_alive", False):
        return

    @functools.wraps(original)
    def get_session(self):
        session = getattr(_thread_sessions, "session", None)
        if session is None:
            session = _thread_sessions.session = original(self)
        return session

    get_session.keeps_connections_alive = True  # type: ignore[attr-defined]
    api_client.get_session = get_session


# --- Granian: respawn a crashed worker ---------------------------------------------------------


def respawn_crashed_workers() -> None:
    """Make Granian start a new worker when one dies, instead of stopping the whole site.

    Granian can respawn failed workers (`respawn_failed_workers`, added for
    https://github.com/emmett-framework/granian/issues/148), but `reflex run --env prod` builds Granian's
    `Server` without that option and has no setting for it (reflex 0.10.1, reflex/utils/exec.py
    `run_granian_backend_prod`; no upstream issue). With state in Redis a browser whose worker died
    reconnects to another one and finds its tab as it left it. Applied from rxconfig.py, which the
    `reflex run` process reads before it builds the server.
    """
    try:
        from granian.server import Server
    except ImportError:  # Granian is what Reflex serves with in production; nothing to do without it
        return
    check_version("granian")
    original = Server.__init__
    if getattr(original, "respawns_crashed_workers", False):
        return

    @functools.wraps(original)
    def init(self, *args, **kwargs):
        kwargs.setdefault("respawn_failed_workers", True)
        original(self, *args, **kwargs)

    init.respawns_crashed_workers = True  # type: ignore[attr-defined]
    Server.__init__ = init


# --- Reflex: a tab whose worker died keeps its state --------------------------------------------

# A worker proves it is alive by refreshing this key; a socket record whose worker stopped doing so
# belongs to a dead worker.
_ALIVE_KEY = "cabinet_worker_alive_{instance_id}"
_ALIVE_SECONDS = 3.0
_BEAT_SECONDS = 1.0


def keep_tabs_of_dead_workers() -> None:
    """Let a tab whose worker died keep its Reflex state on the worker it reconnects to.

    Reflex records which worker holds each tab's socket in Redis, and a tab whose record exists
    elsewhere is taken for a duplicated browser tab and given a new, empty state (upstream:
    https://github.com/reflex-dev/reflex/issues/6345 «State lost on WebSocket reconnect», which names the
    backend crash case, and https://github.com/reflex-dev/reflex/issues/6252). A killed worker cannot
    delete its records, so every tab it served would lose what was typed but not saved. Here each worker
    keeps an expiring «alive» key; a record whose worker has no such key is stale and the tab keeps its
    state. Without Redis there is one worker and nothing to do. Applied when the app is created.
    """
    from reflex.utils import prerequisites
    from reflex.utils.token_manager import LocalTokenManager, TokenManager

    check_version("reflex")
    if getattr(TokenManager.create, "keeps_tabs_of_dead_workers", False):
        return

    def create(cls):
        if prerequisites.check_redis_used() and (client := prerequisites.get_redis()) is not None:
            return liveness_token_manager_class()(client)
        return LocalTokenManager()

    create.keeps_tabs_of_dead_workers = True  # type: ignore[attr-defined]
    TokenManager.create = classmethod(create)  # type: ignore[method-assign]


@functools.cache
def liveness_token_manager_class():
    """Reflex's Redis token manager that tells a dead worker's sockets from duplicated tabs."""
    import asyncio
    import contextlib
    import pickle

    from reflex.utils.token_manager import RedisTokenManager

    class LivenessTokenManager(RedisTokenManager):
        _heartbeat: asyncio.Task | None = None

        def _alive_key(self, instance_id: str) -> str:
            return _ALIVE_KEY.format(instance_id=instance_id)

        async def _beat(self) -> None:
            while True:
                with contextlib.suppress(Exception):  # Redis away for a moment: the next beat tries again
                    await self.redis.set(self._alive_key(self.instance_id), b"1", px=int(_ALIVE_SECONDS * 1000))
                await asyncio.sleep(_BEAT_SECONDS)

        async def _owner_is_gone(self, token: str) -> bool:
            record = await self.redis.get(self._get_redis_key(token))
            if not record:
                return False
            owner = pickle.loads(record).instance_id
            if owner == self.instance_id:
                return False
            # A worker killed a moment ago still has its key until it expires. A live one renews it
            # within a beat, which is seen as a longer time to live: a real duplicated tab waits ~1 s.
            loop = asyncio.get_running_loop()
            deadline = loop.time() + _ALIVE_SECONDS + _BEAT_SECONDS
            previous = None
            while (left := await self.redis.pttl(self._alive_key(owner))) > 0:
                if (previous is not None and left > previous) or loop.time() > deadline:
                    return False
                previous = left
                await asyncio.sleep(0.2)
            return True

        async def link_token_to_sid(self, token: str, sid: str) -> str | None:
            if self._heartbeat is None or self._heartbeat.done():
                self._heartbeat = asyncio.create_task(self._beat())
            with contextlib.suppress(Exception):  # Redis trouble: Reflex's own handling decides
                if await self._owner_is_gone(token):
                    await self.redis.delete(self._get_redis_key(token))
            return await super().link_token_to_sid(token, sid)

        async def close(self) -> None:
            if self._heartbeat is not None:
                self._heartbeat.cancel()
            await super().close()

    return LivenessTokenManager
