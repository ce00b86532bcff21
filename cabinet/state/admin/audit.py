"""State of /admin/audit: the latest events of the audit log, filtered by action."""

from __future__ import annotations

import dataclasses

import reflex as rx

from cabinet import texts
from cabinet.services.admin import audit_log
from cabinet.state.admin.operator import acting_operator_id, not_found
from cabinet.state.calls import call
from cabinet.state.display import Choice
from cabinet.state.local_time import format_local_time
from cabinet.state.page_data import PageData, load_failed, mark_loaded

ALL = "all"


@dataclasses.dataclass(frozen=True)
class AuditRow:
    id: int
    when: str
    who: str
    action: str
    target: str
    details: str
    address: str


def _row(event: audit_log.AuditRow) -> AuditRow:
    return AuditRow(
        event.id,
        format_local_time(event.created_at),
        event.who,
        event.action,
        event.target,
        event.details,
        event.address,
    )


class AdminAuditState(PageData, rx.State):
    rows: list[AuditRow] = []
    actions: list[Choice] = []
    action_filter: str = ALL

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_operator_id(self)
            action = "" if self.action_filter == ALL else self.action_filter
        if not actor:
            return not_found()
        outcome = await call(audit_log.audit_log, actor_id=actor, action=action)
        if not outcome.ok:
            async with self:
                await load_failed(self, outcome.message)
            return
        log = outcome.value
        async with self:
            self.rows = [_row(event) for event in log.rows]
            self.actions = [Choice(ALL, texts.ADMIN["all_actions"])] + [Choice(name, name) for name in log.actions]
            await mark_loaded(self)

    @rx.event
    def set_action_filter(self, value: str):
        self.action_filter = value
        return AdminAuditState.load
