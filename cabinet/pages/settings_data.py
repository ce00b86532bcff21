"""The two last cards of /settings: «Мои данные» (the archive) and «Закрыть кабинет»."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import (
    checkbox_field,
    field_error,
    form_alert,
    form_field,
    invalid_field,
    password_input,
)
from cabinet.pages.settings_accounts import settings_section
from cabinet.state.settings.closing import SettingsClosingState
from cabinet.state.settings.my_data import SettingsDataState


def _archive_progress() -> rx.Component:
    state = SettingsDataState
    return rx.vstack(
        rx.progress(
            value=state.progress,
            max=100,
            width="100%",
            aria_label=texts.SETTINGS["data_progress_label"],
            id="settings-data-progress",
        ),
        rx.text(
            texts.SETTINGS["data_preparing"].split("{percent}")[0],
            state.progress,
            texts.SETTINGS["data_preparing"].split("{percent}")[1],
            size="2",
            aria_live="polite",
            id="settings-data-progress-text",
        ),
        spacing="2",
        width="100%",
    )


def _archive_link() -> rx.Component:
    state = SettingsDataState
    return rx.vstack(
        rx.text(state.ready_text, size="2", id="settings-data-ready"),
        rx.button(
            rx.icon("download", size=16),
            texts.SETTINGS["data_download"],
            on_click=state.download,
            size="3",
            color_scheme="grass",
            id="settings-data-download",
        ),
        spacing="2",
        align="start",
        width="100%",
    )


def my_data_section() -> rx.Component:
    state = SettingsDataState
    return settings_section(
        texts.SETTINGS["data_title"],
        texts.SETTINGS["data_limits"],
        rx.text(texts.SETTINGS["data_hint"], size="2", color=rx.color("gray", 11)),
        rx.cond(state.preparing, _archive_progress()),
        rx.cond(state.link != "", _archive_link()),
        rx.cond(
            (state.link == "") & (state.ready_text != ""),
            rx.text(state.ready_text, size="2", id="settings-data-done"),
        ),
        form_alert(state.error, id="settings-data-error"),
        rx.button(
            rx.icon("archive", size=16),
            texts.SETTINGS["data_prepare"],
            size="3",
            variant="soft",
            loading=state.preparing,
            on_click=state.prepare,
            id="settings-data-prepare",
        ),
        id="settings-data",
    )


def _warning() -> rx.Component:
    """What closing does, in red: a box of its own rather than a callout, whose icon column leaves the text too
    little room on a narrow screen with large letters."""
    return rx.box(
        rx.hstack(
            rx.icon("triangle-alert", size=18, flex_shrink="0"),
            rx.text(texts.SETTINGS["closing_warning_title"], weight="bold", size="2"),
            spacing="2",
            align="center",
        ),
        rx.el.ul(
            *[rx.el.li(rx.text(line, size="2")) for line in texts.SETTINGS["closing_warning"]],
            style={
                "paddingInlineStart": "1.1em",
                "margin": "0.5em 0 0",
                "listStyleType": "disc",
                "display": "grid",
                "gap": "0.25em",
            },
        ),
        color=rx.color("red", 11),
        background_color=rx.color("red", 3),
        border_radius="var(--radius-3)",
        padding="0.75em",
        width="100%",
        min_width="0",
        overflow_wrap="anywhere",
        role="note",
        id="settings-closing-warning",
    )


def closing_section() -> rx.Component:
    state = SettingsClosingState
    return settings_section(
        texts.SETTINGS["closing_title"],
        texts.SETTINGS["closing_hint"],
        _warning(),
        rx.form(
            rx.vstack(
                checkbox_field(
                    texts.SETTINGS["closing_understood"],
                    checked=state.confirmed,
                    on_change=state.set_confirmed,
                    id="settings-closing-confirmed",
                ),
                field_error(state.confirmed_error, id="settings-closing-confirmed-error"),
                form_field(
                    texts.SETTINGS["closing_password"],
                    password_input(
                        state.password,
                        state.set_password,
                        id="settings-closing-password",
                        autocomplete="current-password",
                        **invalid_field(state.password_error, error_id="settings-closing-password-error"),
                    ),
                    field_id="settings-closing-password",
                    error=state.password_error,
                ),
                form_alert(state.error, id="settings-closing-error"),
                rx.button(
                    texts.SETTINGS["closing_submit"],
                    type="submit",
                    size="3",
                    color_scheme="red",
                    loading=state.busy,
                    id="settings-closing-submit",
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=state.submit,
            reset_on_submit=False,
            width="100%",
        ),
        id="settings-closing",
    )
