"""States of the admin page. Every event asks the server who is acting; the services check the role."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from cabinet import texts
from cabinet.db import session_scope
from cabinet.models import PaymentStatus
from cabinet.clock import utc_now
from cabinet.services import admin, registry_uploads
from cabinet.services.calendar import local_date
from cabinet.errors import DomainError
from cabinet.services.ids import parse_id
from cabinet.services.periods import period_bounds
from cabinet.money import format_rubles
from cabinet.state.display import Choice, notification_outcome
from cabinet.state.local_time import format_local_time
from cabinet.state.session import SessionState, current_user_id

NOT_FOUND_ROUTE = "/404"


async def acting_admin(state: rx.State) -> int:
    """The signed-in admin's id, checked against the database now; 0 for anyone else."""
    session_state = await state.get_state(SessionState)
    user_id = await current_user_id(state)
    return user_id if user_id and session_state.is_admin else 0


def _call(function, *args, **kwargs):
    """A service call in its own transaction (run in a worker thread)."""
    with session_scope() as session:
        return function(session, *args, **kwargs)


@dataclasses.dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str


# --- overview ---------------------------------------------------------------------------------------------


class AdminOverviewState(rx.State):
    figures: list[Figure] = []

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_admin(self)
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        summary = await asyncio.to_thread(_call, lambda s: admin.overview(s, actor_id=actor, now=utc_now()))
        labels = texts.ADMIN["overview_figures"]
        figures = [
            Figure("residents", labels["residents"], str(summary.residents)),
            Figure("linked", labels["linked"], str(summary.linked_accounts)),
            Figure("today", labels["today"], f"{summary.payments_today} · {format_rubles(summary.paid_today_kopecks)}"),
            Figure("month", labels["month"], f"{summary.payments_month} · {format_rubles(summary.paid_month_kopecks)}"),
            Figure("readings", labels["readings"], str(summary.readings_this_month)),
            Figure("outbox", labels["outbox"], f"{summary.outbox_queued} / {summary.outbox_failed}"),
        ]
        async with self:
            self.figures = figures


# --- providers ------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ProviderRow:
    id: int
    name: str
    inn: str
    format: str
    accounts: int
    active: bool


_TEXT_FIELDS = [field.name for field in dataclasses.fields(admin.ProviderForm)
                if field.type in ("str", str)]


