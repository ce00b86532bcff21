"""The admin page's sections: overview, providers, residents, payments, readings export, audit log."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import form_alert, select_field
from cabinet.components.layout import page_shell
from cabinet.state.admin import (
    AdminAuditState,
    AdminOverviewState,
    AdminPaymentRow,
    AdminPaymentsState,
    AdminProvidersState,
    AdminReadingsState,
    AdminRegistryState,
    AdminResidentsState,
    AuditRow,
    Figure,
    Line,
    ProviderRow,
    ResidentRow,
    RowError,
)

A = texts.ADMIN
STATUS_COLORS = (("succeeded", "grass"), ("canceled", "gray"), ("failed", "red"), ("waiting_for_capture", "blue"))


def admin_shell(section: str, *children: rx.Component) -> rx.Component:
    """The admin sections as tabs above the section's content."""
    tabs = rx.flex(
        *[
            rx.link(
                rx.button(label, variant="solid" if key == section else "soft", size="2",
                          color_scheme="grass" if key == section else "gray"),
                href=href,
                id=f"admin-nav-{key}",
            )
            for key, (label, href) in A["sections"].items()
        ],
        spacing="2",
        wrap="wrap",
        width="100%",
    )
    return page_shell(
        rx.vstack(
            rx.heading(A["title"], size="3", color=rx.color("gray", 11), as_="p"),
            tabs,
            rx.heading(A["sections"][section][0] if section != "providers" else A["providers_title"],
                       size=rx.breakpoints(initial="6", sm="7"), as_="h1", id="admin-title"),
            *children,
            spacing="4",
            width="100%",
        )
    )


def _static_select(options: dict[str, str], value, on_change, *, id: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id=id, width="100%"),
        rx.select.content(*[rx.select.item(label, value=key) for key, label in options.items()]),
        value=value,
        on_change=on_change,
    )


def _around(template: str, value) -> tuple:
    """A text with one `{count}` in it, as the parts around a state var and the var itself."""
    before, after = template.split("{count}")
    return before, value, after


def _lines(items, *, empty: str = A["nothing"]) -> rx.Component:
    def line(item: Line) -> rx.Component:
        return rx.vstack(rx.text(item.primary, size="2"), rx.text(item.secondary, size="1", color=rx.color("gray", 10)),
                         spacing="0", padding_y="6px", border_bottom=f"1px solid {rx.color('gray', 4)}", width="100%")

    return rx.cond(items.length() > 0, rx.vstack(rx.foreach(items, line), spacing="0", width="100%"),
                   rx.text(empty, size="2", color=rx.color("gray", 10)))


# --- overview -------------------------------------------------------------------------------------------------


def admin_overview_page() -> rx.Component:
    def figure(item: Figure) -> rx.Component:
        return rx.card(
            rx.vstack(rx.text(item.label, size="2", color=rx.color("gray", 11)),
                      rx.text(item.value, size="6", weight="bold", id=f"admin-figure-{item.key}"), spacing="1"),
            width="100%",
        )

    return admin_shell(
        "overview",
        rx.grid(rx.foreach(AdminOverviewState.figures, figure), columns=rx.breakpoints(initial="1", sm="2", md="3"),
                spacing="3", width="100%"),
    )


# --- providers ---------------------------------------------------------------------------------------------------


def _field(name: str, *, textarea: bool = False, input_mode: str = "text") -> rx.Component:
    label, help_text = A["provider_fields"][name]
    field_id = f"admin-provider-{name.replace('_', '-')}"
    control_props = dict(
        value=AdminProvidersState.fields.get(name, ""),
        on_change=lambda value: AdminProvidersState.set_field(name, value),
        id=field_id,
        width="100%",
    )
    control = rx.text_area(**control_props, rows="3") if textarea else rx.input(**control_props, input_mode=input_mode)
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
        control,
        rx.cond(help_text != "", rx.text(help_text, size="1", color=rx.color("gray", 10))),
        rx.cond(AdminProvidersState.errors.contains(name),
                rx.text(AdminProvidersState.errors[name], size="2", color=rx.color("red", 11), id=f"{field_id}-error",
                        role="alert")),
        spacing="1",
        width="100%",
    )


