"""Select options as pages show them."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Choice:
    """An option of a select: the value sent back and the label shown."""

    value: str
    label: str
