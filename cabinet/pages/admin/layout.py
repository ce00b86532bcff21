"""What every admin page shares: the section tabs above it, and the list lines several of them show."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.layout import page_shell
from cabinet.components.loading import when_loaded
from cabinet.state.admin.lines import Line
from cabinet.state.session import SessionState

# Sections only a platform administrator works in; provider staff reach their own card by address only.
PLATFORM_ADMIN_SECTIONS = frozenset({"staff"})


def _tab(key: str, label: str, href: str, *, current: bool) -> rx.Component:
    tab = rx.link(
        rx.button(
            label,
            variant="solid" if current else "soft",
            size="2",
            color_scheme="grass" if current else "gray",
        ),
        href=href,
        id=f"admin-nav-{key}",
    )
    return rx.cond(SessionState.is_platform_admin, tab) if key in PLATFORM_ADMIN_SECTIONS else tab


def admin_shell(section: str, *children: rx.Component, loaded: rx.Var[bool], title: str = "") -> rx.Component:
    """The admin sections as tabs above the section's content, shown once its `PageData` State has loaded.

    `title` names a page within a section (the registry's format); the section's name otherwise.
    """
    sections = texts.ADMIN["sections"]
    tabs = rx.flex(
        *[_tab(key, label, href, current=key == section) for key, (label, href) in sections.items()],
        spacing="2",
        wrap="wrap",
        width="100%",
    )
    return page_shell(
        rx.vstack(
            rx.text(texts.ADMIN["title"], size="3", weight="bold", color=rx.color("gray", 11)),
            tabs,
            rx.heading(
                title or (sections[section][0] if section != "providers" else texts.ADMIN["providers_title"]),
                size=rx.breakpoints(initial="6", sm="7"),
                as_="h1",
                id="admin-title",
            ),
            when_loaded(
                loaded, rx.vstack(*children, spacing="4", width="100%"), id=f"admin-{section}-loading", height="240px"
            ),
            spacing="4",
            width="100%",
        )
    )


def detail_lines(items, *, empty: str = texts.ADMIN["nothing"]) -> rx.Component:
    """A detail's list of two-text lines, or a quiet «nothing» when it is empty."""

    def line(item: Line) -> rx.Component:
        return rx.vstack(
            rx.text(item.primary, size="2"),
            rx.text(item.secondary, size="1", color=rx.color("gray", 11)),
            spacing="0",
            padding_y="6px",
            border_bottom=f"1px solid {rx.color('gray', 4)}",
            width="100%",
        )

    return rx.cond(
        items.length() > 0,
        rx.vstack(rx.foreach(items, line), spacing="0", width="100%"),
        rx.text(empty, size="2", color=rx.color("gray", 11)),
    )


def clickable_row(*children: rx.Component, on_click, id) -> rx.Component:
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
