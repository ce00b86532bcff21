"""The small records several admin pages list: a labelled figure and a line of two texts."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str


@dataclasses.dataclass(frozen=True)
class Line:
    """One line of a detail list: two texts."""

    primary: str
    secondary: str
