"""Form pieces: a labelled field with help and its error, a password field with live rules."""

from __future__ import annotations

import reflex as rx


def field_error(message: rx.Var[str], *, id: str) -> rx.Component:
    return rx.cond(
        message != "",
        rx.text(message, color=rx.color("red", 11), size="2", id=id, role="alert"),
    )


def invalid_field(error: rx.Var[str], *, error_id: str | rx.Var[str]) -> dict:
    """An input's props while `error` is shown: aria-invalid, the message read with it, a red border."""
    invalid = error != ""
    return {
        "aria_invalid": rx.cond(invalid, "true", "false"),
        "aria_describedby": rx.cond(invalid, error_id, ""),
        "color_scheme": rx.cond(invalid, "red", "gray"),
        # Radix draws a field's border as its frame's box-shadow.
        "box_shadow": rx.cond(invalid, f"inset 0 0 0 2px {rx.color('red', 9)}", ""),
    }


def form_field(
    label: str,
    control: rx.Component,
    *,
    field_id: str,
    error: rx.Var[str] | str = "",
    help_text: str = "",
) -> rx.Component:
    """A label, the control (whose id must be `field_id`), optional help, the error under it."""
    parts: list[rx.Component] = [
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
        control,
    ]
    if help_text:
        parts.append(rx.text(help_text, size="1", color=rx.color("gray", 11)))
    if isinstance(error, rx.Var):
        parts.append(field_error(error, id=f"{field_id}-error"))
    return rx.vstack(*parts, spacing="1", width="100%")


def password_rules(rules: rx.Var[list[list[str]]], *, id: str) -> rx.Component:
    """Each rule with a tick once the typed password meets it; `rules` is [[text, "ok"|"bad"|"idle"]]."""

    def rule(item: rx.Var[list[str]]) -> rx.Component:
        return rx.hstack(
            rx.match(
                item[1],
                ("ok", rx.icon("circle-check", size=14, color=rx.color("grass", 10))),
                ("bad", rx.icon("circle-x", size=14, color=rx.color("red", 10))),
                rx.icon("circle", size=14, color=rx.color("gray", 8)),
            ),
            rx.text(item[0], size="1", color=rx.color("gray", 11)),
            spacing="1",
            align="center",
            data_state=item[1],
        )

    return rx.vstack(rx.foreach(rules, rule), spacing="1", id=id)


def form_alert(message: rx.Var[str], *, id: str, color: str = "red", icon: str = "triangle-alert") -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon=icon, color_scheme=color, id=id, width="100%", role="alert"),
    )


def auth_card(title: str, lead: str, *children: rx.Component, id: str) -> rx.Component:
    """The narrow centred card of the sign-in, sign-up and password pages."""
    return rx.center(
        rx.card(
            rx.vstack(
                rx.heading(title, size="6", as_="h1", id=f"{id}-title"),
                rx.cond(lead != "", rx.text(lead, size="2", color=rx.color("gray", 11))),
                *children,
                spacing="4",
                width="100%",
            ),
            size={"initial": "2", "sm": "4"},
            width="100%",
            max_width="460px",
            id=id,
        ),
        padding_y=rx.breakpoints(initial="8px", sm="32px"),
        width="100%",
    )


def password_input(value: rx.Var[str], on_change, *, id: str, autocomplete: str, **props) -> rx.Component:
    return rx.input(
        value=value,
        on_change=on_change,
        type="password",
        id=id,
        auto_complete=autocomplete,
        size="3",
        width="100%",
        max_length=128,
        **props,
    )


def select_field(choices, value, on_change, *, id: str, label: str = "") -> rx.Component:
    """A select over a list of Choice (value, label) with its small label above; without `label`, the
    caller puts a label of its own with the id `<id>-label` beside it.

    The trigger is a button: a screen reader names it from `aria-labelledby` (the label, then the value
    shown), since a `<label for>` does not name a button for every reader.
    """
    control = rx.select.root(
        rx.select.trigger(id=id, width="100%", aria_labelledby=f"{id}-label {id}"),
        rx.select.content(rx.foreach(choices, lambda choice: rx.select.item(choice.label, value=choice.value))),
        value=value,
        on_change=on_change,
    )
    if not label:
        return control
    return rx.vstack(
        rx.el.label(rx.text(label, size="1", color=rx.color("gray", 11)), html_for=id, id=f"{id}-label"),
        control,
        spacing="1",
        width="100%",
    )


def checkbox_field(
    *label: rx.Component | str,
    checked,
    on_change,
    id: str,
    size: str = "2",
    weight: str = "regular",
    disabled=False,
    labelled_by: str | rx.Var[str] = "",
    **props,
) -> rx.Component:
    """A checkbox with its words beside it; a click on the words ticks it too.

    The checkbox is a button: it is named by `aria-labelledby`, not by the `<label>` around it — its words
    (`<id>-label`), or `labelled_by` when the words alone would not say what it is for (one of several alike).
    """
    return rx.el.label(
        rx.hstack(
            rx.checkbox(
                checked=checked,
                on_change=on_change,
                id=id,
                size=size,
                disabled=disabled,
                aria_labelledby=labelled_by if isinstance(labelled_by, rx.Var) or labelled_by else f"{id}-label",
            ),
            rx.text(*label, size=size, weight=weight, id=f"{id}-label"),
            spacing="2",
            align="center",
        ),
        cursor="pointer",
        **props,
    )


def file_picker(label: str, prompt: str, *, id: str, icon: str, **upload_props) -> rx.Component:
    """A drop zone that is also the file picker, with its label above and Russian words inside.

    The browser's own file input stays hidden (its «Choose File» would be English), but a screen reader
    still reaches it: it is named by the label and the words of the zone.
    """
    zone = rx.upload(
        rx.vstack(
            rx.icon(icon, size=22, aria_hidden="true"),
            rx.text(prompt, size="2", id=f"{id}-prompt"),
            align="center",
            spacing="1",
        ),
        id=id,
        border=f"1px dashed {rx.color('gray', 8)}",
        border_radius="8px",
        padding="16px",
        width="100%",
        cursor="pointer",
        **upload_props,
    )
    file_input = zone.children[0].children[0]  # rx.upload: the zone's first child is the <input type=file>
    file_input.custom_attrs["aria-labelledby"] = f"{id}-label {id}-prompt"
    return rx.vstack(
        rx.text(label, size="2", weight="medium", id=f"{id}-label"),
        zone,
        spacing="1",
        width="100%",
    )
