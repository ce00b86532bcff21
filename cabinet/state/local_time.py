"""Shows UTC moments in the residents' time zone, the Russian way."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

# Providers of this cabinet are in the Moscow zone; stored times stay UTC.
RESIDENT_ZONE = ZoneInfo("Europe/Moscow")


def format_local_time(moment: dt.datetime) -> str:
    """«14:05» today-style time with the date: «25.11.2026 14:05»."""
    return moment.astimezone(RESIDENT_ZONE).strftime("%d.%m.%Y %H:%M")
