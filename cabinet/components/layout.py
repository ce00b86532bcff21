"""The page shell: header with the product name and demo badge, content column, footer."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.hint import tap_hint
from cabinet.components.nav import nav
from cabinet.components.questions import ask_question_button
from cabinet.config import get_settings


def demo_badge() -> rx.Component:
    """«Демо-режим»: a phone shows only the flask, so what it means opens on a tap as well as on hover."""
    if not get_settings().demo_mode:
        return rx.fragment()
    return tap_hint(
        rx.el.button(
            rx.badge(
                rx.icon("flask-conical", size=14),
                rx.text(texts.DEMO_BADGE, display=rx.breakpoints(initial="none", sm="inline")),
                color_scheme="amber",
                variant="soft",
                size="2",
            ),
            type="button",
            id="demo-badge",
            aria_label=texts.DEMO_BADGE,
            # The badge is the button's face; the reset leaves only the focus ring to show it is focusable.
            background="none",
            border="none",
            padding="0",
            border_radius="6px",
            cursor="pointer",
            _focus_visible={"outline": f"2px solid {rx.color('accent', 8)}", "outline_offset": "2px"},
        ),
        texts.DEMO_BADGE_HINT,
        text_id="demo-badge-text",
    )


def header() -> rx.Component:
    return rx.el.header(
        rx.flex(
            rx.link(
                rx.hstack(
                    rx.image(src="/logo.svg", width="32px", height="32px", alt="", flex_shrink="0"),
                    rx.text(texts.PRODUCT_NAME, size="5", weight="bold", color=rx.color("gray", 12)),
                    align="center",
                    spacing="2",
                ),
                href="/",
                underline="none",
                id="nav-home",
                # The dashboard's code comes with every page (the sign-in page's first of all): after signing
                # in, only the data is waited for.
                custom_attrs={"prefetch": "render"},
                margin_right="auto",
            ),
            demo_badge(),
            nav(),
            # Large text wraps the row instead of pushing the menu off the screen.
            wrap="wrap",
            align="center",
            gap="8px 12px",
            width="100%",
            max_width="1040px",
            margin_x="auto",
            padding="10px 16px",
            min_height="60px",
            box_sizing="border-box",
        ),
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        background_color=rx.color("gray", 1),
        width="100%",
    )


def footer() -> rx.Component:
    settings = get_settings()
    links = [
        ask_question_button(),
        rx.text(
            rx.link(texts.FOOTER["support"], href="/support", id="footer-support-page"),
            ": ",
            rx.link(settings.support_email, href=f"mailto:{settings.support_email}", id="footer-support-link"),
            size="2",
            color=rx.color("gray", 11),
        ),
    ]
    if settings.mail_sandbox:
        links.append(
            rx.link(
                rx.hstack(rx.icon("inbox", size=14), texts.FOOTER["mailbox"], spacing="1", align="center"),
                href="/dev/mailbox",
                # Served by the backend, not a page of the app: a new tab, not the app's router.
                is_external=True,
                size="2",
                id="footer-mailbox-link",
            )
        )
    return rx.box(
        rx.flex(
            *links,
            direction={"initial": "column", "sm": "row"},
            justify="between",
            align={"initial": "start", "sm": "center"},
            spacing="3",
            max_width="1040px",
            margin_x="auto",
            padding="16px",
            box_sizing="border-box",
        ),
        border_top=f"1px solid {rx.color('gray', 4)}",
        width="100%",
    )


def page_shell(*children: rx.Component) -> rx.Component:
    """Header, the page's content and footer.

    `data-hydrated` (on an empty element of its own: on the shell, each change of it drew the whole page
    again) turns true once the page's state has arrived from the server; browser tests wait for it so
    that what they type is not overwritten by the state restored on load.
    """
    return rx.flex(
        rx.el.span(custom_attrs={"data-hydrated": rx.State.is_hydrated.to_string()}, display="none"),
        # The landmarks a screen reader jumps between: one banner (header() is the <header>), one main,
        # one contentinfo.
        header(),
        rx.el.main(
            *children,
            width="100%",
            max_width="1040px",
            margin_x="auto",
            padding=rx.breakpoints(initial="16px", sm="24px"),
            flex_grow="1",
            box_sizing="border-box",
        ),
        rx.el.footer(footer(), width="100%"),
        direction="column",
        min_height="100vh",
        background_color=rx.color("gray", 2),
    )
