"""State of «Мои данные» in /settings: the archive prepared off the event loop, its progress, its link."""

from __future__ import annotations

import asyncio

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services import data_archive
from cabinet.state.calls import call
from cabinet.state.local_time import format_local_time
from cabinet.state.session import current_user_id

# How often the page hears how far the archive has got.
PROGRESS_INTERVAL_SECONDS = 0.25


class _Progress:
    """The share done, written by the service on its worker thread and read by the event on the loop."""

    def __init__(self) -> None:
        self.percent = 0

    def __call__(self, percent: int) -> None:
        self.percent = percent


class SettingsDataState(rx.State):
    preparing: bool = False
    progress: int = 0
    # The link lives in this tab's state only (the database keeps its digest) and goes when the page is left.
    link: str = ""
    filename: str = ""
    ready_text: str = ""
    error: str = ""

    @rx.event
    def load(self) -> None:
        if not self.preparing:
            self.link = self.ready_text = self.error = ""
            self.progress = 0

    @rx.event
    def download(self):
        """Hands the link to the browser to download, once: it works once, so the page forgets it and says so."""
        if not self.link:
            return None
        link, self.link = self.link, ""
        self.ready_text = texts.SETTINGS["data_downloaded"]
        return rx.download(url=link, filename=self.filename)

    @rx.event(background=True)
    async def prepare(self):
        async with self:
            if self.preparing:
                return
            user_id = await current_user_id(self)
            if not user_id:
                return
            self.preparing, self.progress = True, 0
            self.link = self.ready_text = self.error = ""
            client_address = self.router.session.client_ip or ""
        progress = _Progress()
        task = asyncio.ensure_future(
            call(
                data_archive.prepare_archive,
                user_id=user_id,
                now=utc_now(),
                client_address=client_address,
                progress=progress,
            )
        )
        while not task.done():
            await asyncio.wait({task}, timeout=PROGRESS_INTERVAL_SECONDS)
            async with self:
                self.progress = progress.percent
        outcome = task.result()
        async with self:
            self.preparing = False
            if not outcome.ok:
                self.error = outcome.message
                return
            ready = outcome.value
            assert ready is not None
            self.progress = 100
            self.link, self.filename = f"/api/my-data/{ready.token}", ready.filename
            self.ready_text = texts.SETTINGS["data_ready"].format(
                size=texts.SETTINGS["data_size_kb"].format(size=max(1, round(ready.size_bytes / 1024))),
                expires=format_local_time(ready.expires_at),
            )
