"""The provider form's fields on /admin/providers: a labelled text or choice with its help and error, a switch,
the shop's section (where residents' money goes) and the reminders' section (provider_form.REMINDER_SWITCHES).
Read-only unless the form is this staff member's to save (state.may_save)."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import checkbox_field
from cabinet.state.admin.providers import AdminProvidersState

state = AdminProvidersState


def field_id(name: str) -> str:
    return f"admin-provider-{name.replace('_', '-')}"


def labelled(name: str, control: rx.Component, *, alert: bool = True) -> rx.Component:
    """A form field: its label, the control, the help text under it and its error, if any."""
    label, help_text = texts.ADMIN["provider_fields"][name]
    error = rx.text(
        state.errors[name],
        size="2",
        color=rx.color("red", 11),
        id=f"{field_id(name)}-error",
        **({"role": "alert"} if alert else {}),
    )
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id(name)),
        control,
        rx.cond(help_text != "", rx.text(help_text, size="1", color=rx.color("gray", 11))),
        rx.cond(state.errors.contains(name), error),
        spacing="1",
        width="100%",
    )


def field(name: str, *, textarea: bool = False, input_mode: str = "text", admin_only: bool = False) -> rx.Component:
    """A text field; read-only when the form is not this staff member's to save (or, for `admin_only`, when
    they are not the platform administrator: the legal name, INN and YooKassa shop)."""
    control_props = dict(
        value=state.fields.get(name, ""),
        on_change=lambda value: state.set_field(name, value),
        id=field_id(name),
        width="100%",
        read_only=~(state.may_save & state.may_change_legal) if admin_only else ~state.may_save,
    )
    control = rx.text_area(**control_props, rows="3") if textarea else rx.input(**control_props, input_mode=input_mode)
    return labelled(name, control)


def choice_field(name: str, options: dict[str, str]) -> rx.Component:
    control = rx.select.root(
        rx.select.trigger(id=field_id(name), width="100%"),
        rx.select.content(*[rx.select.item(label, value=key) for key, label in options.items()]),
        value=state.fields.get(name, ""),
        on_change=lambda value: state.set_field(name, value),
        disabled=~state.may_save,
    )
    return labelled(name, control, alert=False)


def switch(checked, on_change, label: str, *, id: str) -> rx.Component:
    return checkbox_field(label, checked=checked, on_change=on_change, id=id, disabled=~state.may_save)


def _reminder_switch(name: str, label: str) -> rx.Component:
    return switch(
        state.reminders.get(name, True), lambda value: state.set_reminder(name, value), label, id=field_id(name)
    )


def reminders_section() -> rx.Component:
    """«Closes in N days» and the switch per kind of reminder the provider's residents get."""
    labels = texts.ADMIN["remind_switches"]
    return rx.vstack(
        rx.heading(texts.ADMIN["reminders_title"], size="3", as_="h3"),
        rx.text(texts.ADMIN["reminders_hint"], size="1", color=rx.color("gray", 11)),
        field("reminder_closing_days", input_mode="numeric"),
        *[_reminder_switch(name, label) for name, label in labels.items()],
        spacing="2",
        width="100%",
        id="admin-provider-reminders",
    )


def shop_section() -> rx.Component:
    """The provider's own YooKassa shop for split payments: the platform administrator's to change, read by the rest."""
    return rx.vstack(
        rx.heading(texts.ADMIN["shop_title"], size="3", as_="h3"),
        field("yookassa_account_id", input_mode="numeric", admin_only=True),
        rx.cond(
            state.may_save & ~state.may_change_legal,
            rx.text(texts.ADMIN["shop_read_only"], size="1", color=rx.color("gray", 11), id="admin-provider-shop-note"),
        ),
        spacing="2",
        width="100%",
        id="admin-provider-shop",
    )
