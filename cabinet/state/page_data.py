"""Data a page loads when it opens, never shown from an earlier visit.

Reflex keeps a tab's State between pages, so a page opened again would first render what it
showed last time (the debt before a payment, the previous list) until its load came back. A
page's States inherit `PageData`; its load ends with `mark_loaded(self)`; every page's on_load
starts with `forget_previous_page` (in `SessionState.open_*_page`, or `PageDataState.leave`), which
clears `loaded` of the States the previous page loaded.
`components/loading.py::when_loaded` shows a placeholder until `loaded` is set on this visit, or the
message of `load_failed` when the load could not be done (never a placeholder for ever).
"""

from __future__ import annotations

import reflex as rx


class PageData(rx.State, mixin=True):
    # True once this visit's load has come back; cleared when the tab goes to another page.
    loaded: bool = False


class PageDataState(rx.State):
    # Full names of the States loaded since the last navigation (backend only: the browser needs none).
    _loaded_states: list[str] = []
    # Why this visit's load failed (one per tab: only the page on screen can have failed); "" while none has.
    load_error: str = ""

    @rx.event
    async def leave(self):
        """First on_load of a page that checks no session (the sign-in page): as `forget_previous_page`."""
        await forget_previous_page(self)


async def forget_previous_page(state: rx.State) -> None:
    """What the previous page loaded is stale from now on: the first thing every page's on_load does,
    within its first event (`SessionState.open_*_page`)."""
    tracker = await state.get_state(PageDataState)
    names, tracker._loaded_states = tracker._loaded_states, []
    if tracker.load_error:
        tracker.load_error = ""
    for name in names:
        try:
            page_state = rx.State.get_class_substate(name)
        except ValueError:
            continue  # a State renamed by a new release, remembered in a tab's stored state: nothing to clear
        (await tracker.get_state(page_state)).loaded = False


async def mark_loaded(state: PageData) -> None:
    """Ends a load: the page may show what it holds (a module function, so no browser can call it)."""
    state.loaded = True
    tracker = await state.get_state(PageDataState)
    name = state.get_full_name()  # not type(state): a background event holds a proxy of it
    if name not in tracker._loaded_states:
        tracker._loaded_states = [*tracker._loaded_states, name]


async def load_failed(state: rx.State, message: str) -> None:
    """Ends a load that could not be done: the page says so (with a way to try again) instead of waiting on."""
    (await state.get_state(PageDataState)).load_error = message