def _choice_field(name: str, options: dict[str, str]) -> rx.Component:
    label, help_text = A["provider_fields"][name]
    field_id = f"admin-provider-{name.replace('_', '-')}"
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
        _static_select(options, AdminProvidersState.fields.get(name, ""),
                       lambda value: AdminProvidersState.set_field(name, value), id=field_id),
        rx.cond(help_text != "", rx.text(help_text, size="1", color=rx.color("gray", 10))),
        rx.cond(AdminProvidersState.errors.contains(name),
                rx.text(AdminProvidersState.errors[name], size="2", color=rx.color("red", 11), id=f"{field_id}-error")),
        spacing="1",
        width="100%",
    )


def _receipt_field() -> rx.Component:
    label, help_text = A["provider_fields"]["receipt_image"]
    image = AdminProvidersState.fields.get("receipt_image", "")
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.cond(image != "", rx.image(src=image, width="100%", max_width="480px", border_radius="8px",
                                      border=f"1px solid {rx.color('gray', 5)}", id="admin-receipt-preview",
                                      alt=texts.START["receipt_alt"])),
        rx.upload(
            rx.vstack(rx.icon("image-up", size=22), rx.text(A["upload_drop"], size="2"), align="center", spacing="1"),
            id="admin-receipt-upload",
            accept={"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"]},
            max_files=1,
            multiple=False,
            on_drop=AdminProvidersState.upload_receipt(rx.upload_files(upload_id="admin-receipt-upload")),
            border=f"1px dashed {rx.color('gray', 7)}",
            border_radius="8px",
            padding="16px",
            width="100%",
            cursor="pointer",
        ),
        rx.text(help_text, size="1", color=rx.color("gray", 10)),
        rx.cond(AdminProvidersState.errors.contains("receipt_image"),
                rx.text(AdminProvidersState.errors["receipt_image"], size="2", color=rx.color("red", 11),
                        id="admin-provider-receipt-image-error", role="alert")),
        spacing="2",
        width="100%",
    )


