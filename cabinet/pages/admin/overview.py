"""/admin: the overview's figures as cards."""

from __future__ import annotations

import reflex as rx

from cabinet.pages.admin.layout import admin_shell
from cabinet.state.admin.lines import Figure
from cabinet.state.admin.overview import AdminOverviewState


def _figure(item: Figure) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(item.label, size="2", color=rx.color("gray", 11)),
            rx.text(item.value, size="6", weight="bold", id=f"admin-figure-{item.key}"),
            spacing="1",
        ),
        width="100%",
    )


def admin_overview_page() -> rx.Component:
    return admin_shell(
        "overview",
        rx.grid(
            rx.foreach(AdminOverviewState.figures, _figure),
            columns=rx.breakpoints(initial="1", sm="2", md="3"),
            spacing="3",
            width="100%",
        ),
        loaded=AdminOverviewState.loaded,
    )
