"""/admin/registry/format: the registry file's format in Russian, from the importer's own column definitions."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import form_alert, select_field
from cabinet.pages.admin.layout import admin_shell
from cabinet.state.admin.registry_format import AdminRegistryFormatState, ColumnHelp

state = AdminRegistryFormatState
TEXT = texts.REGISTRY_FORMAT


def _section(title: str, *children: rx.Component, id: str) -> rx.Component:
    return rx.vstack(
        rx.heading(title, as_="h2", size="5"),
        *children,
        spacing="3",
        width="100%",
        id=id,
    )


def _points(items, *, id: str, numbered: bool = False) -> rx.Component:
    return (rx.el.ol if numbered else rx.el.ul)(
        rx.foreach(items, lambda item: rx.el.li(rx.text(item, size="3"), margin_bottom="6px")),
        list_style_type="decimal" if numbered else "disc",
        padding_left="1.4em",
        margin="0",
        max_width="760px",
        id=id,
    )


def _detail(label: str, value) -> rx.Component:
    return rx.box(
        rx.text(label, size="1", weight="medium", color=rx.color("gray", 11)),
        rx.text(value, size="2", overflow_wrap="anywhere"),
    )


def _badge(item: ColumnHelp) -> rx.Component:
    color = rx.match(item.required, ("yes", "tomato"), ("meter", "amber"), "gray")
    return rx.badge(item.required_label, color_scheme=color, variant="soft", size="2")


def _column(item: ColumnHelp) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.code(item.name, size="3", weight="bold"),
                _badge(item),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.text(item.meaning, size="2"),
            _detail(TEXT["labels"]["forms"], item.forms),
            rx.cond(item.empty != "", _detail(TEXT["labels"]["empty"], item.empty)),
            _detail(TEXT["labels"]["example"], rx.code(item.example, variant="ghost")),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id=f"admin-registry-format-column-{item.name}",
    )


def _sample() -> rx.Component:
    """The provider, and its sample file to download."""
    before, after = texts.ADMIN["registry_sample"].split("{name}")
    return rx.flex(
        rx.box(
            select_field(
                state.providers,
                state.provider,
                state.set_provider,
                id="admin-registry-format-provider",
                label=TEXT["provider"],
            ),
            width="100%",
            max_width="420px",
        ),
        rx.cond(
            state.provider_name != "",
            rx.button(
                rx.icon("download", size=16),
                rx.fragment(before, state.provider_name, after),
                size="3",
                on_click=state.download_sample,
                id="admin-registry-format-sample",
                white_space="normal",
                height="auto",
                min_height="40px",
                text_align="left",
            ),
        ),
        direction=rx.breakpoints(initial="column", md="row"),
        align=rx.breakpoints(initial="stretch", md="end"),
        spacing="3",
        width="100%",
    )


def _example() -> rx.Component:
    """The provider's sample file as text, scrolling sideways rather than wrapping its lines."""
    return _section(
        TEXT["example_heading"],
        rx.text(TEXT["example_lead"], size="2", color=rx.color("gray", 11), max_width="760px"),
        rx.box(
            rx.el.pre(
                state.example,
                margin="0",
                font_size="13px",
                line_height="1.6",
                font_family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
            ),
            overflow_x="auto",
            width="100%",
            padding="12px",
            border_radius="8px",
            background_color=rx.color("gray", 2),
            border=f"1px solid {rx.color('gray', 5)}",
            tab_index=0,
            aria_label=TEXT["example_heading"],
            role="region",
            id="admin-registry-format-example",
        ),
        id="admin-format-example",
    )


def admin_registry_format_page() -> rx.Component:
    return admin_shell(
        "registry",
        rx.link(
            rx.icon("arrow-left", size=16),
            TEXT["back"],
            href="/admin/registry",
            id="admin-registry-format-back",
            display="inline-flex",
            align_items="center",
            gap="6px",
        ),
        rx.text(TEXT["lead"], size="3", max_width="760px"),
        _sample(),
        rx.text(TEXT["sample_hint"], size="2", color=rx.color("gray", 11), max_width="760px"),
        form_alert(state.error, id="admin-registry-format-error"),
        _section(TEXT["file_heading"], _points(state.rules, id="admin-registry-format-rules"), id="admin-format-file"),
        _section(
            TEXT["columns_heading"],
            rx.text(TEXT["columns_lead"], size="2", color=rx.color("gray", 11), max_width="760px"),
            rx.grid(
                rx.foreach(state.columns, _column),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="3",
                width="100%",
                id="admin-registry-format-columns",
            ),
            id="admin-format-columns",
        ),
        _example(),
        _section(
            TEXT["import_heading"],
            _points(state.steps, id="admin-registry-format-steps", numbered=True),
            id="admin-format-steps",
        ),
        loaded=state.loaded,
        title=TEXT["title"],
    )
