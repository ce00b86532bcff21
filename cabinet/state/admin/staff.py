"""State of /admin/staff: the staff list, the invitation form, one member's changes, blocking and removal.

A platform administrator sees everyone; provider staff see only their own card (the services decide).
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services.admin import staff
from cabinet.state.admin.operator import acting_operator_id, not_found
from cabinet.state.calls import call
from cabinet.state.display import Choice
from cabinet.state.form_errors import clear_refusals, show_refusal
from cabinet.state.page_data import PageData, load_failed, mark_loaded

T = texts.STAFF
INVITE_FIELDS = {"email": "invite_email_error", "role": "invite_role_error", "providers": "invite_providers_error"}
EDIT_FIELDS = {"role": "edit_role_error", "providers": "edit_providers_error"}


@dataclasses.dataclass(frozen=True)
class StaffRow:
    id: int
    email: str
    name: str
    role: str
    role_key: str
    providers: str
    provider_ids: list[str]
    status: str
    status_key: str
    # A provider's operator or viewer other than the one looking: what «Изменить» opens.
    editable: bool


def _row(member: staff.StaffMember) -> StaffRow:
    return StaffRow(
        id=member.id,
        email=member.email,
        name=member.full_name or T["no_name"],
        role=T["roles"][member.role],
        role_key=member.role,
        providers=", ".join(p.name for p in member.providers) if member.role != "admin" else T["all_providers"],
        provider_ids=[str(p.id) for p in member.providers],
        status=T["statuses"][member.status],
        status_key=member.status,
        editable=member.role != "admin" and not member.is_self,
    )


def _toggled(chosen: list[str], value: str, checked: bool) -> list[str]:
    rest = [item for item in chosen if item != value]
    return [*rest, value] if checked else rest


class AdminStaffState(PageData, rx.State):
    is_admin_view: bool = False
    rows: list[StaffRow] = []
    providers: list[Choice] = []
    notice: str = ""
    error: str = ""
    # the invitation form
    invite_email: str = ""
    invite_role: str = "operator"
    invite_providers: list[str] = []
    invite_email_error: str = ""
    invite_role_error: str = ""
    invite_providers_error: str = ""
    invite_error: str = ""
    invite_notice: str = ""
    inviting: bool = False
    # the member being changed (0: none)
    selected: int = 0
    selected_email: str = ""
    selected_blocked: bool = False
    edit_role: str = "operator"
    edit_providers: list[str] = []
    edit_role_error: str = ""
    edit_providers_error: str = ""
    edit_error: str = ""
    confirm_remove: bool = False

    @rx.var
    def role_choices(self) -> list[Choice]:
        return [Choice(key, label) for key, label in T["role_choices"].items()]

    @rx.var
    def edit_title(self) -> str:
        return T["edit_title"].format(email=self.selected_email)

    @rx.var
    def remove_question(self) -> str:
        return T["remove_confirm"].format(email=self.selected_email)

    # --- setters -------------------------------------------------------------------------------

    @rx.event
    def set_invite_email(self, value: str) -> None:
        self.invite_email, self.invite_email_error, self.invite_notice = value[:320], "", ""

    @rx.event
    def set_invite_role(self, value: str) -> None:
        self.invite_role, self.invite_role_error = value[:32], ""

    @rx.event
    def set_invite_provider(self, value: str, checked: bool) -> None:
        self.invite_providers = _toggled(self.invite_providers, str(value)[:20], bool(checked))
        self.invite_providers_error = ""

    @rx.event
    def set_edit_role(self, value: str) -> None:
        self.edit_role, self.edit_role_error = value[:32], ""

    @rx.event
    def set_edit_provider(self, value: str, checked: bool) -> None:
        self.edit_providers = _toggled(self.edit_providers, str(value)[:20], bool(checked))
        self.edit_providers_error = ""

    # --- loading ---------------------------------------------------------------------------------

    def _show(self, page: staff.StaffPage) -> None:
        self.is_admin_view = page.is_platform_admin
        self.rows = [_row(member) for member in page.members]
        self.providers = [Choice(str(ref.id), ref.name) for ref in page.providers]

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_operator_id(self)
        if not actor:
            return not_found()
        outcome = await call(staff.list_staff, actor_id=actor)
        async with self:
            if not outcome.ok:
                return await load_failed(self, outcome.message)
            self.notice = self.error = self.invite_notice = self.invite_error = ""
            self.selected, self.confirm_remove = 0, False
            self._show(outcome.value)
            await mark_loaded(self)

    async def _refresh(self, actor: int) -> None:
        """Reads the list again after a change (outside the State's lock); a failure leaves the list as it was."""
        outcome = await call(staff.list_staff, actor_id=actor)
        if outcome.ok:
            async with self:
                self._show(outcome.value)

    # --- inviting --------------------------------------------------------------------------------

    @rx.event(background=True)
    async def invite(self):
        async with self:
            actor = await acting_operator_id(self)
            if not actor or self.inviting:
                return None if actor else not_found()
            self.inviting, self.invite_notice = True, ""
            clear_refusals(self, fields=INVITE_FIELDS, fallback="invite_error")
            request = dict(email=self.invite_email, role=self.invite_role, provider_ids=list(self.invite_providers))
            client = self.router.session.client_ip or ""
        outcome = await call(staff.invite_staff, actor_id=actor, now=utc_now(), client_address=client, **request)
        async with self:
            self.inviting = False
            if not outcome.ok:
                # Everything typed stays: only the message next to the field is new.
                show_refusal(self, outcome, fields=INVITE_FIELDS, fallback="invite_error")
                return
            invited: staff.Invited = outcome.value
            key = "invited" if invited.letter == "staff_invitation" else "access_sent"
            self.invite_notice = T[key].format(email=invited.email)
            self.invite_email, self.invite_role, self.invite_providers = "", "operator", []
        await self._refresh(actor)

    # --- one member ------------------------------------------------------------------------------

    @rx.event
    def open_member(self, user_id: int) -> None:
        for row in self.rows:
            if row.id == user_id and row.editable:
                self.selected, self.selected_email = row.id, row.email
                self.selected_blocked = row.status_key == "blocked"
                self.edit_role = row.role_key if row.role_key in T["role_choices"] else "operator"
                self.edit_providers = list(row.provider_ids)
                self.edit_role_error = self.edit_providers_error = self.edit_error = ""
                self.notice, self.confirm_remove = "", False
                return

    @rx.event
    def close_member(self) -> None:
        self.selected, self.confirm_remove = 0, False

    @rx.event
    def ask_remove(self, asking: bool) -> None:
        self.confirm_remove = bool(asking)

    def _after_change(self, outcome, message: str) -> bool:
        """Shows a change's outcome (inside `async with self`); True when the list should be read again."""
        if not outcome.ok:
            show_refusal(self, outcome, fields=EDIT_FIELDS, fallback="edit_error")
            return False
        clear_refusals(self, fields=EDIT_FIELDS, fallback="edit_error")
        self.selected_blocked = outcome.value.status == "blocked"
        self.notice = message
        return True

    @rx.event(background=True)
    async def save_member(self):
        async with self:
            actor = await acting_operator_id(self)
            if not actor:
                return not_found()
            request = dict(user_id=self.selected, role=self.edit_role, provider_ids=list(self.edit_providers))
        outcome = await call(staff.change_staff, actor_id=actor, now=utc_now(), **request)
        async with self:
            changed = self._after_change(outcome, T["saved"])
        if changed:
            await self._refresh(actor)

    @rx.event(background=True)
    async def set_blocked(self, blocked: bool):
        async with self:
            actor = await acting_operator_id(self)
            if not actor:
                return not_found()
            user_id = self.selected
        outcome = await call(
            staff.set_staff_blocked, actor_id=actor, user_id=user_id, blocked=bool(blocked), now=utc_now()
        )
        async with self:
            changed = self._after_change(outcome, T["blocked" if blocked else "unblocked"])
        if changed:
            await self._refresh(actor)

    @rx.event(background=True)
    async def remove(self):
        async with self:
            actor = await acting_operator_id(self)
            if not actor:
                return not_found()
            user_id = self.selected
        outcome = await call(staff.remove_staff, actor_id=actor, user_id=user_id, now=utc_now())
        async with self:
            self.confirm_remove = False
            if not outcome.ok:
                self.edit_error = outcome.message
                return
            self.selected = 0
            self.notice = T["removed"].format(email=outcome.value)
        await self._refresh(actor)
