"""/admin/providers: the providers' list and the form that creates or edits one.

«Добавить поставщика» and (de)activation are for the platform administrator only; an operator's form shows
the legal name, INN and YooKassa shop read-only; a viewer's form is read-only throughout, with no save and no upload."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import file_picker, form_alert
from cabinet.pages.admin.layout import admin_shell
from cabinet.pages.admin.provider_fields import choice_field, field, reminders_section, shop_section, switch
from cabinet.state.admin.providers import AdminProvidersState, ProviderRow
from cabinet.state.session import SessionState

state = AdminProvidersState
TWO_COLUMNS = dict(columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%")


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


def _provider_fields() -> list[rx.Component]:
    """The form's inputs, top to bottom."""
    return [
        rx.cond(
            ~state.may_save,
            rx.callout(texts.ADMIN["provider_read_only"], icon="eye", width="100%", id="admin-provider-read-only"),
        ),
        rx.grid(field("name", admin_only=True), field("inn", input_mode="numeric", admin_only=True), **TWO_COLUMNS),
        rx.cond(
            state.may_save & ~state.may_change_legal,
            rx.text(
                texts.ADMIN["provider_legal_read_only"],
                size="1",
                color=rx.color("gray", 11),
                id="admin-provider-legal-note",
            ),
        ),
        field("service_description"),
        rx.grid(field("account_pattern"), field("account_example"), **TWO_COLUMNS),
        rx.text(
            state.pattern_check,
            size="2",
            id="admin-provider-pattern-check",
            color=rx.cond(state.pattern_ok, rx.color("grass", 11), rx.color("red", 11)),
        ),
        rx.grid(
            field("account_format_description"),
            choice_field("account_checksum", texts.ADMIN["checksum_choices"]),
            **TWO_COLUMNS,
        ),
        field("hint_text", textarea=True),
        _receipt_field(),
        choice_field("ownership_check", texts.ADMIN["ownership_choices"]),
        rx.grid(
            field("reading_window_start_day", input_mode="numeric"),
            field("reading_window_end_day", input_mode="numeric"),
            **TWO_COLUMNS,
        ),
        rx.grid(
            choice_field("reading_window_policy", texts.ADMIN["policy_choices"]),
            field("consumption_cap", input_mode="decimal"),
            **TWO_COLUMNS,
        ),
        switch(state.allow_zero, state.set_allow_zero, texts.ADMIN["allow_zero"], id="admin-provider-allow-zero"),
        switch(
            state.allow_rollover,
            state.set_allow_rollover,
            texts.ADMIN["allow_rollover"],
            id="admin-provider-allow-rollover",
        ),
        rx.grid(field("support_email", input_mode="email"), field("support_phone"), **TWO_COLUMNS),
        field("unavailable_message", textarea=True),
        shop_section(),
        reminders_section(),
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
