"""Pieces the payment pages share: the status badge, a detail line, the loading and not-found states."""

from __future__ import annotations

import reflex as rx

from cabinet import texts


def not_found(id: str) -> rx.Component:
    return rx.callout(texts.error_text("not_found"), icon="search-x", color_scheme="gray", id=id)


def status_badge(status: rx.Var[str], label: rx.Var[str], color: rx.Var[str], *, id: str | rx.Var[str]) -> rx.Component:
    """The status in words and colour; `data-state` carries its code for tests and styles."""
    return rx.badge(label, color_scheme=color, size="2", id=id, data_state=status)


def detail(label: str, value: rx.Var[str], *, id: str) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label), rx.data_list.value(rx.text(value, id=id)))
