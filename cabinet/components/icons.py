"""Icons picked by state, each one imported statically.

`rx.icon(var)` makes Reflex ship lucide's whole icon map (≈55 KB gzipped) to that page;
choosing between fixed icons keeps only the ones used.
"""

from __future__ import annotations

import reflex as rx


def icon_if(condition, when_true: str, when_false: str, **props) -> rx.Component:
    return rx.cond(condition, rx.icon(when_true, **props), rx.icon(when_false, **props))


def icon_match(value, cases: dict[str, str], default: str, **props) -> rx.Component:
    return rx.match(value, *[(key, rx.icon(name, **props)) for key, name in cases.items()], rx.icon(default, **props))
