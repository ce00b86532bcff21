"""State of /admin/registry: a provider's registry file checked on upload, then imported with a progress bar."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services import registry_uploads
from cabinet.services.admin import registry_help
from cabinet.services.ids import parse_id
from cabinet.services.registry import RegistryPreview
from cabinet.state.admin.lines import Figure
from cabinet.state.admin.operator import acting_operator_id, not_found, provider_choices
from cabinet.state.calls import call
from cabinet.state.display import Choice
from cabinet.state.page_data import PageData, load_failed, mark_loaded

# The most row errors shown; the rest are counted.
SHOWN_ERRORS = 200
# How often the progress bar moves while an import runs.
PROGRESS_EVERY_SECONDS = 0.3


@dataclasses.dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


class AdminRegistryState(PageData, rx.State):
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
    # The provider the shown preview was checked for, by name: the preview's heading says it.
    preview_for: str = ""

    @rx.var
    def can_import(self) -> bool:
        return self.previewed and not self.row_errors and not self.importing and self.upload_name != ""

    @rx.var
    def provider_name(self) -> str:
        return next((choice.label for choice in self.providers if choice.value == self.provider), "")

    @rx.event(background=True)
    async def load(self):
        async with self:
            actor = await acting_operator_id(self)
        if not actor:
            return not_found()
        # Importing changes a provider's accounts: only the providers this staff member operates are offered.
        choices = await provider_choices(actor, operated=True)
        if choices is None:
            async with self:
                await load_failed(self, texts.ERRORS["unexpected"])
            return
        async with self:
            self.providers = choices
            if self.provider not in {choice.value for choice in choices}:
                self.provider = choices[0].value if choices else ""
            if not self.importing:
                # The page opened afresh: a file checked on an earlier visit is not offered again.
                self._forget_preview()
                self._drop_upload()
            await mark_loaded(self)

    @rx.event
    def set_provider(self, value: str) -> None:
        # Only an id is kept: the upload and the import read it back with int().
        self.provider = str(parse_id(value) or "")
        self._forget_preview()
        self._drop_upload()  # checked against another provider: of no use for this one

    def _forget_preview(self) -> None:
        self.previewed, self.counts, self.row_errors, self.errors_more = False, [], [], 0
        self.preview_for = ""
        self.notice = self.error = ""
        self.progress = 0

    def _drop_upload(self) -> None:
        registry_uploads.discard_registry_upload(self.upload_name)
        self.upload_name = ""

    @rx.event
    async def upload_registry(self, files: list[rx.UploadFile]):
        # Upload handlers cannot run in the background; the preview reads the file once.
        actor = await acting_operator_id(self)
        if not actor:
            return not_found()
        self._forget_preview()
        replacing, self.upload_name = self.upload_name, ""
        if not files or not self.provider:
            registry_uploads.discard_registry_upload(replacing)
            self.error = texts.error_text("upload_required")
            return
        # Copied to disk in chunks and previewed off the event loop; kept only if it can be imported.
        outcome = await call(
            registry_uploads.check_registry_upload,
            actor_id=actor,
            provider_id=int(self.provider),
            upload=files[0].file,
            replacing=replacing,
        )
        if not outcome.ok:
            self.error = outcome.message
            return
        self.upload_name, self.file_name = outcome.value.name, files[0].filename or ""
        self._show_preview(outcome.value.preview)

    def _show_preview(self, preview: RegistryPreview) -> None:
        labels = texts.ADMIN["registry_counts"]
        # With errors nothing was compared: counts would only be zeros.
        self.counts = [] if preview.errors else [Figure(key, labels[key], str(getattr(preview, key))) for key in labels]
        shown = preview.errors[:SHOWN_ERRORS]
        self.row_errors = [RowError(error.line, error.column, error.message) for error in shown]
        self.errors_more = preview.error_count - len(shown)
        self.previewed = True
        self.preview_for = self.provider_name

    @rx.event(background=True)
    async def import_now(self):
        async with self:
            actor = await acting_operator_id(self)
            if not actor:
                return not_found()
            if not self.can_import:
                return
            self.importing, self.progress, self.notice, self.error = True, 0, "", ""
            provider_id, upload_name = int(self.provider), self.upload_name
        done = {"rows": 0, "total": 1}

        def progress(rows: int, total: int) -> None:
            done["rows"], done["total"] = rows, max(total, 1)

        job = asyncio.ensure_future(
            call(
                registry_uploads.import_registry_upload,
                actor_id=actor,
                provider_id=provider_id,
                name=upload_name,
                now=utc_now(),
                progress=progress,
            )
        )
        while not job.done():
            await asyncio.sleep(PROGRESS_EVERY_SECONDS)
            async with self:
                self.progress = min(99, done["rows"] * 100 // done["total"])
        outcome = job.result()
        async with self:
            self.importing = False
            if not outcome.ok:
                self.error = outcome.message
                if outcome.error.code == "registry_upload_gone":
                    self.upload_name = ""
                return
            self.progress, self.upload_name = 100, ""
            self._show_preview(outcome.value)
            self.previewed = False
            self.notice = texts.ADMIN["registry_imported"]

    @rx.event(background=True)
    async def download_sample(self):
        """«Скачать пример для …»: the chosen provider's sample registry."""
        return await sample_download(self)


async def sample_download(state) -> rx.event.EventSpec | None:
    """The chosen provider's sample registry as a download, for any State with `provider` and `error`.

    Call it from a background event: it takes the State's lock itself.
    """
    async with state:
        actor = await acting_operator_id(state)
        provider = state.provider
    if not actor:
        return not_found()
    outcome = await call(registry_help.registry_sample, actor_id=actor, provider_id=provider, now=utc_now())
    if not outcome.ok:
        async with state:
            state.error = outcome.message
        return None
    return rx.download(data=outcome.value.data, filename=outcome.value.filename)
