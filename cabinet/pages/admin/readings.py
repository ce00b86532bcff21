"""/admin/readings: a provider, a month and the export of its readings."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import checkbox_field, form_alert, select_field
from cabinet.pages.admin.layout import admin_shell
from cabinet.state.admin.readings import AdminReadingsState

state = AdminReadingsState


def _month_field() -> rx.Component:
    return rx.vstack(
        rx.el.label(
            rx.text(texts.ADMIN["readings_month"], size="1", color=rx.color("gray", 11)),
            html_for="admin-readings-month",
        ),
        rx.input(type="month", value=state.month, on_change=state.set_month, id="admin-readings-month", width="100%"),
        spacing="1",
        width="100%",
    )


def admin_readings_page() -> rx.Component:
    return admin_shell(
        "readings",
        rx.card(
            rx.vstack(
                rx.text(texts.ADMIN["readings_lead"], size="2", color=rx.color("gray", 11)),
                rx.grid(
                    select_field(
                        state.providers,
                        state.provider,
                        state.set_provider,
                        id="admin-readings-provider",
                        label=texts.ADMIN["readings_provider"],
                    ),
                    _month_field(),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                # Marking readings as sent changes them: the provider's operator's to choose, not a viewer's.
                rx.cond(
                    state.may_mark_sent,
                    checkbox_field(
                        texts.ADMIN["readings_mark_sent"],
                        checked=state.mark_sent,
                        on_change=state.set_mark_sent,
                        id="admin-readings-mark-sent",
                    ),
                    rx.text(
                        texts.ADMIN["readings_view_only"],
                        size="2",
                        color=rx.color("gray", 11),
                        id="admin-readings-view-only",
                    ),
                ),
                form_alert(state.error, id="admin-readings-error"),
                form_alert(state.notice, id="admin-readings-notice", color="grass", icon="circle-check"),
                rx.button(
                    rx.icon("download", size=16),
                    texts.ADMIN["readings_export"],
                    size="3",
                    on_click=state.export_csv,
                    id="admin-readings-export",
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
            max_width="720px",
        ),
        loaded=state.loaded,
    )
