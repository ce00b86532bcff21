"""State of /admin/providers (and /admin/providers/<id>): the providers' list and the form that creates or edits
one. What the form lets change follows the service's answer (services/providers.py::provider_editing); the
service refuses a change regardless."""

from __future__ import annotations

import re

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.errors import DomainError
from cabinet.services import images, providers
from cabinet.services.ids import parse_id
from cabinet.services.provider_form import (
    REMINDER_SWITCHES,
    TEXT_FIELDS,
    ProviderForm,
    ProviderInvalid,
    check_pattern,
)
from cabinet.services.providers import ProviderRow
from cabinet.state.admin.operator import acting_operator_id, not_found
from cabinet.state.calls import Outcome, call
from cabinet.state.page_data import PageData, load_failed, mark_loaded

RECEIPT = "receipt_image"
_PROVIDER_PATH = re.compile(r"/admin/providers/([^/]*)")


def provider_id_from_path(path: str) -> int:
    """The provider id in /admin/providers/<id>; 0 (found nowhere) for anything else."""
    match = _PROVIDER_PATH.search(path)
    return (parse_id(match.group(1)) or 0) if match else 0


def _form_errors(outcome: Outcome) -> dict[str, str]:
    """Every field the form got wrong with its message; any other refusal as the one message it is."""
    if isinstance(outcome.error, ProviderInvalid):
        return {field: texts.error_text(error.code, **error.params) for field, error in outcome.error.errors.items()}
    return outcome.errors


