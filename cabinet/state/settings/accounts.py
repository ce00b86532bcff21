"""State of «Подключение ЛС» in /settings: the resident's accounts, renamed or unlinked one at a time."""

from __future__ import annotations

import reflex as rx

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.services import account_links
from cabinet.services.account_links import LinkedAccount
from cabinet.services.ids import parse_id
from cabinet.state.calls import Outcome, call
from cabinet.state.page_data import PageData, load_failed, mark_loaded
from cabinet.state.session import current_user_id, page_user_id

__all__ = ["LinkedAccount", "SettingsAccountsState"]


class SettingsAccountsState(PageData, rx.State):
    linked: list[LinkedAccount] = []
    notice: str = ""
    error: str = ""

    @rx.event
    async def load(self):
        user_id = await page_user_id(self)
        if not user_id:
            return
        outcome = await call(account_links.linked_accounts, user_id=user_id)
        self._show(outcome, outcome.value, notice="")
        if outcome.ok:
            await mark_loaded(self)
        else:
            await load_failed(self, outcome.message)

    @rx.event
    async def rename(self, form: dict):
        """The form of one account: its id comes in a hidden input, beside the new name."""
        user_id = await current_user_id(self)
        # From the browser: anything not an id is looked up as 0, which is «not found».
        account_id = parse_id(form.get("account_id", "")) or 0
        outcome = await call(
            account_links.save_nickname,
            user_id=user_id,
            account_id=account_id,
            nickname=str(form.get("nickname", "")),
            now=utc_now(),
        )
        self._show(outcome, outcome.value, notice=texts.SETTINGS["nickname_saved"])

    @rx.event
    async def unlink(self, account_id: int):
        user_id = await current_user_id(self)
        outcome = await call(
            account_links.remove_account,
            user_id=user_id,
            account_id=parse_id(account_id) or 0,
            now=utc_now(),
            client_address=self.router.session.client_ip or "",
        )
        unlinked = outcome.value
        self._show(
            outcome,
            unlinked.linked if unlinked else None,
            notice=texts.SETTINGS["unlinked"].format(number=unlinked.number) if unlinked else "",
        )

    def _show(self, outcome: Outcome, linked: list[LinkedAccount] | None, *, notice: str) -> None:
        """The accounts as they are now and the notice, or the refusal (the list stays as it was)."""
        self.error = outcome.message
        self.notice = notice if outcome.ok else ""
        if linked is not None:
            self.linked = linked