class AdminProvidersState(rx.State):
    rows: list[ProviderRow] = []
    # The form: "" for a new provider, or the id being edited.
    editing: str = ""
    form_open: bool = False
    fields: dict[str, str] = {}
    allow_zero: bool = True
    allow_rollover: bool = True
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False

    @rx.var
    def pattern_check(self) -> str:
        """The pattern tested against the example as the operator types."""
        try:
            admin.check_pattern(self.fields.get("account_pattern", ""), self.fields.get("account_example", ""),
                                self.fields.get("account_checksum", "none"))
        except DomainError as error:
            return texts.error_text(error.code)
        return texts.ADMIN["pattern_ok"] if self.fields.get("account_example") else ""

    @rx.var
    def pattern_ok(self) -> bool:
        return self.pattern_check == texts.ADMIN["pattern_ok"]

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_admin(self)
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        rows = await asyncio.to_thread(_call, lambda s: [
            ProviderRow(p.id or 0, p.name, p.inn, p.account_format_description, count, p.is_active)
            for p, count in admin.list_providers(s, actor_id=actor)])
        async with self:
            self.rows = rows

    def _fill(self, form: admin.ProviderForm) -> None:
        self.fields = {name: str(getattr(form, name)) for name in _TEXT_FIELDS}
        self.allow_zero, self.allow_rollover = form.allow_zero_consumption, form.allow_rollover
        self.errors, self.notice = {}, ""
        self.form_open = True

    @rx.event
    def new_provider(self) -> None:
        self.editing = ""
        self._fill(admin.ProviderForm())

    @rx.event(background=True)
    async def edit_provider(self, provider_id: int):
        async with self:
            actor = await acting_admin(self)
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        # From the browser: anything not an id is looked up as 0, which is «not found».
        provider_id = parse_id(provider_id) or 0
        try:
            form = await asyncio.to_thread(_call, lambda s: admin.provider_form(
                admin.get_provider_for_admin(s, actor_id=actor, provider_id=provider_id)))
        except DomainError as error:
            async with self:
                self.errors, self.notice = {"form": texts.error_text(error.code, **error.params)}, ""
            return
        async with self:
            self.editing = str(provider_id)
            self._fill(form)

    @rx.event
    def close_form(self) -> None:
        self.form_open = False

    @rx.event
    def set_field(self, name: str, value: str) -> None:
        # The picture's address comes only from upload_receipt; no input on the page types one.
        if name in _TEXT_FIELDS and name != "receipt_image":
            self.fields = {**self.fields, name: value[:1000]}
            self.errors = {key: message for key, message in self.errors.items() if key != name}

    @rx.event
    def set_allow_zero(self, value: bool) -> None:
        self.allow_zero = bool(value)

    @rx.event
    def set_allow_rollover(self, value: bool) -> None:
        self.allow_rollover = bool(value)

    @rx.event(background=True)
    async def save(self):
        async with self:
            actor = await acting_admin(self)
            if not actor:
                return rx.redirect(NOT_FOUND_ROUTE, replace=True)
            form = admin.ProviderForm(**{name: self.fields.get(name, "") for name in _TEXT_FIELDS},
                                      allow_zero_consumption=self.allow_zero, allow_rollover=self.allow_rollover)
            provider_id = int(self.editing) if self.editing else None
            self.busy = True
        try:
            name = await asyncio.to_thread(_call, lambda s: admin.save_provider(
                s, actor_id=actor, provider_id=provider_id, form=form, now=utc_now()).name)
        except admin.ProviderInvalid as invalid:
            async with self:
                self.busy = False
                self.errors = {field: texts.error_text(error.code, **error.params)
                               for field, error in invalid.errors.items()}
            return
        except DomainError as error:
            async with self:
                self.busy = False
                self.errors = {"form": texts.error_text(error.code, **error.params)}
            return
        async with self:
            self.busy = False
            self.form_open = False
            self.notice = texts.ADMIN["provider_saved"].format(name=name)
        return AdminProvidersState.load

    @rx.event(background=True)
    async def toggle_active(self, provider_id: int, active: bool):
        async with self:
            actor = await acting_admin(self)
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        try:
            await asyncio.to_thread(_call, lambda s: admin.set_provider_active(
                s, actor_id=actor, provider_id=parse_id(provider_id) or 0, active=bool(active), now=utc_now()))
        except DomainError as error:
            async with self:
                self.errors, self.notice = {"form": texts.error_text(error.code, **error.params)}, ""
            return
        return AdminProvidersState.load

    @rx.event
    async def upload_receipt(self, files: list[rx.UploadFile]):
        # Upload handlers cannot run in the background; storing one small picture is quick.
        actor = await acting_admin(self)
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        if not files:
            self.errors = {**self.errors, "receipt_image": texts.error_text("upload_required")}
            return
        # Read one byte past the limit: enough to know it is too big without holding more.
        data = await files[0].read(admin.MAX_IMAGE_BYTES + 1)
        try:
            url = await asyncio.to_thread(_call, lambda s: admin.store_image(s, actor_id=actor, data=data, now=utc_now()))
        except DomainError as error:
            self.errors = {**self.errors, "receipt_image": texts.error_text(error.code, **error.params)}
            return
        self.fields = {**self.fields, "receipt_image": url}
        self.errors = {key: value for key, value in self.errors.items() if key != "receipt_image"}


# --- residents ------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ResidentRow:
    id: int
    email: str
    name: str
    state: str
    created: str


@dataclasses.dataclass(frozen=True)
class Line:
    """One line of a detail list: two texts."""

    primary: str
    secondary: str