def _provider_form() -> rx.Component:
    two = dict(columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%")
    return rx.card(
        rx.vstack(
            rx.heading(rx.cond(AdminProvidersState.editing == "", A["provider_form_new"], A["provider_form_edit"]),
                       size="4", as_="h2"),
            rx.grid(_field("name"), _field("inn", input_mode="numeric"), **two),
            _field("service_description"),
            rx.grid(_field("account_pattern"), _field("account_example"), **two),
            rx.text(AdminProvidersState.pattern_check, size="2", id="admin-provider-pattern-check",
                    color=rx.cond(AdminProvidersState.pattern_ok, rx.color("grass", 11), rx.color("red", 11))),
            rx.grid(_field("account_format_description"), _choice_field("account_checksum", A["checksum_choices"]),
                    **two),
            _field("hint_text", textarea=True),
            _receipt_field(),
            _choice_field("ownership_check", A["ownership_choices"]),
            rx.grid(_field("reading_window_start_day", input_mode="numeric"),
                    _field("reading_window_end_day", input_mode="numeric"), **two),
            rx.grid(_choice_field("reading_window_policy", A["policy_choices"]),
                    _field("consumption_cap", input_mode="decimal"), **two),
            rx.el.label(rx.hstack(rx.checkbox(checked=AdminProvidersState.allow_zero,
                                              on_change=AdminProvidersState.set_allow_zero,
                                              id="admin-provider-allow-zero"),
                                  rx.text(A["allow_zero"], size="2"), spacing="2", align="center")),
            rx.el.label(rx.hstack(rx.checkbox(checked=AdminProvidersState.allow_rollover,
                                              on_change=AdminProvidersState.set_allow_rollover,
                                              id="admin-provider-allow-rollover"),
                                  rx.text(A["allow_rollover"], size="2"), spacing="2", align="center")),
            rx.grid(_field("support_email", input_mode="email"), _field("support_phone"), **two),
            _field("unavailable_message", textarea=True),
            rx.cond(AdminProvidersState.errors.contains("form"),
                    rx.callout(AdminProvidersState.errors["form"], icon="triangle-alert", color_scheme="red",
                               width="100%")),
            rx.hstack(
                rx.button(A["save"], size="3", on_click=AdminProvidersState.save, loading=AdminProvidersState.busy,
                          id="admin-provider-save"),
                rx.button(A["cancel"], size="3", variant="soft", color_scheme="gray",
                          on_click=AdminProvidersState.close_form, id="admin-provider-cancel"),
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
            rx.hstack(rx.text(row.name, weight="medium"),
                      rx.cond(~row.active, rx.badge(A["provider_inactive"], color_scheme="gray")), spacing="2",
                      align="center", wrap="wrap"),
            rx.text(texts.DASHBOARD["inn_label"], row.inn, " · ", row.format, " · ", row.accounts, texts.DASHBOARD["accounts_count"], size="1", color=rx.color("gray", 11)),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.hstack(
            rx.button(A["provider_edit"], variant="soft", size="2", on_click=AdminProvidersState.edit_provider(row.id),
                      id=f"admin-provider-edit-{row.id}"),
            rx.button(rx.cond(row.active, A["provider_deactivate"], A["provider_activate"]), variant="outline",
                      color_scheme=rx.cond(row.active, "red", "grass"), size="2",
                      on_click=AdminProvidersState.toggle_active(row.id, ~row.active),
                      id=f"admin-provider-toggle-{row.id}"),
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
        form_alert(AdminProvidersState.notice, id="admin-providers-notice", color="grass", icon="circle-check"),
        rx.cond(
            AdminProvidersState.form_open,
            _provider_form(),
            rx.button(rx.icon("plus", size=16), A["provider_new"], on_click=AdminProvidersState.new_provider,
                      id="admin-providers-new"),
        ),
        rx.card(rx.vstack(rx.foreach(AdminProvidersState.rows, _provider_row), spacing="0", width="100%"),
                width="100%", id="admin-providers-list"),
    )


# --- residents ---------------------------------------------------------------------------------------------------


def _clickable_row(*children: rx.Component, on_click, id) -> rx.Component:
    """A list line that opens its detail above the list."""
    return rx.flex(
        *children,
        on_click=on_click,
        cursor="pointer",
        spacing="2",
        align="center",
        padding="10px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
        id=id,
        _hover={"background_color": rx.color("gray", 3)},
    )


def _resident_row(row: ResidentRow) -> rx.Component:
    return _clickable_row(
        rx.vstack(rx.text(row.email, weight="medium", size="2"),
                  rx.text(row.name, " ", row.created, size="1", color=rx.color("gray", 11)), spacing="0", min_width="0"),
        rx.spacer(),
        rx.badge(row.state, color_scheme="gray"),
        on_click=AdminResidentsState.open_resident(row.id),
        id=f"admin-resident-row-{row.id}",
    )


def _resident_detail() -> rx.Component:
    state = AdminResidentsState
    return rx.card(
        rx.vstack(
            rx.hstack(rx.heading(state.detail_title, size="4", as_="h2", id="admin-resident-title"),
                      rx.badge(state.detail_state, id="admin-resident-state"), spacing="2", wrap="wrap", align="center"),
            rx.text(state.detail_sessions, size="2", color=rx.color("gray", 11)),
            form_alert(state.notice, id="admin-resident-notice", color="grass", icon="circle-check"),
            form_alert(state.error, id="admin-resident-error"),
            rx.flex(
                rx.cond(state.detail_blocked,
                        rx.button(A["unblock"], color_scheme="grass", on_click=state.set_blocked(False),
                                  id="admin-resident-unblock"),
                        rx.button(A["block"], color_scheme="red", variant="soft", on_click=state.set_blocked(True),
                                  id="admin-resident-block")),
                rx.cond(~state.detail_confirmed,
                        rx.button(A["resend_confirmation"], variant="soft", on_click=state.resend_confirmation,
                                  id="admin-resident-resend")),
                rx.button(A["close"], variant="ghost", on_click=state.close_resident, id="admin-resident-close"),
                spacing="2",
                wrap="wrap",
            ),
            rx.grid(
                rx.vstack(rx.heading(A["resident_links"], size="3", as_="h3"), _lines(state.detail_links), width="100%"),
                rx.vstack(rx.heading(A["resident_payments"], size="3", as_="h3"), _lines(state.detail_payments),
                          width="100%"),
                rx.vstack(rx.heading(A["resident_sign_ins"], size="3", as_="h3"), _lines(state.detail_sign_ins),
                          width="100%"),
                columns=rx.breakpoints(initial="1", md="3"),
                spacing="4",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="admin-resident-detail",
    )


def admin_residents_page() -> rx.Component:
    state = AdminResidentsState
    return admin_shell(
        "residents",
        rx.el.form(
            rx.hstack(
                rx.input(value=state.query, on_change=state.set_query, placeholder=A["residents_search"],
                         id="admin-residents-query", width="100%", size="3"),
                rx.button(rx.icon("search", size=16), A["search"], size="3", type="submit", id="admin-residents-search"),
                width="100%",
                spacing="2",
            ),
            on_submit=lambda _form: state.search,
            width="100%",
        ),
        rx.cond(state.selected != 0, _resident_detail()),
        rx.card(
            rx.cond(state.rows.length() > 0, rx.vstack(rx.foreach(state.rows, _resident_row), spacing="0", width="100%"),
                    rx.text(A["residents_empty"], size="2", id="admin-residents-empty")),
            width="100%",
        ),
    )


# --- payments ----------------------------------------------------------------------------------------------------


def _payment_row(row: AdminPaymentRow) -> rx.Component:
    return _clickable_row(
        rx.vstack(rx.text(row.provider, " · ", row.account, size="2", weight="medium"),
                  rx.text(row.created, " · ", row.payer, size="1", color=rx.color("gray", 11)), spacing="0",
                  min_width="0"),
        rx.spacer(),
        rx.vstack(rx.text(row.amount, weight="bold", white_space="nowrap"),
                  rx.badge(row.status_label, color_scheme=rx.match(row.status, *STATUS_COLORS, "amber")),
                  align="end", spacing="1"),
        on_click=AdminPaymentsState.open_payment(row.id),
        id=f"admin-payment-row-{row.id}",
    )


def _payment_detail() -> rx.Component:
    state = AdminPaymentsState
    return rx.card(
        rx.vstack(
            rx.data_list.root(rx.foreach(state.detail, lambda line: rx.data_list.item(
                rx.data_list.label(line.primary), rx.data_list.value(line.secondary))), size="2",
                orientation=rx.breakpoints(initial="vertical", sm="horizontal")),
            form_alert(state.notice, id="admin-payment-notice", color="grass", icon="circle-check"),
            form_alert(state.error, id="admin-payment-error"),
            rx.hstack(
                rx.button(rx.icon("refresh-cw", size=16), A["check_gateway"], on_click=state.check_at_gateway,
                          id="admin-payment-check"),
                rx.button(A["close"], variant="ghost", on_click=state.close_payment, id="admin-payment-close"),
                spacing="2",
            ),
            rx.heading(A["notifications"], size="3", as_="h3"),
            _lines(state.notifications),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="admin-payment-detail",
    )


def admin_payments_page() -> rx.Component:
    state = AdminPaymentsState
    return admin_shell(
        "payments",
        rx.grid(
            select_field(state.providers, state.provider_filter, state.set_provider_filter,
                          id="admin-payments-filter-provider"),
            select_field(state.statuses, state.status_filter, state.set_status_filter, id="admin-payments-filter-status"),
            select_field(state.periods, state.period_filter, state.set_period_filter, id="admin-payments-filter-period"),
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="3",
            width="100%",
        ),
        rx.flex(
            rx.text(state.total_text, weight="medium", id="admin-payments-total"),
            rx.spacer(),
            rx.button(rx.icon("download", size=16), A["export_csv"], variant="soft", on_click=state.export_csv,
                      id="admin-payments-export"),
            align="center",
            spacing="2",
            width="100%",
        ),
        rx.cond(state.selected != 0, _payment_detail()),
        rx.card(
            rx.cond(state.rows.length() > 0, rx.vstack(rx.foreach(state.rows, _payment_row), spacing="0", width="100%"),
                    rx.text(A["payments_empty"], size="2", id="admin-payments-empty")),
            width="100%",
        ),
    )


# --- readings export ---------------------------------------------------------------------------------------------


def admin_readings_page() -> rx.Component:
    state = AdminReadingsState
    return admin_shell(
        "readings",
        rx.card(
            rx.vstack(
                rx.text(A["readings_lead"], size="2", color=rx.color("gray", 11)),
                rx.grid(
                    select_field(state.providers, state.provider, state.set_provider, id="admin-readings-provider",
                                  label=A["readings_provider"]),
                    rx.vstack(
                        rx.el.label(rx.text(A["readings_month"], size="1", color=rx.color("gray", 11)),
                                    html_for="admin-readings-month"),
                        rx.input(type="month", value=state.month, on_change=state.set_month, id="admin-readings-month",
                                 width="100%"),
                        spacing="1",
                        width="100%",
                    ),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                rx.el.label(rx.hstack(rx.checkbox(checked=state.mark_sent, on_change=state.set_mark_sent,
                                                  id="admin-readings-mark-sent"),
                                      rx.text(A["readings_mark_sent"], size="2"), spacing="2", align="center")),
                form_alert(state.error, id="admin-readings-error"),
                form_alert(state.notice, id="admin-readings-notice", color="grass", icon="circle-check"),
                rx.button(rx.icon("download", size=16), A["readings_export"], size="3", on_click=state.export_csv,
                          id="admin-readings-export"),
                spacing="3",
                width="100%",
            ),
            width="100%",
            max_width="720px",
        ),
    )


# --- audit ---------------------------------------------------------------------------------------------------------


def admin_audit_page() -> rx.Component:
    state = AdminAuditState

    def row(item: AuditRow) -> rx.Component:
        return rx.table.row(
            rx.table.cell(item.when, white_space="nowrap"),
            rx.table.cell(item.who),
            rx.table.cell(rx.code(item.action)),
            rx.table.cell(item.target),
            rx.table.cell(rx.text(item.details, size="1"), rx.text(item.address, size="1", color=rx.color("gray", 10))),
            id=f"admin-audit-row-{item.id}",
        )

    return admin_shell(
        "audit",
        rx.box(select_field(state.actions, state.action_filter, state.set_action_filter, id="admin-audit-filter"),
               max_width="320px", width="100%"),
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(title) for title in A["audit_columns"]])),
                rx.table.body(rx.foreach(state.rows, row)),
                size="1",
                variant="surface",
                width="100%",
            ),
            overflow_x="auto",
            width="100%",
        ),
    )


# --- registry import ---------------------------------------------------------------------------------------------


def admin_registry_page() -> rx.Component:
    state = AdminRegistryState

    def count(item: Figure) -> rx.Component:
        return rx.card(rx.vstack(rx.text(item.label, size="1", color=rx.color("gray", 11)),
                                 rx.text(item.value, size="5", weight="bold", id=f"admin-registry-{item.key}"),
                                 spacing="0"), width="100%")

    def error_row(item: RowError) -> rx.Component:
        return rx.table.row(rx.table.cell(item.line), rx.table.cell(rx.code(item.column)), rx.table.cell(item.message))

    return admin_shell(
        "registry",
        rx.text(A["registry_lead"], size="2", color=rx.color("gray", 11), max_width="760px"),
        rx.box(select_field(state.providers, state.provider, state.set_provider, id="admin-registry-provider",
                             label=A["registry_provider"]), max_width="420px", width="100%"),
        rx.upload(
            rx.vstack(rx.icon("file-spreadsheet", size=24), rx.text(A["registry_upload"], size="2"), align="center",
                      spacing="1"),
            id="admin-registry-upload",
            accept={"text/csv": [".csv"], "text/plain": [".txt"]},
            max_files=1,
            multiple=False,
            on_drop=state.upload_registry(rx.upload_files(upload_id="admin-registry-upload")),
            border=f"1px dashed {rx.color('gray', 7)}",
            border_radius="8px",
            padding="20px",
            width="100%",
            cursor="pointer",
        ),
        rx.cond(state.file_name != "", rx.text(A["registry_file"].format(name=""), state.file_name, size="2",
                                                id="admin-registry-file")),
        form_alert(state.error, id="admin-registry-error"),
        rx.cond(state.counts.length() > 0,
                rx.grid(rx.foreach(state.counts, count), columns=rx.breakpoints(initial="2", md="3"), spacing="3",
                        width="100%", id="admin-registry-counts")),
        rx.cond(
            state.row_errors.length() > 0,
            rx.vstack(
                rx.text(A["registry_errors"], weight="medium", color=rx.color("red", 11)),
                rx.box(
                    rx.table.root(
                        rx.table.header(rx.table.row(*[rx.table.column_header_cell(t) for t in A["registry_error_columns"]])),
                        rx.table.body(rx.foreach(state.row_errors, error_row)),
                        size="1", variant="surface", width="100%",
                    ),
                    overflow_x="auto", width="100%", id="admin-registry-errors",
                ),
                rx.cond(state.errors_more > 0, rx.text(*_around(A["registry_errors_more"], state.errors_more),
                                                      id="admin-registry-errors-more")),
                spacing="2",
                width="100%",
            ),
            rx.cond(state.can_import, rx.text(A["registry_no_errors"], color=rx.color("grass", 11),
                                              id="admin-registry-ok")),
        ),
        rx.cond(state.importing, rx.progress(value=state.progress, width="100%", id="admin-registry-progress")),
        form_alert(state.notice, id="admin-registry-notice", color="grass", icon="circle-check"),
        rx.button(rx.icon("upload", size=16), A["registry_import"], size="3", disabled=~state.can_import,
                  loading=state.importing, on_click=state.import_now, id="admin-registry-import"),
    )
