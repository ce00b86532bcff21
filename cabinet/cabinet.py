"""The Reflex app: pages, background tasks, and the HTTP routes mounted beside them."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.api import api_transformers
from cabinet.background import outbox_loop, reconcile_loop, registry_uploads_loop, reminders_loop
from cabinet.components.guard import require_admin, require_login
from cabinet.config import get_settings
from cabinet.pages.admin.audit import admin_audit_page
from cabinet.pages.admin.overview import admin_overview_page
from cabinet.pages.admin.payments import admin_payments_page
from cabinet.pages.admin.providers import admin_providers_page
from cabinet.pages.admin.readings import admin_readings_page
from cabinet.pages.admin.registry import admin_registry_page
from cabinet.pages.admin.registry_format import admin_registry_format_page
from cabinet.pages.admin.residents import admin_residents_page
from cabinet.pages.admin.staff import admin_staff_page
from cabinet.pages.closed import closed_page
from cabinet.pages.connect import connect_page
from cabinet.pages.dashboard import home_page
from cabinet.pages.forgot import forgot_page
from cabinet.pages.history import history_page
from cabinet.pages.links import confirm_page, email_change_page, reset_page
from cabinet.pages.login import login_page
from cabinet.pages.not_found import not_found_page
from cabinet.pages.pay import pay_page
from cabinet.pages.pay_several import pay_several_page
from cabinet.pages.payment_status import payment_status_page
from cabinet.pages.policy import policy_page
from cabinet.pages.readings import readings_page
from cabinet.pages.receipt import receipt_page
from cabinet.pages.register import register_page
from cabinet.pages.settings import settings_page
from cabinet.pages.staff_invitation import staff_invitation_page
from cabinet.pages.support import support_page
from cabinet.pages.unsubscribe import unsubscribe_page
from cabinet.patches import keep_tabs_of_dead_workers
from cabinet.state.admin.audit import AdminAuditState
from cabinet.state.admin.overview import AdminOverviewState
from cabinet.state.admin.payments import AdminPaymentsState
from cabinet.state.admin.providers import AdminProvidersState
from cabinet.state.admin.readings import AdminReadingsState
from cabinet.state.admin.registry import AdminRegistryState
from cabinet.state.admin.registry_format import AdminRegistryFormatState
from cabinet.state.admin.residents import AdminResidentsState
from cabinet.state.admin.staff import AdminStaffState
from cabinet.state.connect import ConnectState
from cabinet.state.dashboard import DashboardState
from cabinet.state.forgot import ForgotState
from cabinet.state.history import HistoryState
from cabinet.state.links import ConfirmState, EmailChangeState, ResetState
from cabinet.state.login import LoginState
from cabinet.state.page_data import PageDataState
from cabinet.state.pay import PayState
from cabinet.state.pay_several import PAY_SEVERAL_PATH, PaySeveralState
from cabinet.state.payment_status import PaymentStatusState
from cabinet.state.readings import ReadingsState
from cabinet.state.receipt import ReceiptState
from cabinet.state.register import RegisterState
from cabinet.state.session import SessionState
from cabinet.state.settings import ON_LOAD as SETTINGS_ON_LOAD
from cabinet.state.staff_invitation import StaffInvitationState
from cabinet.state.start import StartState
from cabinet.state.unsubscribe import UnsubscribeState


def _title(page: str) -> str:
    return f"{page} — {texts.PRODUCT_NAME}"


def _add_public_pages(app: rx.App) -> None:
    """Pages anyone may open; each knows who is signed in but sends nobody away."""
    # Every page starts by forgetting what the previous one loaded (state/page_data.py).
    public = [SessionState.open_public_page]
    app.add_page(
        home_page,
        route="/",
        title=_title(texts.START["title"]),
        description=texts.PRODUCT_TAGLINE,
        on_load=[*public, StartState.load, DashboardState.load],
    )
    # The sign-in page checks the session itself: someone signed in goes straight on.
    app.add_page(
        login_page, route="/login", title=_title(texts.LOGIN["title"]), on_load=[PageDataState.leave, LoginState.load]
    )
    pages = [
        (register_page, "/register", texts.REGISTER["title"], []),
        (forgot_page, "/forgot", texts.FORGOT["title"], [ForgotState.load]),
        (confirm_page, "/confirm/[link_token]", texts.CONFIRM["title"], [ConfirmState.load]),
        (
            email_change_page,
            "/confirm-email/[link_token]",
            texts.EMAIL_CHANGE_CONFIRM["title"],
            [EmailChangeState.load],
        ),
        (reset_page, "/reset/[link_token]", texts.RESET["title"], [ResetState.load]),
        (
            staff_invitation_page,
            "/staff/invitation/[link_token]",
            texts.STAFF_INVITATION["title"],
            [StaffInvitationState.load],
        ),
        # A reminder's one-click link: works without signing in, turns one kind of reminder off.
        (unsubscribe_page, "/unsubscribe/[link_token]", texts.UNSUBSCRIBE["title"], [UnsubscribeState.load]),
        (policy_page, "/policy", texts.POLICY_TITLE, []),
        # «Зарегистрироваться снова» from here opens the form, not an old «Письмо отправлено» of this tab.
        (closed_page, "/closed", texts.CLOSED["title"], [RegisterState.start_over]),
        (support_page, "/support", texts.SUPPORT["title"], []),
        (not_found_page, "404", texts.NOT_FOUND["title"], []),
    ]
    for page, route, title, loads in pages:
        app.add_page(page, route=route, title=_title(title), on_load=[*public, *loads])


def _add_resident_pages(app: rx.App) -> None:
    """Pages of a signed-in resident; an anonymous visitor is sent to sign in and back."""
    pages = [
        (connect_page, "/accounts/connect", texts.CONNECT["title"], [ConnectState.load]),
        (settings_page, "/settings", texts.SETTINGS["title"], SETTINGS_ON_LOAD),
        (readings_page, "/accounts/[account_id]/readings", texts.READINGS["title"], [ReadingsState.load]),
        (pay_page, "/accounts/[account_id]/pay", texts.PAYMENTS["pay_title"], [PayState.load]),
        (pay_several_page, PAY_SEVERAL_PATH, texts.PAY_SEVERAL["title"], [PaySeveralState.load]),
        (history_page, "/payments", texts.PAYMENTS["history_title"], [HistoryState.load]),
        (payment_status_page, "/payments/[payment_id]", texts.PAYMENTS["pay_title"], [PaymentStatusState.load]),
        (receipt_page, "/payments/[payment_id]/receipt", texts.PAYMENTS["receipt_link"], [ReceiptState.load]),
    ]
    for page, route, title, loads in pages:
        app.add_page(
            require_login(page),
            route=route,
            title=_title(title),
            on_load=[SessionState.open_private_page, *loads],
        )


def _add_admin_pages(app: rx.App) -> None:
    """The operators' pages; anyone else gets «не найдено», as for a page that does not exist."""
    pages = [
        (admin_overview_page, "/admin", [AdminOverviewState.load, AdminOverviewState.load_reminders]),
        (admin_providers_page, "/admin/providers", [AdminProvidersState.load]),
        # One provider's form by its address; a foreign or missing id says «Не найдено.» alike.
        (
            admin_providers_page,
            "/admin/providers/[admin_provider]",
            [AdminProvidersState.load, AdminProvidersState.open_from_url],
        ),
        (admin_registry_page, "/admin/registry", [AdminRegistryState.load]),
        (admin_registry_format_page, "/admin/registry/format", [AdminRegistryFormatState.load]),
        (admin_residents_page, "/admin/residents", [AdminResidentsState.search]),
        (admin_payments_page, "/admin/payments", [AdminPaymentsState.load]),
        (
            admin_payments_page,
            "/admin/payments/[payment_id]",
            [AdminPaymentsState.load, AdminPaymentsState.open_from_url],
        ),
        (admin_readings_page, "/admin/readings", [AdminReadingsState.load]),
        (admin_audit_page, "/admin/audit", [AdminAuditState.open_page]),
        (admin_staff_page, "/admin/staff", [AdminStaffState.load]),
    ]
    for page, route, loads in pages:
        app.add_page(
            require_admin(page),
            route=route,
            title=_title(texts.ADMIN["title"]),
            on_load=[SessionState.open_admin_page, *loads],
        )


def create_app() -> rx.App:
    settings = get_settings()
    keep_tabs_of_dead_workers()
    app = rx.App(
        html_lang="ru",
        api_transformer=api_transformers(settings),
        head_components=[rx.el.link(rel="icon", href="/logo.svg", type="image/svg+xml")],
        stylesheets=["/accessibility.css"],
        style={"font_family": "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"},
    )
    for loop in (outbox_loop, reconcile_loop, reminders_loop, registry_uploads_loop):
        app.register_lifespan_task(loop)
    _add_public_pages(app)
    _add_resident_pages(app)
    _add_admin_pages(app)
    return app


app = create_app()