class AdminResidentsState(rx.State):
    query: str = ""
    rows: list[ResidentRow] = []
    selected: int = 0
    detail_title: str = ""
    detail_state: str = ""
    detail_blocked: bool = False
    detail_confirmed: bool = True
    detail_sessions: str = ""
    detail_links: list[Line] = []
    detail_payments: list[Line] = []
    detail_sign_ins: list[Line] = []
    notice: str = ""
    error: str = ""

    @rx.event
    def set_query(self, value: str) -> None:
        self.query = value[:100]

    @rx.event(background=True)
    async def search(self):
        async with self:
            actor = await acting_admin(self)
            query = self.query
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        rows = await asyncio.to_thread(_call, lambda s: [
            ResidentRow(u.id or 0, u.email, u.full_name, _user_state(u), format_local_time(u.created_at))
            for u in admin.search_residents(s, actor_id=actor, query=query)])
        async with self:
            self.rows = rows

    @rx.event(background=True)
    async def open_resident(self, user_id: int):
        async with self:
            actor = await acting_admin(self)
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        await self._show(actor, parse_id(user_id) or 0)

    async def _show(self, actor: int, user_id: int) -> None:
        def build(session):
            detail = admin.resident_detail(session, actor_id=actor, user_id=user_id, now=utc_now())
            user = detail.user
            return dict(
                detail_title=user.email + (f" · {user.full_name}" if user.full_name else ""),
                detail_state=_user_state(user),
                detail_blocked=user.is_blocked,
                detail_confirmed=user.confirmed_at is not None,
                detail_sessions=texts.ADMIN["sessions_active"].format(count=detail.sessions_active),
                detail_links=[Line(f"{provider.name} · {account.number}", account.address)
                              for _link, account, provider in detail.links],
                detail_payments=[Line(f"{format_rubles(p.amount_kopecks)} · {texts.PAYMENTS['statuses'][p.status.value]}",
                                      format_local_time(p.created_at)) for p in detail.payments],
                detail_sign_ins=[Line(texts.ADMIN["sign_in_actions"].get(e.action, e.action),
                                      f"{format_local_time(e.created_at)} · {e.client_address}")
                                 for e in detail.sign_ins],
            )

        try:
            values = await asyncio.to_thread(_call, build)
        except DomainError as error:
            async with self:
                self.notice, self.error = "", texts.error_text(error.code, **error.params)
            return
        async with self:
            self.selected = user_id
            for key, value in values.items():
                setattr(self, key, value)
            self.notice = self.error = ""

    @rx.event
    def close_resident(self) -> None:
        self.selected = 0

    @rx.event(background=True)
    async def set_blocked(self, blocked: bool):
        async with self:
            actor = await acting_admin(self)
            user_id = self.selected
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        try:
            await asyncio.to_thread(_call, lambda s: admin.set_blocked(
                s, actor_id=actor, user_id=user_id, blocked=bool(blocked), now=utc_now()))
        except DomainError as error:
            async with self:
                self.error = texts.error_text(error.code, **error.params)
            return
        await self._show(actor, user_id)
        async with self:
            self.notice = texts.ADMIN["blocked" if blocked else "unblocked"]
        return AdminResidentsState.search

    @rx.event(background=True)
    async def resend_confirmation(self):
        async with self:
            actor = await acting_admin(self)
            user_id = self.selected
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        try:
            await asyncio.to_thread(_call, lambda s: admin.resend_confirmation_for(
                s, actor_id=actor, user_id=user_id, now=utc_now()))
        except DomainError as error:
            async with self:
                self.error = texts.error_text(error.code, **error.params)
            return
        async with self:
            self.notice = texts.ADMIN["confirmation_resent"]


def _user_state(user) -> str:
    if user.is_blocked:
        return texts.ADMIN["user_states"]["blocked"]
    if user.confirmed_at is None:
        return texts.ADMIN["user_states"]["unconfirmed"]
    return texts.ADMIN["user_states"]["admin" if user.role.value == "admin" else "active"]


# --- payments -------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AdminPaymentRow:
    id: int
    created: str
    provider: str
    account: str
    payer: str
    amount: str
    status: str
    status_label: str


