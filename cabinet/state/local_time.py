"""Shows UTC moments in the residents' time zone, the Russian way."""

from __future__ import annotations

import datetime as dt

from cabinet.services.calendar import local_time_text


def format_local_time(moment: dt.datetime) -> str:
    """«25.11.2026 14:05» in the residents' zone (services/calendar.py holds the one way to write it)."""
    return local_time_text(moment)
