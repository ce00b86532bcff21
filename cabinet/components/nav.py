"""The header's navigation: words inline from 768 px up, one «Меню» button with the same words below.

The instruction sends residents to «Настройки» by name, so a phone must show the word, not only an icon.
"""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from cabinet import texts
from cabinet.components.hint import with_hint
from cabinet.state.session import SessionState

# Radix's md breakpoint: from here the header has room for every word in one row.
_WIDE = rx.breakpoints(initial="none", md="flex")
_NARROW = rx.breakpoints(initial="block", md="none")


@dataclass(frozen=True)
class _Item:
    key: str  # the ids: nav-<key> inline, nav-menu-<key> in the phone's menu
    icon: str
    label: str
    hint: str
    href: str = ""


def _items() -> list[_Item]:
    return [
        _Item("payments", "receipt-text", texts.PAYMENTS["nav"], texts.PAYMENTS["nav_hint"], "/payments"),
        _Item("settings", "settings", texts.NAV["settings"], texts.NAV["settings_hint"], "/settings"),
        _Item("sign-out", "log-out", texts.NAV["sign_out"], texts.NAV["sign_out_hint"]),
    ]


_ADMIN = _Item("admin", "shield", texts.ADMIN["title"], texts.ADMIN["nav_hint"], "/admin")


def _inline_item(item: _Item) -> rx.Component:
    """A button of the wide header; its hint only adds to the word beside the icon."""
    content = (rx.icon(item.icon, size=16), rx.text(item.label))
    if item.href:
        # A flex link: an inline one would sit on the text's baseline, a step above «Выйти».
        # The page's code is fetched as soon as the link is pointed at, focused or touched (React Router's
        # prefetch), not after the click.
        button = rx.link(
            rx.button(*content, variant="ghost", size="2"),
            href=item.href,
            id=f"nav-{item.key}",
            display="flex",
            custom_attrs={"prefetch": "intent"},
        )
    else:
        button = rx.button(*content, variant="ghost", size="2", on_click=SessionState.sign_out, id=f"nav-{item.key}")
    return with_hint(button, item.hint)


def _menu_item(item: _Item) -> rx.Component:
    content = rx.hstack(rx.icon(item.icon, size=16), rx.text(item.label), spacing="2", align="center")
    # rx.redirect runs in the browser: choosing an item needs no trip to the server.
    action = rx.redirect(item.href) if item.href else SessionState.sign_out
    return rx.menu.item(content, on_select=action, id=f"nav-menu-{item.key}")


def _phone_menu() -> rx.Component:
    """Radix's dropdown: opens by a tap, Enter or Space; closes by Escape, a tap outside or a choice."""
    return rx.box(
        rx.menu.root(
            rx.menu.trigger(
                rx.button(rx.icon("menu", size=16), texts.NAV["menu"], variant="soft", size="2", id="nav-menu"),
            ),
            rx.menu.content(
                rx.cond(SessionState.is_staff, _menu_item(_ADMIN)),
                *[_menu_item(item) for item in _items()],
                align="end",
                id="nav-menu-list",
            ),
            modal=False,
        ),
        display=_NARROW,
    )


def _signed_in() -> rx.Component:
    return rx.fragment(
        rx.hstack(
            rx.cond(SessionState.is_staff, _inline_item(_ADMIN)),
            *[_inline_item(item) for item in _items()],
            spacing="2",
            align="center",
            display=_WIDE,
        ),
        _phone_menu(),
    )


def _anonymous() -> rx.Component:
    return rx.hstack(
        rx.link(rx.button(texts.NAV["sign_in"], variant="soft", size="2"), href="/login", id="nav-login"),
        rx.box(
            rx.link(rx.button(texts.NAV["register"], size="2"), href="/register", id="nav-register"),
            display=rx.breakpoints(initial="none", sm="block"),
        ),
        spacing="2",
        align="center",
    )


def nav() -> rx.Component:
    return rx.cond(SessionState.signed_in, _signed_in(), _anonymous())
