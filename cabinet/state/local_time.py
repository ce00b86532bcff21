"""Shows UTC moments in the residents' time zone, the Russian way."""

from __future__ import annotations

import datetime as dt

from cabinet.services.calendar import RESIDENT_ZONE


def format_local_time(moment: dt.datetime) -> str:
    """«25.11.2026 14:05» in the residents' zone."""
    return moment.astimezone(RESIDENT_ZONE).strftime("%d.%m.%Y %H:%M")
