"""The page shell: header with the product name and demo badge, content column, footer."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.hint import with_hint
from cabinet.config import get_settings


def demo_badge() -> rx.Component:
    if not get_settings().demo_mode:
        return rx.fragment()
    return with_hint(
        rx.badge(
            rx.icon("flask-conical", size=14),
            texts.DEMO_BADGE,
            color_scheme="amber",
            variant="soft",
            size="2",
            id="demo-badge",
            tab_index=0,
        ),
        texts.DEMO_BADGE_HINT,
    )


def header() -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.link(
                rx.hstack(
                    rx.image(src="/logo.svg", width="32px", height="32px", alt=""),
                    rx.text(texts.PRODUCT_NAME, size="5", weight="bold", color=rx.color("gray", 12)),
                    align="center",
                    spacing="2",
                ),
                href="/",
                underline="none",
                id="nav-home",
            ),
            rx.spacer(),
            demo_badge(),
            align="center",
            width="100%",
            max_width="1040px",
            margin_x="auto",
            padding_x="16px",
            height="60px",
        ),
        as_="header",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        background_color=rx.color("gray", 1),
        width="100%",
    )


def footer() -> rx.Component:
    settings = get_settings()
    links = [
        rx.text(
            texts.FOOTER["support"],
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
                size="2",
                id="footer-mailbox-link",
            )
        )
    return rx.box(
        rx.flex(
            *links,
            direction={"initial": "column", "sm": "row"},
            justify="between",
            gap="2",
            max_width="1040px",
            margin_x="auto",
            padding="16px",
        ),
        as_="footer",
        border_top=f"1px solid {rx.color('gray', 4)}",
        width="100%",
    )


def page_shell(*children: rx.Component) -> rx.Component:
    return rx.flex(
        header(),
        rx.box(
            *children,
            as_="main",
            width="100%",
            max_width="1040px",
            margin_x="auto",
            padding={"initial": "16px", "sm": "24px"},
            flex_grow="1",
        ),
        footer(),
        direction="column",
        min_height="100vh",
        background_color=rx.color("gray", 2),
    )
