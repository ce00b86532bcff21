"""Monthly bar charts drawn by Recharts, which the browser downloads only when a chart is shown.

Reflex's own `rx.recharts` components import Recharts statically into every route that uses them
(≈ 100 KiB gzipped on the dashboard). Here the chart is a small local React component loaded
lazily, so the dashboard opens without it and the library arrives with the first opened chart.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

# The version Reflex's own Recharts wrapper installs; one copy of the library in the build.
RECHARTS = "recharts@3.10.1"


class MonthlyBars(rx.NoSSRComponent):
    """Bars of `data` (items with `month` and `value`), in one plain colour (SVG takes no CSS variables)."""

    library = "$/public" + rx.asset("monthly_bars.jsx", shared=True)
    tag = "MonthlyBars"
    lib_dependencies: list[str] = [RECHARTS]

    data: rx.Var[list[dict[str, Any]]]
    color: rx.Var[str]
    height: rx.Var[int]


monthly_bars = MonthlyBars.create
