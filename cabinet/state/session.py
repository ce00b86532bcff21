"""Who is signed in: the browser's session token and the guard every private page uses."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import urllib.parse

import reflex as rx

from cabinet.db import session_scope
from cabinet.models import UserRole
from cabinet.clock import utc_now
from cabinet.services import auth, sessions

LOGIN_ROUTE = "/login"
logger = logging.getLogger(__name__)


def safe_next_path(candidate: str) -> str:
    """A local path to return to after sign-in; anything else (other sites, //host) becomes «/»."""
    if candidate.startswith("/") and not candidate.startswith("//") and "\\" not in candidate:
        return candidate
    return "/"


class SessionState(rx.State):
    # LocalStorage with sync: signing out in one tab empties the token in every open tab.
    session_token: str = rx.LocalStorage("", name="cabinet_session", sync=True)
    # A cookie without max-age dies with the browser: that ends sessions without «Запомнить меня».
    browser_marker: str = rx.Cookie("", name="cabinet_browser", same_site="strict", path="/")

    user_id: int = 0
    user_email: str = ""
    user_name: str = ""
    is_admin: bool = False
    # False until the first check of this tab: pages that differ by sign-in wait for it.
    session_checked: bool = False

    @rx.var
    def signed_in(self) -> bool:
        return self.session_token != "" and self.user_id > 0

    def _client_address(self) -> str:
        return self.router.session.client_ip or ""

    def _user_agent(self) -> str:
        return self.router.headers.user_agent or ""

    def _forget(self) -> None:
        self.session_token = ""
        self.user_id = 0
        self.user_email = ""
        self.user_name = ""
        self.is_admin = False

    def _resolve(self) -> bool:
        """Re-reads the session from the database; clears everything when it is no longer valid."""
        self.session_checked = True
        if not self.session_token:
            self._forget()
            return False
        now = utc_now()
        with session_scope() as db:
            # Reading only: this runs on the event loop for every event of a signed-in tab, and a
            # write there could wait on SQLite's write lock while every other tab waits with it.
            who = sessions.signed_in(session=db, raw_token=self.session_token, now=now)
            if who is not None and not who.remember and not self.browser_marker:
                # The browser was closed since sign-in without «Запомнить меня».
                sessions.end_session(session=db, raw_token=self.session_token, now=now)
                who = None
            if who is None:
                self._forget()
                return False
            self.user_id = who.user_id
            self.user_email = who.email
            self.user_name = who.full_name
            self.is_admin = who.role == UserRole.admin
            touch = sessions.touch_due(who, now)
        if touch:
            _touch_later(self.session_token, now)
        return True

    def _user_id_now(self) -> int:
        """The signed-in user's id, checked against the database now; 0 when nobody is."""
        return self.user_id if self._resolve() else 0

    def _login_redirect(self) -> rx.event.EventSpec:
        path = self.router.url.path or "/"
        query = self.router.url.query
        target = path + (f"?{query}" if query else "")
        return rx.redirect(f"{LOGIN_ROUTE}?next={urllib.parse.quote(target, safe='')}")

    @rx.event
    def check_session(self):
        """on_load of private pages: sends an anonymous visitor to sign in and back."""
        if not self._resolve():
            return self._login_redirect()

    @rx.event
    def check_admin(self):
        """on_load of admin pages: anyone but an admin sees «not found»."""
        if not self._resolve() or not self.is_admin:
            return rx.redirect("/404", replace=True)

    @rx.event
    def refresh(self):
        """on_load of public pages: knows who is signed in, redirects nobody."""
        self._resolve()

    def _adopt(self, *, token: str, remember: bool) -> None:
        """Keeps a new session's token in this browser and loads who it belongs to."""
        self.session_token = token
        self.browser_marker = "remembered" if remember else "browser-session"
        self._resolve()

    @rx.event(background=True)
    async def sign_out(self):
        async with self:
            token = self.session_token
            self._forget()
            self.browser_marker = ""
        if token:
            await asyncio.to_thread(_end_session, token)
        return rx.redirect(LOGIN_ROUTE)


def _touch_later(token: str, now: dt.datetime) -> None:
    """Slides the session's expiry on a worker thread; the event that asked goes on meanwhile."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no event loop: a command or a test, write now
        _touch(token, now)
        return
    loop.run_in_executor(None, _touch, token, now)


def _touch(token: str, now: dt.datetime) -> None:
    try:
        with session_scope() as db:
            sessions.touch_session(session=db, raw_token=token, now=now)
    except Exception:  # a missed slide only shortens the session by a minute; never fail a page for it
        logger.exception("Could not slide a session's expiry")


def _end_session(token: str) -> None:
    with session_scope() as db:
        auth.sign_out(session=db, raw_token=token, now=utc_now())
