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
