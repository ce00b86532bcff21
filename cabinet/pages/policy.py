"""/policy: the consent to personal-data processing (152-ФЗ) the sign-up form links to."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.layout import page_shell
from cabinet.config import get_settings


def policy_page() -> rx.Component:
    support = get_settings().support_email
    return page_shell(
        rx.card(
            rx.vstack(
                rx.heading(texts.POLICY_TITLE, size="6", as_="h1", id="policy-title"),
                *[rx.text(paragraph, size="3") for paragraph in texts.POLICY_PARAGRAPHS],
                rx.text(
                    texts.POLICY_CONTACT.split("{support}")[0],
                    rx.link(support, href=f"mailto:{support}"),
                    texts.POLICY_CONTACT.split("{support}")[1],
                    size="3",
                ),
                spacing="3",
                max_width="760px",
            ),
            size="3",
        )
    )