class AdminPaymentsState(rx.State):
    rows: list[AdminPaymentRow] = []
    providers: list[Choice] = []
    provider_filter: str = "all"
    status_filter: str = "all"
    period_filter: str = "month"
    total_text: str = ""
    selected: int = 0
    detail: list[Line] = []
    notifications: list[Line] = []
    detail_status: str = ""
    notice: str = ""
    error: str = ""

    @rx.var
    def statuses(self) -> list[Choice]:
        return [Choice("all", texts.PAYMENTS["history_filter_all_statuses"])] + [
            Choice(key, label) for key, label in texts.PAYMENTS["statuses"].items()]

    @rx.var
    def periods(self) -> list[Choice]:
        return [Choice(key, label) for key, label in texts.ADMIN["periods"].items()]

    def _filters(self) -> admin.PaymentFilter:
        since, until = period_bounds(self.period_filter, local_date(utc_now()))
        return admin.PaymentFilter(
            provider_id=parse_id(self.provider_filter),
            status=PaymentStatus(self.status_filter) if self.status_filter in texts.PAYMENTS["statuses"] else None,
            since=since, until=until)

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_admin(self)
            filters = self._filters()
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)

        def build(session):
            rows, count, total = admin.list_payments(session, actor_id=actor, filters=filters)
            providers = [Choice("all", texts.ADMIN["all_providers"])] + [
                Choice(str(p.id), p.name) for p, _n in admin.list_providers(session, actor_id=actor)]
            return [AdminPaymentRow(p.id or 0, format_local_time(p.created_at), prov.name, acc.number, user.email,
                                    format_rubles(p.amount_kopecks), p.status.value,
                                    texts.PAYMENTS["statuses"][p.status.value])
                    for p, acc, prov, user in rows], providers, count, total

        rows, providers, count, total = await asyncio.to_thread(_call, build)
        async with self:
            self.rows, self.providers = rows, providers
            self.total_text = texts.ADMIN["payments_total"].format(count=count, amount=format_rubles(total))

    @rx.event
    def set_provider_filter(self, value: str):
        self.provider_filter = value
        return AdminPaymentsState.load

    @rx.event
    def set_status_filter(self, value: str):
        self.status_filter = value
        return AdminPaymentsState.load

    @rx.event
    def set_period_filter(self, value: str):
        self.period_filter = value if value in texts.ADMIN["periods"] else "month"
        return AdminPaymentsState.load

    @rx.event(background=True)
    async def export_csv(self):
        async with self:
            actor = await acting_admin(self)
            filters = self._filters()
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        data = await asyncio.to_thread(_call, lambda s: admin.export_payments(
            s, actor_id=actor, filters=filters, now=utc_now()))
        return rx.download(data=data, filename=f"payments-{local_date(utc_now()).isoformat()}.csv")

    @rx.event(background=True)
    async def open_payment(self, payment_id: int):
        async with self:
            actor = await acting_admin(self)
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        await self._show(actor, parse_id(payment_id) or 0)

    async def _show(self, actor: int, payment_id: int) -> None:
        def build(session):
            payment, account, provider, user, notifications = admin.payment_detail(
                session, actor_id=actor, payment_id=payment_id)
            labels = texts.ADMIN["payment_detail"]
            detail = [
                Line(labels["amount"], format_rubles(payment.amount_kopecks)),
                Line(labels["status"], texts.PAYMENTS["statuses"][payment.status.value]),
                Line(labels["account"], f"{provider.name} · {account.number}"),
                Line(labels["payer"], user.email),
                Line(labels["created"], format_local_time(payment.created_at)),
                Line(labels["paid"], format_local_time(payment.paid_at) if payment.paid_at else "—"),
                Line(labels["gateway_id"], payment.gateway_payment_id or "—"),
                Line(labels["key"], payment.idempotency_key),
                Line(labels["reason"], payment.cancellation_reason or payment.failure_message or "—"),
            ]
            log = [Line(f"{format_local_time(n.received_at)} · {n.event or '—'} · {n.source_address}",
                        notification_outcome(n.outcome)) for n in notifications]
            return detail, log, payment.status.value

        try:
            detail, log, status = await asyncio.to_thread(_call, build)
        except DomainError as error:
            async with self:
                self.notice, self.error = "", texts.error_text(error.code, **error.params)
            return
        async with self:
            self.selected, self.detail, self.notifications, self.detail_status = payment_id, detail, log, status
            self.notice = self.error = ""

    @rx.event
    def close_payment(self) -> None:
        self.selected = 0

    @rx.event(background=True)
    async def check_at_gateway(self):
        async with self:
            actor = await acting_admin(self)
            payment_id = self.selected
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        try:
            applied = await asyncio.to_thread(_call, lambda s: admin.check_at_gateway(
                s, actor_id=actor, payment_id=payment_id, now=utc_now()))
        except Exception:  # the gateway down: say so, keep the page
            async with self:
                self.error = texts.ADMIN["gateway_check_failed"]
            return
        await self._show(actor, payment_id)
        async with self:
            self.notice = texts.ADMIN["gateway_checked"].format(
                status=texts.PAYMENTS["statuses"][applied.status.value])
        return AdminPaymentsState.load


