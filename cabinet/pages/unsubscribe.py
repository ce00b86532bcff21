"""/unsubscribe/<token>: what the reminder letter's unsubscribe link turned off, in Russian."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.forms import auth_card
from cabinet.components.layout import page_shell
from cabinet.components.loading import when_loaded
from cabinet.state.unsubscribe import UnsubscribeState


def unsubscribe_page() -> rx.Component:
    result = rx.vstack(
        rx.cond(
            UnsubscribeState.status == "done",
            rx.callout(
                UnsubscribeState.message, icon="bell-off", color_scheme="grass", id="unsubscribe-done", width="100%"
            ),
            rx.callout(
                UnsubscribeState.message,
                icon="link-2-off",
                color_scheme="amber",
                id="unsubscribe-problem",
                width="100%",
            ),
        ),
        rx.link(texts.UNSUBSCRIBE["settings"], href="/settings", size="2", id="unsubscribe-settings-link"),
        spacing="3",
        width="100%",
    )
    return page_shell(
        auth_card(
            texts.UNSUBSCRIBE["title"],
            "",
            when_loaded(UnsubscribeState.loaded, result, id="unsubscribe-loading"),
            id="unsubscribe",
        )
    )
