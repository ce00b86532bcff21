"""Row ids that come from outside (URLs, forms, browser events): a usable id or None, never an overflow."""

from __future__ import annotations

import re
from typing import TypeVar

from sqlmodel import Session

# The id columns are PostgreSQL `integer`s, and SQLite's driver overflows past 64 bits: an id out of
# this range would be a database error (a 500, a page stuck loading) instead of «not found».
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")

Row = TypeVar("Row")


def parse_id(value: object) -> int | None:
    """A positive 32-bit id from an int or a string of ASCII digits; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def get_by_id(session: Session, model: type[Row], value: object) -> Row | None:
    """`session.get` for an id that may be anything: out of range is simply not there."""
    number = parse_id(value)
    return None if number is None else session.get(model, number)