# --- readings export ------------------------------------------------------------------------------------------


class AdminReadingsState(rx.State):
    providers: list[Choice] = []
    provider: str = ""
    month: str = ""
    mark_sent: bool = True
    error: str = ""
    notice: str = ""

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_admin(self)
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        providers = await asyncio.to_thread(_call, lambda s: [
            Choice(str(p.id), p.name) for p, _n in admin.list_providers(s, actor_id=actor)])
        async with self:
            self.providers = providers
            if not self.provider and providers:
                self.provider = providers[0].value
            self.month = self.month or local_date(utc_now()).strftime("%Y-%m")

    @rx.event
    def set_provider(self, value: str) -> None:
        self.provider = value

    @rx.event
    def set_month(self, value: str) -> None:
        self.month = value[:7]
        self.error = ""

    @rx.event
    def set_mark_sent(self, value: bool) -> None:
        self.mark_sent = bool(value)

    @rx.event(background=True)
    async def export_csv(self):
        import datetime as dt

        async with self:
            actor = await acting_admin(self)
            provider, month, mark_sent = self.provider, self.month, self.mark_sent
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        try:
            period = dt.date.fromisoformat(f"{month}-01")
        except ValueError:
            async with self:
                self.error = texts.ADMIN["month_invalid"]
            return
        try:
            data = await asyncio.to_thread(_call, lambda s: admin.export_readings(
                s, actor_id=actor, provider_id=parse_id(provider) or 0, period=period, mark_sent=mark_sent,
                now=utc_now()))
        except DomainError as error:  # the provider was removed, or none was chosen
            async with self:
                self.error = texts.error_text(error.code, **error.params)
            return
        async with self:
            self.error, self.notice = "", texts.ADMIN["readings_exported"]
        return rx.download(data=data, filename=f"readings-{provider}-{month}.csv")


# --- audit -----------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AuditRow:
    id: int
    when: str
    who: str
    action: str
    target: str
    details: str
    address: str


class AdminAuditState(rx.State):
    rows: list[AuditRow] = []
    actions: list[Choice] = []
    action_filter: str = "all"

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_admin(self)
            action = "" if self.action_filter == "all" else self.action_filter
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)

        def build(session):
            rows = [AuditRow(e.id or 0, format_local_time(e.created_at), user.email if user else "—", e.action,
                             f"{e.target_type} {e.target_id}".strip(), admin.details_text(e), e.client_address)
                    for e, user in admin.audit_events(session, actor_id=actor, action=action)]
            actions = [Choice("all", texts.ADMIN["all_actions"])] + [
                Choice(name, name) for name in admin.audit_actions(session, actor_id=actor)]
            return rows, actions

        rows, actions = await asyncio.to_thread(_call, build)
        async with self:
            self.rows, self.actions = rows, actions

    @rx.event
    def set_action_filter(self, value: str):
        self.action_filter = value
        return AdminAuditState.load


# --- registry import -------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


