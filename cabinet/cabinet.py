"""The Reflex app: pages, background tasks, and the HTTP routes mounted beside them."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.api import build_api
from cabinet.background import outbox_loop
from cabinet.config import get_settings
from cabinet.pages.connect import connect_page
from cabinet.pages.forgot import forgot_page
from cabinet.pages.links import confirm_page, email_change_page, reset_page
from cabinet.pages.login import login_page
from cabinet.pages.not_found import not_found_page
from cabinet.pages.policy import policy_page
from cabinet.pages.register import register_page
from cabinet.pages.settings import settings_page
from cabinet.pages.start import start_page
from cabinet.state.connect import ConnectState
from cabinet.state.forgot import ForgotState
from cabinet.state.links import ConfirmState, EmailChangeState, ResetState
from cabinet.state.login import LoginState
from cabinet.state.session import SessionState
from cabinet.state.settings import SettingsState
from cabinet.state.start import StartState


def _title(page: str) -> str:
    return f"{page} — {texts.PRODUCT_NAME}"


def create_app() -> rx.App:
    settings = get_settings()
    app = rx.App(
        html_lang="ru",
        api_transformer=build_api(settings),
        head_components=[rx.el.link(rel="icon", href="/logo.svg", type="image/svg+xml")],
        style={"font_family": "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"},
    )
    app.register_lifespan_task(outbox_loop)

    public = [SessionState.refresh]
    private = [SessionState.check_session]
    app.add_page(start_page, route="/", title=_title(texts.START["title"]), description=texts.PRODUCT_TAGLINE,
                 on_load=[*public, StartState.load])
    app.add_page(register_page, route="/register", title=_title(texts.REGISTER["title"]), on_load=public)
    app.add_page(login_page, route="/login", title=_title(texts.LOGIN["title"]), on_load=LoginState.load)
    app.add_page(forgot_page, route="/forgot", title=_title(texts.FORGOT["title"]), on_load=[*public, ForgotState.load])
    app.add_page(confirm_page, route="/confirm/[link_token]", title=_title(texts.CONFIRM["title"]),
                 on_load=[*public, ConfirmState.load])
    app.add_page(email_change_page, route="/confirm-email/[link_token]",
                 title=_title(texts.EMAIL_CHANGE_CONFIRM["title"]), on_load=[*public, EmailChangeState.load])
    app.add_page(reset_page, route="/reset/[link_token]", title=_title(texts.RESET["title"]),
                 on_load=[*public, ResetState.load])
    app.add_page(policy_page, route="/policy", title=_title(texts.POLICY_TITLE), on_load=public)
    app.add_page(connect_page, route="/accounts/connect", title=_title(texts.CONNECT["title"]),
                 on_load=[*private, ConnectState.load])
    app.add_page(settings_page, route="/settings", title=_title(texts.SETTINGS["title"]),
                 on_load=[*private, SettingsState.load])
    app.add_page(not_found_page, route="404", title=_title(texts.NOT_FOUND["title"]), on_load=public)
    return app


app = create_app()
