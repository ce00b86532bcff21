"""The Reflex app: pages, background tasks, and the HTTP routes mounted beside them."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.api import api_transformers
from cabinet.background import outbox_loop, reconcile_loop, registry_uploads_loop
from cabinet.components.guard import require_admin, require_login
from cabinet.config import get_settings
from cabinet.pages.admin.audit import admin_audit_page
from cabinet.pages.admin.overview import admin_overview_page
from cabinet.pages.admin.payments import admin_payments_page
from cabinet.pages.admin.providers import admin_providers_page
from cabinet.pages.admin.readings import admin_readings_page
from cabinet.pages.admin.registry import admin_registry_page
from cabinet.pages.admin.residents import admin_residents_page
from cabinet.pages.connect import connect_page
from cabinet.pages.dashboard import home_page
from cabinet.pages.forgot import forgot_page
from cabinet.pages.history import history_page
from cabinet.pages.links import confirm_page, email_change_page, reset_page
from cabinet.pages.login import login_page
from cabinet.pages.not_found import not_found_page
from cabinet.pages.pay import pay_page
from cabinet.pages.payment_status import payment_status_page
from cabinet.pages.policy import policy_page
from cabinet.pages.readings import readings_page
from cabinet.pages.receipt import receipt_page
from cabinet.pages.register import register_page
from cabinet.pages.settings import settings_page
from cabinet.pages.support import support_page
from cabinet.patches import keep_tabs_of_dead_workers
from cabinet.state.admin.audit import AdminAuditState
from cabinet.state.admin.overview import AdminOverviewState
from cabinet.state.admin.payments import AdminPaymentsState
from cabinet.state.admin.providers import AdminProvidersState
from cabinet.state.admin.readings import AdminReadingsState
from cabinet.state.admin.registry import AdminRegistryState
from cabinet.state.admin.residents import AdminResidentsState
from cabinet.state.connect import ConnectState
from cabinet.state.dashboard import DashboardState
from cabinet.state.forgot import ForgotState
from cabinet.state.history import HistoryState
from cabinet.state.links import ConfirmState, EmailChangeState, ResetState
from cabinet.state.login import LoginState
from cabinet.state.pay import PayState
from cabinet.state.payment_status import PaymentStatusState
from cabinet.state.readings import ReadingsState
from cabinet.state.receipt import ReceiptState
from cabinet.state.session import SessionState
from cabinet.state.settings import ON_LOAD as SETTINGS_ON_LOAD
from cabinet.state.start import StartState


def _title(page: str) -> str:
    return f"{page} — {texts.PRODUCT_NAME}"


def create_app() -> rx.App:
    settings = get_settings()
    keep_tabs_of_dead_workers()
    app = rx.App(
        html_lang="ru",
        api_transformer=api_transformers(settings),
        head_components=[rx.el.link(rel="icon", href="/logo.svg", type="image/svg+xml")],
        style={"font_family": "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"},
    )
    app.register_lifespan_task(outbox_loop)
    app.register_lifespan_task(reconcile_loop)
    app.register_lifespan_task(registry_uploads_loop)

    public = [SessionState.refresh]
    private = [SessionState.check_session]
    app.add_page(
        home_page,
        route="/",
        title=_title(texts.START["title"]),
        description=texts.PRODUCT_TAGLINE,
        on_load=[*public, StartState.load, DashboardState.load],
    )
    app.add_page(register_page, route="/register", title=_title(texts.REGISTER["title"]), on_load=public)
    app.add_page(login_page, route="/login", title=_title(texts.LOGIN["title"]), on_load=LoginState.load)
    app.add_page(forgot_page, route="/forgot", title=_title(texts.FORGOT["title"]), on_load=[*public, ForgotState.load])
    app.add_page(
        confirm_page,
        route="/confirm/[link_token]",
        title=_title(texts.CONFIRM["title"]),
        on_load=[*public, ConfirmState.load],
    )
    app.add_page(
        email_change_page,
        route="/confirm-email/[link_token]",
        title=_title(texts.EMAIL_CHANGE_CONFIRM["title"]),
        on_load=[*public, EmailChangeState.load],
    )
    app.add_page(
        reset_page, route="/reset/[link_token]", title=_title(texts.RESET["title"]), on_load=[*public, ResetState.load]
    )
    app.add_page(policy_page, route="/policy", title=_title(texts.POLICY_TITLE), on_load=public)
    app.add_page(support_page, route="/support", title=_title(texts.SUPPORT["title"]), on_load=public)
    app.add_page(
        require_login(connect_page),
        route="/accounts/connect",
        title=_title(texts.CONNECT["title"]),
        on_load=[*private, ConnectState.load],
    )
    app.add_page(
        require_login(settings_page),
        route="/settings",
        title=_title(texts.SETTINGS["title"]),
        on_load=[*private, *SETTINGS_ON_LOAD],
    )
    app.add_page(
        require_login(readings_page),
        route="/accounts/[account_id]/readings",
        title=_title(texts.READINGS["title"]),
        on_load=[*private, ReadingsState.load],
    )
    app.add_page(
        require_login(pay_page),
        route="/accounts/[account_id]/pay",
        title=_title(texts.PAYMENTS["pay_title"]),
        on_load=[*private, PayState.load, ReadingsState.load],
    )
    app.add_page(
        require_login(history_page),
        route="/payments",
        title=_title(texts.PAYMENTS["history_title"]),
        on_load=[*private, HistoryState.load],
    )
    app.add_page(
        require_login(payment_status_page),
        route="/payments/[payment_id]",
        title=_title(texts.PAYMENTS["pay_title"]),
        on_load=[*private, PaymentStatusState.load],
    )
    app.add_page(
        require_login(receipt_page),
        route="/payments/[payment_id]/receipt",
        title=_title(texts.PAYMENTS["receipt_link"]),
        on_load=[*private, ReceiptState.load],
    )
    admin_pages = [
        (admin_overview_page, "/admin", AdminOverviewState.load),
        (admin_providers_page, "/admin/providers", AdminProvidersState.load),
        (admin_registry_page, "/admin/registry", AdminRegistryState.load),
        (admin_residents_page, "/admin/residents", AdminResidentsState.search),
        (admin_payments_page, "/admin/payments", AdminPaymentsState.load),
        (admin_readings_page, "/admin/readings", AdminReadingsState.load),
        (admin_audit_page, "/admin/audit", AdminAuditState.load),
    ]
    for page, route, load in admin_pages:
        app.add_page(
            require_admin(page),
            route=route,
            title=_title(texts.ADMIN["title"]),
            on_load=[SessionState.check_admin, load],
        )
    app.add_page(not_found_page, route="404", title=_title(texts.NOT_FOUND["title"]), on_load=public)
    return app


app = create_app()
