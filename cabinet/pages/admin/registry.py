"""/admin/registry: the provider, the file, what the check found, and the import."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import file_picker, form_alert, select_field
from cabinet.pages.admin.layout import admin_shell
from cabinet.state.admin.lines import Figure
from cabinet.state.admin.registry import AdminRegistryState, RowError

state = AdminRegistryState


def _around(template: str, value) -> tuple:
    """A text with one `{count}` in it, as the parts around a state var and the var itself."""
    before, after = template.split("{count}")
    return before, value, after


def _count(item: Figure) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(item.label, size="1", color=rx.color("gray", 11)),
            rx.text(item.value, size="5", weight="bold", id=f"admin-registry-{item.key}"),
            spacing="0",
        ),
        width="100%",
    )


def _error_row(item: RowError) -> rx.Component:
    return rx.table.row(rx.table.cell(item.line), rx.table.cell(rx.code(item.column)), rx.table.cell(item.message))


def _upload() -> rx.Component:
    return file_picker(
        texts.ADMIN["registry_file_label"],
        texts.ADMIN["registry_upload"],
        id="admin-registry-upload",
        icon="file-spreadsheet",
        accept={"text/csv": [".csv"], "text/plain": [".txt"]},
        max_files=1,
        multiple=False,
        on_drop=state.upload_registry(rx.upload_files(upload_id="admin-registry-upload")),
    )


def _errors() -> rx.Component:
    """The rows the check refused, or a word that the file can be imported."""
    columns = [rx.table.column_header_cell(title) for title in texts.ADMIN["registry_error_columns"]]
    table = rx.table.root(
        rx.table.header(rx.table.row(*columns)),
        rx.table.body(rx.foreach(state.row_errors, _error_row)),
        size="1",
        variant="surface",
        width="100%",
    )
    return rx.cond(
        state.row_errors.length() > 0,
        rx.vstack(
            rx.text(texts.ADMIN["registry_errors"], weight="medium", color=rx.color("red", 11)),
            rx.box(
                table,
                overflow_x="auto",
                width="100%",
                id="admin-registry-errors",
                class_name="scroll-region",
                tab_index=0,
                role="region",
                aria_label=texts.ADMIN["registry_errors"],
            ),
            rx.cond(
                state.errors_more > 0,
                rx.text(
                    *_around(texts.ADMIN["registry_errors_more"], state.errors_more), id="admin-registry-errors-more"
                ),
            ),
            spacing="2",
            width="100%",
        ),
        rx.cond(
            state.can_import,
            rx.text(texts.ADMIN["registry_no_errors"], color=rx.color("grass", 11), id="admin-registry-ok"),
        ),
    )


def _named(template: str, name) -> rx.Component:
    """A text with one `{name}` in it, the name a state var."""
    before, after = template.split("{name}")
    return rx.fragment(before, name, after)


def _help() -> rx.Component:
    """Where the format is explained, and a sample file for the provider chosen."""
    return rx.flex(
        rx.link(
            rx.icon("book-open", size=16),
            texts.ADMIN["registry_format_link"],
            href="/admin/registry/format",
            id="admin-registry-format-link",
            display="inline-flex",
            align_items="center",
            gap="6px",
        ),
        rx.cond(
            state.provider_name != "",
            rx.button(
                rx.icon("download", size=16),
                _named(texts.ADMIN["registry_sample"], state.provider_name),
                variant="soft",
                size="2",
                on_click=state.download_sample,
                id="admin-registry-sample",
            ),
        ),
        spacing="4",
        align="center",
        wrap="wrap",
    )


def _preview_title() -> rx.Component:
    """Which provider the shown check (or import) was for, so a file never goes into the wrong one."""
    return rx.cond(
        state.preview_for != "",
        rx.heading(
            rx.cond(
                state.previewed,
                _named(texts.ADMIN["registry_preview_for"], state.preview_for),
                _named(texts.ADMIN["registry_imported_for"], state.preview_for),
            ),
            as_="h2",
            size="4",
            id="admin-registry-preview-title",
        ),
    )


def admin_registry_page() -> rx.Component:
    # Only the providers this staff member operates are offered; a viewer is told the import is not theirs.
    return admin_shell(
        "registry",
        rx.text(texts.ADMIN["registry_lead"], size="2", color=rx.color("gray", 11), max_width="760px"),
        rx.cond(
            state.providers.length() > 0,
            _import_steps(),
            rx.callout(texts.ADMIN["registry_none"], icon="info", width="100%", id="admin-registry-none"),
        ),
        loaded=state.loaded,
    )


def _import_steps() -> rx.Component:
    return rx.vstack(
        rx.box(
            select_field(
                state.providers,
                state.provider,
                state.set_provider,
                id="admin-registry-provider",
                label=texts.ADMIN["registry_provider"],
            ),
            max_width="420px",
            width="100%",
        ),
        _help(),
        _upload(),
        rx.cond(
            state.file_name != "",
            rx.text(texts.ADMIN["registry_file"].format(name=""), state.file_name, size="2", id="admin-registry-file"),
        ),
        form_alert(state.error, id="admin-registry-error"),
        _preview_title(),
        rx.cond(
            state.counts.length() > 0,
            rx.grid(
                rx.foreach(state.counts, _count),
                columns=rx.breakpoints(initial="2", md="3"),
                spacing="3",
                width="100%",
                id="admin-registry-counts",
            ),
        ),
        _errors(),
        rx.cond(state.importing, rx.progress(value=state.progress, width="100%", id="admin-registry-progress")),
        form_alert(state.notice, id="admin-registry-notice", color="grass", icon="circle-check"),
        rx.button(
            rx.icon("upload", size=16),
            texts.ADMIN["registry_import"],
            size="3",
            disabled=~state.can_import,
            loading=state.importing,
            on_click=state.import_now,
            id="admin-registry-import",
        ),
        spacing="4",
        width="100%",
    )
