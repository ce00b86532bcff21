"""The one clock: aware UTC time, so nothing naive is ever stored or compared."""

from __future__ import annotations

import datetime as dt


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
