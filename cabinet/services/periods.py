"""Named periods of the filters («этот месяц», «3 месяца», «прошлый месяц», «год») as UTC bounds."""

from __future__ import annotations

import datetime as dt

from cabinet.services.calendar import add_months, month_start, start_of_local_day

# Every period a filter may offer; texts.py names them in Russian.
PERIODS = ("all", "today", "month", "prev_month", "3m", "year")


def period_bounds(period: str, today: dt.date) -> tuple[dt.datetime | None, dt.datetime | None]:
    """[since, until) in UTC for a period counted back from `today` (a local date); None is open.

    An unknown period is «all» (no bounds): a filter value is user input and must never fail.
    """
    this_month = month_start(today)
    if period == "today":
        return start_of_local_day(today), None
    if period == "month":
        return start_of_local_day(this_month), None
    if period == "prev_month":
        return start_of_local_day(add_months(this_month, -1)), start_of_local_day(this_month)
    if period == "3m":
        return start_of_local_day(add_months(this_month, -2)), None
    if period == "year":
        return start_of_local_day(add_months(this_month, -11)), None
    return None, None