class AdminProvidersState(PageData, rx.State):
    rows: list[ProviderRow] = []
    # The form: "" for a new provider, or the id being edited.
    editing: str = ""
    form_open: bool = False
    # What the open form lets this staff member change: a viewer nothing, an operator all but the legal fields.
    may_save: bool = False
    may_change_legal: bool = False
    # «Не найдено.» when /admin/providers/<id> names a provider that is missing or not theirs.
    missing: str = ""
    fields: dict[str, str] = {}
    allow_zero: bool = True
    allow_rollover: bool = True
    # The reminder switch per kind (provider_form.REMINDER_SWITCHES).
    reminders: dict[str, bool] = {}
    errors: dict[str, str] = {}
    notice: str = ""
    busy: bool = False

    @rx.var
    def pattern_check(self) -> str:
        """The pattern tested against the example as the operator types."""
        try:
            check_pattern(
                self.fields.get("account_pattern", ""),
                self.fields.get("account_example", ""),
                self.fields.get("account_checksum", "none"),
            )
        except DomainError as error:
            return texts.error_text(error.code)
        return texts.ADMIN["pattern_ok"] if self.fields.get("account_example") else ""

    @rx.var
    def pattern_ok(self) -> bool:
        return self.pattern_check == texts.ADMIN["pattern_ok"]

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_operator_id(self)
        if not actor:
            return not_found()
        outcome = await call(providers.list_providers, actor_id=actor)
        async with self:
            if not outcome.ok:
                return await load_failed(self, outcome.message)
            self.rows = outcome.value
            await mark_loaded(self)

    def _fill(self, form: ProviderForm) -> None:
        self.fields = form.texts()
        self.allow_zero, self.allow_rollover = form.allow_zero_consumption, form.allow_rollover
        self.reminders = form.switches()
        self.errors, self.notice = {}, ""
        self.form_open = True

    @rx.event
    def new_provider(self) -> None:
        # Only the platform administrator is shown the button; saving checks that again.
        self.editing, self.may_save, self.may_change_legal = "", True, True
        self._fill(ProviderForm())

    @rx.event(background=True)
    async def edit_provider(self, provider_id: int):
        async with self:
            actor = await acting_operator_id(self)
        if not actor:
            return not_found()
        # From the browser: anything not an id is looked up as 0, which is «not found».
        await self._open(actor, parse_id(provider_id) or 0)

    @rx.event(background=True)
    async def open_from_url(self):
        """on_load of /admin/providers/<id>: that provider's form, or «Не найдено.» for a foreign or missing one."""
        async with self:
            actor = await acting_operator_id(self)
            provider_id = provider_id_from_path(self.router.url.path)
            self.missing, self.form_open = "", False
        if not actor:
            return not_found()
        await self._open(actor, provider_id, from_url=True)

    async def _open(self, actor: int, provider_id: int, *, from_url: bool = False) -> None:
        outcome = await call(providers.provider_editing, actor_id=actor, provider_id=provider_id)
        async with self:
            if not outcome.ok:
                if from_url:
                    self.missing = outcome.message
                else:
                    self.errors, self.notice = outcome.errors, ""
                return
            self.editing, self.missing = str(provider_id), ""
            self.may_save, self.may_change_legal = outcome.value.may_change, outcome.value.may_change_legal
            self._fill(outcome.value.form)

    @rx.event
    def close_form(self) -> None:
        self.form_open = False

    @rx.event
    def set_field(self, name: str, value: str) -> None:
        # The picture's address comes only from upload_receipt; no input on the page types one.
        if name in TEXT_FIELDS and name != RECEIPT:
            self.fields = {**self.fields, name: value[:1000]}
            self.errors = {key: message for key, message in self.errors.items() if key != name}

    @rx.event
    def set_allow_zero(self, value: bool) -> None:
        self.allow_zero = bool(value)

    @rx.event
    def set_allow_rollover(self, value: bool) -> None:
        self.allow_rollover = bool(value)

    @rx.event
    def set_reminder(self, name: str, value: bool) -> None:
        if name in REMINDER_SWITCHES:
            self.reminders = {**self.reminders, name: bool(value)}

    @rx.event(background=True)
    async def save(self):
        async with self:
            actor = await acting_operator_id(self)
            if not actor:
                return not_found()
            form = ProviderForm.from_texts(
                self.fields,
                allow_zero_consumption=self.allow_zero,
                allow_rollover=self.allow_rollover,
                switches=self.reminders,
            )
            provider_id = int(self.editing) if self.editing else None
            self.busy = True
        outcome = await call(providers.save_provider, actor_id=actor, provider_id=provider_id, form=form, now=utc_now())
        async with self:
            self.busy = False
            if not outcome.ok:
                self.errors = _form_errors(outcome)
                return
            self.form_open = False
            self.notice = texts.ADMIN["provider_saved"].format(name=outcome.value.name)
        return AdminProvidersState.load

    @rx.event(background=True)
    async def toggle_active(self, provider_id: int, active: bool):
        async with self:
            actor = await acting_operator_id(self)
        if not actor:
            return not_found()
        outcome = await call(
            providers.set_provider_active,
            actor_id=actor,
            provider_id=parse_id(provider_id) or 0,
            active=bool(active),
            now=utc_now(),
        )
        if not outcome.ok:
            async with self:
                self.errors, self.notice = outcome.errors, ""
            return
        return AdminProvidersState.load

    @rx.event
    async def upload_receipt(self, files: list[rx.UploadFile]):
        # Upload handlers cannot run in the background; storing one small picture is quick.
        actor = await acting_operator_id(self)
        if not actor:
            return not_found()
        if not files:
            self.errors = {**self.errors, RECEIPT: texts.error_text("upload_required")}
            return
        # Read one byte past the limit: enough to know it is too big without holding more.
        data = await files[0].read(images.MAX_IMAGE_BYTES + 1)
        outcome = await call(images.store_image, actor_id=actor, data=data, now=utc_now())
        if not outcome.ok:
            # Whatever refused the picture, the message goes next to it.
            self.errors = {**self.errors, RECEIPT: outcome.message}
            return
        self.fields = {**self.fields, RECEIPT: outcome.value}
        self.errors = {key: value for key, value in self.errors.items() if key != RECEIPT}
