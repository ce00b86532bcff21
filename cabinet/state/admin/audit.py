"""State of /admin/audit: the journal in Russian, filtered by who, what, provider and dates, 50 a page, and its CSV.

The filters may come in the address (`?action=sign_in&provider=3&from=2026-12-01&to=…&who=…&page=2`);
anything there that does not parse finds nothing or is shown as a message next to its field.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services.admin import audit_log
from cabinet.services.calendar import local_date
from cabinet.state.admin.operator import acting_operator_id, not_found
from cabinet.state.calls import call
from cabinet.state.display import Choice
from cabinet.state.local_time import format_local_time
from cabinet.state.page_data import PageData, load_failed, mark_loaded

ALL = "all"
_TEXT_MAX = 100


@dataclasses.dataclass(frozen=True)
class AuditRow:
    id: int
    when: str
    who: str
    action: str
    label: str
    sentence: str
    provider: str
    address: str


@dataclasses.dataclass(frozen=True)
class ChoiceGroup:
    label: str
    choices: list[Choice]


def _action_groups() -> list[ChoiceGroup]:
    """The action filter's choices: each group, first «<group>: все», then its actions."""
    events = texts.AUDIT["events"]
    return [
        ChoiceGroup(
            label,
            [Choice(audit_log.GROUP_PREFIX + key, texts.AUDIT["group_all"].format(group=label))]
            + [Choice(code, events[code][0]) for code in codes],
        )
        for key, (label, codes) in texts.AUDIT["groups"].items()
    ]


ACTION_GROUPS = _action_groups()


def _row(event: audit_log.AuditRow) -> AuditRow:
    return AuditRow(
        event.id,
        format_local_time(event.created_at),
        event.who,
        event.action,
        event.label,
        event.sentence,
        event.provider,
        event.address,
    )


def _page_number(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 7 else 1


class AdminAuditState(PageData, rx.State):
    rows: list[AuditRow] = []
    action_groups: list[ChoiceGroup] = ACTION_GROUPS
    providers: list[Choice] = []
    action_filter: str = ALL
    provider_filter: str = ALL
    who_filter: str = ""
    date_from: str = ""
    date_to: str = ""
    date_errors: dict[str, str] = {}
    page: int = 1
    pages: int = 1
    total: int = 0
    error: str = ""

    @rx.var
    def page_text(self) -> str:
        return texts.AUDIT["page"].format(page=self.page, pages=self.pages)

    @rx.var
    def found_text(self) -> str:
        return texts.AUDIT["found"].format(count=self.total)

    @rx.var
    def date_from_error(self) -> str:
        return self.date_errors.get("date_from", "")

    @rx.var
    def date_to_error(self) -> str:
        return self.date_errors.get("date_to", "")

    def _query(self) -> audit_log.AuditQuery:
        return audit_log.AuditQuery(
            who=self.who_filter,
            action="" if self.action_filter == ALL else self.action_filter,
            provider="" if self.provider_filter == ALL else self.provider_filter,
            date_from=self.date_from,
            date_to=self.date_to,
            page=self.page,
        )

    @rx.event
    def open_page(self):
        """On arrival: the filters from the address, if it has any, then the load."""
        given = self.router.url.query_parameters
        if given:
            self.action_filter = given.get("action", ALL)[:_TEXT_MAX] or ALL
            self.provider_filter = given.get("provider", ALL)[:_TEXT_MAX] or ALL
            self.who_filter = given.get("who", "")[:_TEXT_MAX]
            self.date_from = given.get("from", "")[:_TEXT_MAX]
            self.date_to = given.get("to", "")[:_TEXT_MAX]
            self.page = _page_number(given.get("page", "1"))
        return AdminAuditState.load

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_operator_id(self)
            query = self._query()
        if not actor:
            return not_found()
        outcome = await call(audit_log.audit_log, actor_id=actor, query=query)
        if not outcome.ok:
            async with self:
                await load_failed(self, outcome.message)
            return
        log = outcome.value
        async with self:
            self.rows = [_row(event) for event in log.rows]
            self.providers = [Choice(ALL, texts.AUDIT["all_providers_choice"])] + [
                Choice(str(provider_id), name) for provider_id, name in log.providers
            ]
            self.page, self.pages, self.total = log.page, log.pages, log.total
            self.date_errors = log.errors
            self.error = ""
            await mark_loaded(self)

    @rx.event
    def set_action_filter(self, value: str):
        self.action_filter, self.page = value[:_TEXT_MAX] or ALL, 1
        return AdminAuditState.load

    @rx.event
    def set_provider_filter(self, value: str):
        self.provider_filter, self.page = value[:_TEXT_MAX] or ALL, 1
        return AdminAuditState.load

    @rx.event
    def set_who_filter(self, value: str):
        self.who_filter = value[:_TEXT_MAX]

    @rx.event
    def set_date_from(self, value: str):
        self.date_from = value[:_TEXT_MAX]

    @rx.event
    def set_date_to(self, value: str):
        self.date_to = value[:_TEXT_MAX]

    @rx.event
    def apply_filters(self, _form: dict | None = None):
        self.page = 1
        return AdminAuditState.load

    @rx.event
    def reset_filters(self):
        self.action_filter = self.provider_filter = ALL
        self.who_filter = self.date_from = self.date_to = ""
        self.page = 1
        return AdminAuditState.load

    @rx.event
    def previous_page(self):
        self.page = max(1, self.page - 1)
        return AdminAuditState.load

    @rx.event
    def next_page(self):
        self.page = min(self.pages, self.page + 1)
        return AdminAuditState.load

    @rx.event(background=True)
    async def export_csv(self):
        async with self:
            actor = await acting_operator_id(self)
            query = self._query()
        if not actor:
            return not_found()
        outcome = await call(audit_log.export_audit_log, actor_id=actor, query=query)
        if not outcome.ok:
            async with self:
                self.error = outcome.message
            return
        return rx.download(data=outcome.value, filename=f"audit-{local_date(utc_now()).isoformat()}.csv")
