"""/admin/providers: the providers' list and the form that creates or edits one.

«Добавить поставщика» and (de)activation are for the platform administrator only; an operator's form shows
the legal name and INN read-only; a viewer's form is read-only throughout, with no save and no upload."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import checkbox_field, file_picker, form_alert
from cabinet.pages.admin.layout import admin_shell
from cabinet.state.admin.providers import AdminProvidersState, ProviderRow
from cabinet.state.session import SessionState

state = AdminProvidersState
TWO_COLUMNS = dict(columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%")


def _field_id(name: str) -> str:
    return f"admin-provider-{name.replace('_', '-')}"


def _labelled(name: str, control: rx.Component, *, alert: bool = True) -> rx.Component:
    """A form field: its label, the control, the help text under it and its error, if any."""
    label, help_text = texts.ADMIN["provider_fields"][name]
    error = rx.text(
        state.errors[name],
        size="2",
        color=rx.color("red", 11),
        id=f"{_field_id(name)}-error",
        **({"role": "alert"} if alert else {}),
    )
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=_field_id(name)),
        control,
        rx.cond(help_text != "", rx.text(help_text, size="1", color=rx.color("gray", 11))),
        rx.cond(state.errors.contains(name), error),
        spacing="1",
        width="100%",
    )


def _field(name: str, *, textarea: bool = False, input_mode: str = "text", legal: bool = False) -> rx.Component:
    """A text field; read-only when the form is not this staff member's to save (or, for `legal`, to rename)."""
    control_props = dict(
        value=state.fields.get(name, ""),
        on_change=lambda value: state.set_field(name, value),
        id=_field_id(name),
        width="100%",
        read_only=~(state.may_save & state.may_change_legal) if legal else ~state.may_save,
    )
    control = rx.text_area(**control_props, rows="3") if textarea else rx.input(**control_props, input_mode=input_mode)
    return _labelled(name, control)


def _choice_field(name: str, options: dict[str, str]) -> rx.Component:
    control = rx.select.root(
        rx.select.trigger(id=_field_id(name), width="100%"),
        rx.select.content(*[rx.select.item(label, value=key) for key, label in options.items()]),
        value=state.fields.get(name, ""),
        on_change=lambda value: state.set_field(name, value),
        disabled=~state.may_save,
    )
    return _labelled(name, control, alert=False)


