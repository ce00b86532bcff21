"""The Reflex app: pages, background tasks, and the HTTP routes mounted beside them."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.api import build_api
from cabinet.config import get_settings
from cabinet.pages.not_found import not_found_page
from cabinet.pages.start import start_page
from cabinet.state.start import StartState


def create_app() -> rx.App:
    settings = get_settings()
    app = rx.App(
        html_lang="ru",
        api_transformer=build_api(settings),
        head_components=[rx.el.link(rel="icon", href="/logo.svg", type="image/svg+xml")],
        style={"font_family": "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"},
    )
    app.add_page(
        start_page,
        route="/",
        title=f"{texts.PRODUCT_NAME} — {texts.START['title']}",
        description=texts.PRODUCT_TAGLINE,
        on_load=StartState.load,
    )
    app.add_page(not_found_page, route="404", title=f"{texts.NOT_FOUND['title']} — {texts.PRODUCT_NAME}")
    return app


app = create_app()
