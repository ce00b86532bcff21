"""The page shell: header with the product name and demo badge, content column, footer."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.components.hint import with_hint
from cabinet.components.questions import ask_question_button
from cabinet.config import get_settings
from cabinet.state.session import SessionState


def demo_badge() -> rx.Component:
    if not get_settings().demo_mode:
        return rx.fragment()
    return with_hint(
        rx.badge(
            rx.icon("flask-conical", size=14),
            rx.text(texts.DEMO_BADGE, display=rx.breakpoints(initial="none", sm="inline")),
            color_scheme="amber",
            variant="soft",
            size="2",
            id="demo-badge",
            aria_label=texts.DEMO_BADGE,
            tab_index=0,
        ),
        texts.DEMO_BADGE_HINT,
    )


def _nav_item(icon: str, label: str, hint: str, *, id: str, href: str = "", on_click=None) -> rx.Component:
    """An icon button of the header, its word shown from the small breakpoint up, with a hint."""
    button = rx.button(
        rx.icon(icon, size=16),
        rx.text(label, display=rx.breakpoints(initial="none", sm="inline")),
        variant="ghost",
        size="2",
        aria_label=label,
        **({"on_click": on_click, "id": id} if on_click is not None else {}),
    )
    return with_hint(rx.link(button, href=href, id=id) if href else button, hint)


def _nav() -> rx.Component:
    signed_in = rx.hstack(
        rx.cond(
            SessionState.is_admin,
            _nav_item("shield", texts.ADMIN["title"], texts.ADMIN["nav_hint"], href="/admin", id="nav-admin"),
        ),
        _nav_item(
            "receipt-text", texts.PAYMENTS["nav"], texts.PAYMENTS["nav_hint"], href="/payments", id="nav-payments"
        ),
        _nav_item("settings", texts.NAV["settings"], texts.NAV["settings_hint"], href="/settings", id="nav-settings"),
        _nav_item(
            "log-out",
            texts.NAV["sign_out"],
            texts.NAV["sign_out_hint"],
            on_click=SessionState.sign_out,
            id="nav-sign-out",
        ),
        spacing="2",
        align="center",
    )
    anonymous = rx.hstack(
        rx.link(rx.button(texts.NAV["sign_in"], variant="soft", size="2"), href="/login", id="nav-login"),
        rx.box(
            rx.link(rx.button(texts.NAV["register"], size="2"), href="/register", id="nav-register"),
            display=rx.breakpoints(initial="none", sm="block"),
        ),
        spacing="2",
        align="center",
    )
    return rx.cond(SessionState.signed_in, signed_in, anonymous)


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
            _nav(),
            align="center",
            spacing="3",
            width="100%",
            max_width="1040px",
            margin_x="auto",
            padding_x="16px",
            height="60px",
            box_sizing="border-box",
        ),
        as_="header",
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

    `data-hydrated` turns true once the page's state has arrived from the server; browser tests
    wait for it so that what they type is not overwritten by the state restored on load.
    """
    return rx.flex(
        # The landmarks a screen reader jumps between: one banner, one main, one contentinfo.
        rx.el.header(header(), width="100%"),
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
        custom_attrs={"data-hydrated": rx.State.is_hydrated.to_string()},
    )
