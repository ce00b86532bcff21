"""What a registry preview or import reports: the counts, and the row errors (the first ones kept, all counted)."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Iterable
from typing import BinaryIO

from cabinet import texts

Progress = Callable[[int, int], None]
# A path, or a seekable binary file (it is read twice).
RegistrySource = str | os.PathLike[str] | BinaryIO
# Row errors kept for showing (the first ones by line); all of them are counted. A file wrong on
# every line would otherwise hold a million messages in memory.
MAX_REPORTED_ERRORS = 1_000


@dataclasses.dataclass(frozen=True, slots=True)
class RowError:
    # Slots: a file full of mistakes yields an error for every row, and the list is all that is kept.
    line: int
    column: str
    message: str


@dataclasses.dataclass
class RegistryPreview:
    accounts_new: int = 0
    accounts_changed: int = 0
    accounts_unchanged: int = 0
    meters_new: int = 0
    meters_changed: int = 0
    meters_unchanged: int = 0
    rows: int = 0
    # The first MAX_REPORTED_ERRORS row errors by line, and how many there are in all.
    errors: list[RowError] = dataclasses.field(default_factory=list)
    error_count: int = 0

    def counts(self) -> dict[str, int]:
        return {
            field.name: getattr(self, field.name)
            for field in dataclasses.fields(self)
            if field.name not in ("errors", "error_count")
        }


@functools.lru_cache(maxsize=1024)
def message(key: str, **params: object) -> str:
    # Cached: thousands of errors of one kind share one string.
    return texts.REGISTRY[key].format(**params)


class CappedErrors(list):
    """Keeps the first MAX_REPORTED_ERRORS errors appended (in line order, as they come) and counts all."""

    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def append(self, error: RowError) -> None:
        self.total += 1
        if len(self) < MAX_REPORTED_ERRORS:
            super().append(error)

    def extend(self, errors) -> None:
        for error in errors:
            self.append(error)


def first_errors(*kept: Iterable[RowError]) -> list[RowError]:
    """The first MAX_REPORTED_ERRORS of several CappedErrors, by line.

    Each list is in line order and no line is in two of them, so the first MAX_REPORTED_ERRORS of
    each hold the first MAX_REPORTED_ERRORS of all.
    """
    return sorted([error for errors in kept for error in errors], key=lambda error: error.line)[:MAX_REPORTED_ERRORS]
