"""The readings fields, one per meter; the readings page and both payment pages show them."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from cabinet import texts
from cabinet.components.forms import checkbox_field, field_error, form_alert, invalid_field
from cabinet.components.hint import hint_icon
from cabinet.components.icons import icon_if, meter_icon
from cabinet.state.readings import ReadingRow, ReadingsState

# What a field calls as it changes: (meter id, the value typed) and (meter id, the «заменён» tick).
ValueHandler = Callable[[rx.Var[int], rx.Var[str]], rx.event.EventSpec]
ReplacedHandler = Callable[[rx.Var[int], rx.Var[bool]], rx.event.EventSpec]


def _replaced_checkbox(row: ReadingRow, field_id: str, on_replaced: ReplacedHandler) -> rx.Component:
    """«Счётчик заменён или прошёл через ноль»: a lower value is then taken as a new count.

    When to tick it is told on a «?» beside the label, which a phone can tap (a tooltip it cannot).
    """
    return rx.hstack(
        checkbox_field(
            texts.READINGS["replaced"],
            checked=row.replaced,
            on_change=lambda checked: on_replaced(row.meter_id, checked),
            id=f"{field_id}-replaced",
        ),
        hint_icon(texts.READINGS["replaced_hint"], id=f"{field_id}-replaced-hint"),
        spacing="1",
        align="center",
    )


def _value_input(row: ReadingRow, field_id: str, on_value: ValueHandler, on_replaced: ReplacedHandler) -> rx.Component:
    """The value as typed, with the dial's format, the preview of use, and what was refused or asked."""
    return rx.vstack(
        rx.input(
            value=row.value,
            on_change=lambda value: on_value(row.meter_id, value),
            id=field_id,
            input_mode="decimal",
            placeholder="00000,000",
            size="3",
            width=rx.breakpoints(initial="100%", sm="240px"),
            font_family="ui-monospace, SFMono-Regular, Menlo, monospace",
            **invalid_field(row.error, error_id=f"{field_id}-error"),
        ),
        # Right under the field it refuses.
        field_error(row.error, id=f"{field_id}-error"),
        rx.text(row.help_text, size="1", color=rx.color("gray", 11)),
        _replaced_checkbox(row, field_id, on_replaced),
        rx.cond(
            row.preview != "", rx.text(row.preview, size="2", color=rx.color("grass", 11), id=f"{field_id}-preview")
        ),
        rx.cond(
            row.jump != "",
            rx.callout(
                row.jump, icon="triangle-alert", color_scheme="amber", size="1", id=f"{field_id}-jump", width="100%"
            ),
        ),
        spacing="2",
        width="100%",
    )


def meter_field(row: ReadingRow, *, on_value: ValueHandler, on_replaced: ReplacedHandler) -> rx.Component:
    """One meter: its kind, the previous reading and, while it is open, the field (`reading-<meter id>`).

    Meter ids are unique across accounts, so a page with several accounts' meters keeps the ids apart.
    """
    field_id = f"reading-{row.meter_id}"
    return rx.box(
        rx.vstack(
            rx.hstack(
                meter_icon(row.kind_code, size=18, color=rx.color("accent", 10)),
                rx.el.label(rx.text(row.kind, ", ", row.unit, size="3", weight="bold"), html_for=field_id),
                rx.text(row.serial, size="1", color=rx.color("gray", 11)),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.text(row.previous_text, size="2", color=rx.color("gray", 11), id=f"{field_id}-previous"),
            rx.cond(
                row.this_period_text != "",
                rx.text(row.this_period_text, size="2", color=rx.color("accent", 11), id=f"{field_id}-this-period"),
            ),
            rx.cond(row.open, _value_input(row, field_id, on_value, on_replaced)),
            spacing="1",
            width="100%",
        ),
        padding_y="14px",
        border_top=f"1px solid {rx.color('gray', 4)}",
        width="100%",
    )


def window_notice(
    is_open: rx.Var[bool], text: rx.Var[str], color: rx.Var[str], mode: rx.Var[str], *, id: str | rx.Var[str]
) -> rx.Component:
    """When readings are taken: open (green), taken with a note (amber) or refused (gray); `data-state` = mode."""
    return rx.callout.root(
        rx.callout.icon(icon_if(is_open, "calendar-check", "calendar-x")),
        rx.callout.text(text),
        color=color,
        id=id,
        data_state=mode,
        width="100%",
    )


def readings_fields() -> rx.Component:
    """The window notice and one field per meter; the caller adds the buttons."""
    return rx.vstack(
        window_notice(
            ReadingsState.window_open,
            ReadingsState.window_text,
            ReadingsState.window_color,
            ReadingsState.window_mode,
            id="readings-window",
        ),
        rx.foreach(
            ReadingsState.rows,
            lambda row: meter_field(row, on_value=ReadingsState.set_value, on_replaced=ReadingsState.set_replaced),
        ),
        spacing="0",
        width="100%",
    )


def readings_form() -> rx.Component:
    """The fields with their own «Передать показания» and the jump confirmation."""
    return rx.vstack(
        readings_fields(),
        form_alert(ReadingsState.form_error, id="readings-form-error"),
        form_alert(ReadingsState.saved_notice, id="readings-saved", color="grass", icon="circle-check"),
        rx.cond(
            ReadingsState.jump_pending,
            rx.card(
                rx.vstack(
                    rx.text(texts.READINGS["jump_question"], size="2", weight="medium"),
                    rx.button(
                        texts.READINGS["jump_confirm"],
                        color_scheme="amber",
                        size="3",
                        on_click=ReadingsState.submit(True),
                        loading=ReadingsState.busy,
                        id="readings-confirm-jump",
                    ),
                    spacing="2",
                ),
                width="100%",
            ),
            rx.button(
                rx.icon("send", size=16),
                texts.READINGS["submit"],
                size="3",
                on_click=ReadingsState.submit(False),
                loading=ReadingsState.busy,
                disabled=~ReadingsState.can_submit,
                id="readings-submit",
                width=rx.breakpoints(initial="100%", sm="auto"),
            ),
        ),
        spacing="3",
        width="100%",
    )
