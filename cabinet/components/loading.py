"""The placeholder a page shows until the data of this visit has arrived."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.state.page_data import PageDataState


def loading_placeholder(id: str, *, height: str = "160px") -> rx.Component:
    return rx.flex(
        rx.spinner(size="3"),
        rx.text(texts.LOADING, color_scheme="gray", size="2"),
        direction="column",
        align="center",
        justify="center",
        gap="3",
        min_height=height,
        width="100%",
        id=id,
        role="status",
        aria_busy="true",
        aria_live="polite",
    )


def load_failure(id: str) -> rx.Component:
    """The load's failure in words, and a full reload of the page to try again."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("triangle-alert")),
        rx.callout.text(
            PageDataState.load_error,
            " ",
            # A plain anchor: the whole page loads again, as the resident would do with the browser's button.
            rx.el.a(texts.LOAD_RETRY, href=rx.State.router.page.raw_path, id=f"{id}-retry"),
        ),
        color_scheme="red",
        role="alert",
        id=f"{id}-failed",
        width="100%",
    )


def when_loaded(loaded: rx.Var[bool], content: rx.Component, *, id: str, height: str = "160px") -> rx.Component:
    """`content` once `loaded` (a `PageData` State's) is set on this visit, `id`'s placeholder until then.

    A load that failed shows its message (`<id>-failed`, with `<id>-retry`) in place of the placeholder.
    `is_hydrated` covers a full page load: the tab's State comes back whole (last visit's figures
    included) before the page's on_load has run; Reflex sets it once the on_load events are done.
    """
    return rx.cond(
        loaded & rx.State.is_hydrated,
        content,
        rx.cond(PageDataState.load_error != "", load_failure(id), loading_placeholder(id, height=height)),
    )
