"""State of /admin/residents: the search, one resident's detail, blocking and a new confirmation letter."""

from __future__ import annotations

import dataclasses

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.money import format_rubles
from cabinet.services import closure
from cabinet.services.admin import residents
from cabinet.services.ids import parse_id
from cabinet.state.admin.lines import Line
from cabinet.state.admin.operator import acting_operator_id, not_found
from cabinet.state.calls import call
from cabinet.state.local_time import format_local_time
from cabinet.state.page_data import PageData, load_failed, mark_loaded


@dataclasses.dataclass(frozen=True)
class ResidentRow:
    id: int
    email: str
    name: str
    state: str
    created: str


def _closure_text(closed: residents.Closure | None) -> str:
    if closed is None:
        return ""
    words = texts.ADMIN
    if not closed.by:
        return words["closed_by_resident"].format(when=format_local_time(closed.closed_at))
    return words["closed_by_admin"].format(when=format_local_time(closed.closed_at), by=closed.by, reason=closed.reason)


def _state_label(state: str) -> str:
    return texts.ADMIN["user_states"][state]


def _row(found: residents.ResidentRow) -> ResidentRow:
    return ResidentRow(
        found.id, found.email, found.full_name, _state_label(found.state), format_local_time(found.created_at)
    )


class AdminResidentsState(PageData, rx.State):
    query: str = ""
    rows: list[ResidentRow] = []
    selected: int = 0
    detail_title: str = ""
    detail_state: str = ""
    detail_blocked: bool = False
    detail_confirmed: bool = True
    # Whether this staff member may block the resident or resend their letter (a viewer never).
    detail_may_change: bool = False
    detail_sessions: str = ""
    detail_links: list[Line] = []
    detail_payments: list[Line] = []
    detail_sign_ins: list[Line] = []
    # «Кабинет закрыт …: самим жителем / администратором … по заявлению …»; "" for an open cabinet.
    detail_closure: str = ""
    detail_may_close: bool = False
    closing_reason: str = ""
    closing_reason_error: str = ""
    notice: str = ""
    error: str = ""

    @rx.event
    def set_query(self, value: str) -> None:
        self.query = value[:100]

    @rx.event
    def set_closing_reason(self, value: str) -> None:
        self.closing_reason, self.closing_reason_error = value[: closure.REASON_MAX_LENGTH + 1], ""

    @rx.event(background=True)
    async def search(self):
        async with self:
            actor = await acting_operator_id(self)
            query = self.query
        if not actor:
            return not_found()
        outcome = await call(residents.search_residents, actor_id=actor, query=query)
        async with self:
            if not outcome.ok:
                return await load_failed(self, outcome.message)
            self.rows = [_row(found) for found in outcome.value]
            await mark_loaded(self)

    @rx.event(background=True)
    async def open_resident(self, user_id: int):
        async with self:
            actor = await acting_operator_id(self)
        if not actor:
            return not_found()
        outcome = await call(residents.resident_detail, actor_id=actor, user_id=parse_id(user_id) or 0, now=utc_now())
        async with self:
            if outcome.ok:
                self._show(outcome.value)
            else:
                self.notice, self.error = "", outcome.message

    def _show(self, detail: residents.ResidentDetail) -> None:
        statuses = texts.PAYMENTS["statuses"]
        self.selected = detail.id
        self.detail_title = detail.email + (f" · {detail.full_name}" if detail.full_name else "")
        self.detail_state = _state_label(detail.state)
        self.detail_blocked, self.detail_confirmed = detail.blocked, detail.confirmed
        self.detail_may_change = detail.may_change
        self.detail_sessions = texts.ADMIN["sessions_active"].format(count=detail.sessions_active)
        self.detail_links = [Line(f"{link.provider} · {link.number}", link.address) for link in detail.links]
        self.detail_payments = [
            Line(f"{format_rubles(p.amount_kopecks)} · {statuses[p.status]}", format_local_time(p.created_at))
            for p in detail.payments
        ]
        self.detail_sign_ins = [
            Line(
                texts.ADMIN["sign_in_actions"].get(e.action, e.action),
                " · ".join(filter(None, (format_local_time(e.created_at), e.client_address))),
            )
            for e in detail.sign_ins
        ]
        self.detail_closure = _closure_text(detail.closure)
        self.detail_may_close = detail.may_close
        self.closing_reason = self.closing_reason_error = ""
        self.notice = self.error = ""

    @rx.event
    def close_resident(self) -> None:
        self.selected = 0

    @rx.event(background=True)
    async def set_blocked(self, blocked: bool):
        async with self:
            actor = await acting_operator_id(self)
            user_id = self.selected
        if not actor:
            return not_found()
        outcome = await call(
            residents.set_blocked, actor_id=actor, user_id=user_id, blocked=bool(blocked), now=utc_now()
        )
        async with self:
            if not outcome.ok:
                self.error = outcome.message
                return
            self._show(outcome.value)
            self.notice = texts.ADMIN["blocked" if blocked else "unblocked"]
        return AdminResidentsState.search

    @rx.event(background=True)
    async def resend_confirmation(self):
        async with self:
            actor = await acting_operator_id(self)
            user_id = self.selected
        if not actor:
            return not_found()
        outcome = await call(residents.resend_confirmation_for, actor_id=actor, user_id=user_id, now=utc_now())
        async with self:
            if outcome.ok:
                self.notice = texts.ADMIN["confirmation_resent"]
            else:
                self.error = outcome.message

    @rx.event(background=True)
    async def close_cabinet(self):
        """Closes the open resident's cabinet on their written request, the reason naming it."""
        async with self:
            actor = await acting_operator_id(self)
            user_id, reason = self.selected, self.closing_reason
        if not actor:
            return not_found()
        outcome = await call(residents.close_on_request, actor_id=actor, user_id=user_id, reason=reason, now=utc_now())
        async with self:
            if not outcome.ok:
                if outcome.field == "reason":
                    self.closing_reason_error = outcome.message
                else:
                    self.error = outcome.message
                return
            self._show(outcome.value)
            self.notice = texts.ADMIN["closed_on_request"]
        return AdminResidentsState.search
