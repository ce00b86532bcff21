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


# A meter kind's icon, by its code (models.MeterKind): gas is a flame, not the water's drop.
METER_ICONS = {
    "cold_water": "droplet",
    "hot_water": "droplets",
    "electricity": "zap",
    "electricity_day": "sun",
    "electricity_night": "moon",
    "gas": "flame",
    "heat": "heater",
}


def meter_icon(kind_code, **props) -> rx.Component:
    """The kind's icon in a box whose `data-kind` says which kind it shows."""
    return rx.box(
        icon_match(kind_code, METER_ICONS, "gauge", **props),
        data_kind=kind_code,
        display="flex",
        flex_shrink="0",
        aria_hidden="true",
    )
