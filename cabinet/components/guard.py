"""Page guards: private pages render only for a signed-in resident, admin pages only for admins.

The server checks again in every event handler; this only decides what the browser shows.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from cabinet.components.layout import page_shell
from cabinet.state.session import SessionState


def _waiting(on_mount) -> rx.Component:
    # Shown until the session is checked, and when another tab signs out: the check redirects.
    return page_shell(rx.center(rx.spinner(size="3"), padding_y="96px", on_mount=on_mount, id="guard-waiting"))


def require_login(page: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
    def guarded() -> rx.Component:
        return rx.cond(SessionState.signed_in, page(), _waiting(SessionState.check_session))

    guarded.__name__ = page.__name__
    return guarded


def require_admin(page: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
    def guarded() -> rx.Component:
        return rx.cond(SessionState.signed_in & SessionState.is_staff, page(), _waiting(SessionState.check_admin))

    guarded.__name__ = page.__name__
    return guarded
