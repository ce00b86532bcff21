"""How the production server runs the app's workers."""

from __future__ import annotations

import functools


def respawn_crashed_workers() -> None:
    """Make Granian start a new worker when one dies, instead of stopping the whole site.

    `reflex run --env prod` builds Granian's server without this option. With state in Redis a
    browser whose worker died reconnects to another one and finds its tab as it left it.
    """
    try:
        from granian.server import Server
    except ImportError:  # Granian is what Reflex serves with in production; nothing to do without it
        return
    original = Server.__init__
    if getattr(original, "respawns_crashed_workers", False):
        return

    @functools.wraps(original)
    def init(self, *args, **kwargs):
        kwargs.setdefault("respawn_failed_workers", True)
        original(self, *args, **kwargs)

    init.respawns_crashed_workers = True  # type: ignore[attr-defined]
    Server.__init__ = init


# A worker proves it is alive by refreshing this key; a socket record whose worker stopped doing so
# belongs to a dead worker.
_ALIVE_KEY = "cabinet_worker_alive_{instance_id}"
_ALIVE_SECONDS = 3.0
_BEAT_SECONDS = 1.0


def keep_tabs_of_dead_workers() -> None:
    """Let a tab whose worker died keep its Reflex state on the worker it reconnects to.

    Reflex records which worker holds each tab's socket in Redis, and a tab whose record exists
    elsewhere is taken for a duplicated browser tab and given a new, empty state. A killed worker
    cannot delete its records, so every tab it served would lose what was typed but not saved. Here
    each worker keeps an expiring «alive» key; a record whose worker has no such key is stale and
    the tab keeps its state. Without Redis there is one worker and nothing to do.
    """
    from reflex.utils import prerequisites
    from reflex.utils.token_manager import LocalTokenManager, TokenManager

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
            try:
                if await self._owner_is_gone(token):
                    await self.redis.delete(self._get_redis_key(token))
            except Exception:  # Redis trouble: Reflex's own handling decides
                pass
            return await super().link_token_to_sid(token, sid)

        async def close(self) -> None:
            if self._heartbeat is not None:
                self._heartbeat.cancel()
            await super().close()

    return LivenessTokenManager
