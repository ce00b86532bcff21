"""State of /unsubscribe/<token>: the reminder letter's one-click link, honoured on opening, no sign-in needed."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.services.unsubscribe import unsubscribe
from cabinet.state.calls import call
from cabinet.state.page_data import PageData, mark_loaded


class UnsubscribeState(PageData, rx.State):
    """Opening the link turns its one kind off (the letter promises one click); the page says which."""

    status: str = "checking"  # checking | done | problem
    message: str = ""

    @rx.event(background=True)
    async def load(self):
        async with self:
            self.status, self.message = "checking", ""
            token = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        outcome = await call(unsubscribe, token=token)
        async with self:
            if outcome.ok:
                switch = texts.REMINDER_SWITCHES[str(outcome.value)]
                self.status, self.message = "done", texts.UNSUBSCRIBE["done"].format(switch=switch)
            else:
                self.status, self.message = "problem", outcome.message
            await mark_loaded(self)