def _receipt_field() -> rx.Component:
    label, help_text = texts.ADMIN["provider_fields"]["receipt_image"]
    image = state.fields.get("receipt_image", "")
    return rx.vstack(
        rx.cond(
            image != "",
            rx.image(
                src=image,
                width="100%",
                max_width="480px",
                border_radius="8px",
                border=f"1px solid {rx.color('gray', 5)}",
                id="admin-receipt-preview",
                alt=texts.START["receipt_alt"],
            ),
        ),
        rx.cond(state.may_save, _receipt_picker(label)),
        rx.text(help_text, size="1", color=rx.color("gray", 11)),
        rx.cond(
            state.errors.contains("receipt_image"),
            rx.text(
                state.errors["receipt_image"],
                size="2",
                color=rx.color("red", 11),
                id="admin-provider-receipt-image-error",
                role="alert",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _receipt_picker(label: str) -> rx.Component:
    return file_picker(
        label,
        texts.ADMIN["upload_drop"],
        id="admin-receipt-upload",
        icon="image-up",
        accept={"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
        max_files=1,
        multiple=False,
        on_drop=state.upload_receipt(rx.upload_files(upload_id="admin-receipt-upload")),
    )


def _switch(checked, on_change, label: str, *, id: str) -> rx.Component:
    return checkbox_field(label, checked=checked, on_change=on_change, id=id, disabled=~state.may_save)


def _provider_fields() -> list[rx.Component]:
    """The form's inputs, top to bottom."""
    return [
        rx.cond(
            ~state.may_save,
            rx.callout(texts.ADMIN["provider_read_only"], icon="eye", width="100%", id="admin-provider-read-only"),
        ),
        rx.grid(_field("name", legal=True), _field("inn", input_mode="numeric", legal=True), **TWO_COLUMNS),
        rx.cond(
            state.may_save & ~state.may_change_legal,
            rx.text(
                texts.ADMIN["provider_legal_read_only"],
                size="1",
                color=rx.color("gray", 11),
                id="admin-provider-legal-note",
            ),
        ),
        _field("service_description"),
        rx.grid(_field("account_pattern"), _field("account_example"), **TWO_COLUMNS),
        rx.text(
            state.pattern_check,
            size="2",
            id="admin-provider-pattern-check",
            color=rx.cond(state.pattern_ok, rx.color("grass", 11), rx.color("red", 11)),
        ),
        rx.grid(
            _field("account_format_description"),
            _choice_field("account_checksum", texts.ADMIN["checksum_choices"]),
            **TWO_COLUMNS,
        ),
        _field("hint_text", textarea=True),
        _receipt_field(),
        _choice_field("ownership_check", texts.ADMIN["ownership_choices"]),
        rx.grid(
            _field("reading_window_start_day", input_mode="numeric"),
            _field("reading_window_end_day", input_mode="numeric"),
            **TWO_COLUMNS,
        ),
        rx.grid(
            _choice_field("reading_window_policy", texts.ADMIN["policy_choices"]),
            _field("consumption_cap", input_mode="decimal"),
            **TWO_COLUMNS,
        ),
        _switch(state.allow_zero, state.set_allow_zero, texts.ADMIN["allow_zero"], id="admin-provider-allow-zero"),
        _switch(
            state.allow_rollover,
            state.set_allow_rollover,
            texts.ADMIN["allow_rollover"],
            id="admin-provider-allow-rollover",
        ),
        rx.grid(_field("support_email", input_mode="email"), _field("support_phone"), **TWO_COLUMNS),
        _field("unavailable_message", textarea=True),
    ]


def _provider_form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(
                rx.cond(state.editing == "", texts.ADMIN["provider_form_new"], texts.ADMIN["provider_form_edit"]),
                size="4",
                as_="h2",
            ),
            *_provider_fields(),
            rx.cond(
                state.errors.contains("form"),
                rx.callout(state.errors["form"], icon="triangle-alert", color_scheme="red", width="100%"),
            ),
            rx.hstack(
                rx.cond(
                    state.may_save,
                    rx.button(
                        texts.ADMIN["save"], size="3", on_click=state.save, loading=state.busy, id="admin-provider-save"
                    ),
                ),
                rx.button(
                    rx.cond(state.may_save, texts.ADMIN["cancel"], texts.ADMIN["close"]),
                    size="3",
                    variant="soft",
                    color_scheme="gray",
                    on_click=state.close_form,
                    id="admin-provider-cancel",
                ),
                spacing="3",
            ),
            spacing="3",
            width="100%",
        ),
        id="admin-provider-form",
        width="100%",
        size="3",
    )


def _provider_row(row: ProviderRow) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.text(row.name, weight="medium"),
                rx.cond(~row.active, rx.badge(texts.ADMIN["provider_inactive"], color_scheme="gray")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.text(
                texts.DASHBOARD["inn_label"],
                row.inn,
                " · ",
                row.format,
                " · ",
                row.accounts,
                texts.DASHBOARD["accounts_count"],
                size="1",
                color=rx.color("gray", 11),
            ),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.hstack(
            rx.button(
                rx.cond(row.may_change, texts.ADMIN["provider_edit"], texts.ADMIN["provider_open"]),
                variant="soft",
                size="2",
                on_click=state.edit_provider(row.id),
                id=f"admin-provider-edit-{row.id}",
            ),
            rx.cond(
                SessionState.is_platform_admin,
                rx.button(
                    rx.cond(row.active, texts.ADMIN["provider_deactivate"], texts.ADMIN["provider_activate"]),
                    variant="outline",
                    color_scheme=rx.cond(row.active, "red", "grass"),
                    size="2",
                    on_click=state.toggle_active(row.id, ~row.active),
                    id=f"admin-provider-toggle-{row.id}",
                ),
            ),
            spacing="2",
        ),
        direction=rx.breakpoints(initial="column", sm="row"),
        spacing="2",
        padding_y="10px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
        id=f"admin-provider-row-{row.id}",
    )


def admin_providers_page() -> rx.Component:
    return admin_shell(
        "providers",
        form_alert(state.notice, id="admin-providers-notice", color="grass", icon="circle-check"),
        form_alert(state.missing, id="admin-providers-missing"),
        rx.cond(
            state.form_open,
            _provider_form(),
            rx.cond(
                SessionState.is_platform_admin,
                rx.button(
                    rx.icon("plus", size=16),
                    texts.ADMIN["provider_new"],
                    on_click=state.new_provider,
                    id="admin-providers-new",
                ),
            ),
        ),
        rx.card(
            rx.vstack(rx.foreach(state.rows, _provider_row), spacing="0", width="100%"),
            width="100%",
            id="admin-providers-list",
        ),
        loaded=state.loaded,
    )