class AdminRegistryState(rx.State):
    providers: list[Choice] = []
    provider: str = ""
    file_name: str = ""
    upload_name: str = ""
    counts: list[Figure] = []
    row_errors: list[RowError] = []
    errors_more: int = 0
    previewed: bool = False
    importing: bool = False
    progress: int = 0
    notice: str = ""
    error: str = ""

    @rx.var
    def can_import(self) -> bool:
        return self.previewed and not self.row_errors and not self.importing and self.upload_name != ""

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_admin(self)
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        providers = await asyncio.to_thread(_call, lambda s: [
            Choice(str(p.id), p.name) for p, _n in admin.list_providers(s, actor_id=actor)])
        async with self:
            self.providers = providers
            if self.provider not in {choice.value for choice in providers}:
                self.provider = providers[0].value if providers else ""
            if not self.importing:
                # The page opened afresh: a file checked on an earlier visit is not offered again.
                self._forget_preview()
                self._drop_upload()

    @rx.event
    def set_provider(self, value: str) -> None:
        # Only an id is kept: the upload and the import read it back with int().
        self.provider = str(parse_id(value) or "")
        self._forget_preview()
        self._drop_upload()  # checked against another provider: of no use for this one

    def _forget_preview(self) -> None:
        self.previewed, self.counts, self.row_errors, self.errors_more = False, [], [], 0
        self.notice = self.error = ""
        self.progress = 0

    def _drop_upload(self) -> None:
        registry_uploads.discard_registry_upload(self.upload_name)
        self.upload_name = ""

    @rx.event
    async def upload_registry(self, files: list[rx.UploadFile]):
        # Upload handlers cannot run in the background; the preview reads the file once.
        actor = await acting_admin(self)
        if not actor:
            return rx.redirect(NOT_FOUND_ROUTE, replace=True)
        self._forget_preview()
        replacing, self.upload_name = self.upload_name, ""
        if not files or not self.provider:
            registry_uploads.discard_registry_upload(replacing)
            self.error = texts.error_text("upload_required")
            return
        provider_id = int(self.provider)
        try:
            # Copied to disk in chunks and previewed off the event loop; kept only if it can be imported.
            checked = await asyncio.to_thread(lambda: registry_uploads.check_registry_upload(
                actor_id=actor, provider_id=provider_id, upload=files[0].file, replacing=replacing))
        except DomainError as error:
            self.error = texts.error_text(error.code, **error.params)
            return
        self.upload_name, self.file_name = checked.name, files[0].filename or ""
        self._show_preview(checked.preview)

    def _show_preview(self, preview) -> None:
        labels = texts.ADMIN["registry_counts"]
        # With errors nothing was compared: counts would only be zeros.
        self.counts = [] if preview.errors else [Figure(key, labels[key], str(getattr(preview, key))) for key in labels]
        shown = preview.errors[:200]
        self.row_errors = [RowError(error.line, error.column, error.message) for error in shown]
        self.errors_more = preview.error_count - len(shown)
        self.previewed = True

    @rx.event(background=True)
    async def import_now(self):
        async with self:
            actor = await acting_admin(self)
            if not actor:
                return rx.redirect(NOT_FOUND_ROUTE, replace=True)
            if not self.can_import:
                return
            self.importing, self.progress, self.notice, self.error = True, 0, "", ""
            provider_id, upload_name = int(self.provider), self.upload_name
        done = {"rows": 0, "total": 1}

        def progress(rows: int, total: int) -> None:
            done["rows"], done["total"] = rows, max(total, 1)

        def run():
            return registry_uploads.import_registry_upload(actor_id=actor, provider_id=provider_id, name=upload_name,
                                                           now=utc_now(), progress=progress)

        job = asyncio.ensure_future(asyncio.to_thread(run))
        while not job.done():
            await asyncio.sleep(0.3)
            async with self:
                self.progress = min(99, done["rows"] * 100 // done["total"])
        try:
            result = job.result()
        except DomainError as error:
            async with self:
                self.importing = False
                self.error = texts.error_text(error.code, **error.params)
                if error.code == "registry_upload_gone":
                    self.upload_name = ""
            return
        async with self:
            self.importing, self.progress, self.upload_name = False, 100, ""
            self._show_preview(result)
            self.previewed = False
            self.notice = texts.ADMIN["registry_imported"]
