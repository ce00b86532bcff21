"""Who is signed in: the browser's session token and the guard every private page uses."""

from __future__ import annotations

import time
import urllib.parse

import reflex as rx

from cabinet.clock import utc_now
from cabinet.services import auth, sessions
from cabinet.state.calls import call
from cabinet.state.page_data import forget_previous_page

LOGIN_ROUTE = "/login"
# A page's loads run right after its on_load's session check, in the same chain on the server: within
# this many seconds they take that check's answer rather than ask the database again (the payment page
# asked three times per opening). Actions never do: each checks afresh.
PAGE_CHECK_REUSE_SECONDS = 5.0


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
    # May open the admin pages (a platform administrator, a provider's operator or viewer).
    is_staff: bool = False
    # Providers and staff are theirs to manage.
    is_platform_admin: bool = False
    # False until the first check of this tab: pages that differ by sign-in wait for it.
    session_checked: bool = False
    # When (time.time(): tabs move between workers) and for which token the database last said yes.
    _checked_at: float = 0.0
    _checked_token: str = ""

    @rx.var
    def signed_in(self) -> bool:
        return self.session_token != "" and self.user_id > 0

    def _assign(self, **values: object) -> None:
        """Sets only what differs: a check that changes nothing sends the browser no update (and every
        component showing who is signed in is not drawn again on each page's opening)."""
        for name, value in values.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    def _forget(self) -> None:
        self._assign(session_token="", user_id=0, user_email="", user_name="", is_staff=False, is_platform_admin=False)

    async def _resolve(self) -> bool:
        """Re-reads the session from the database; clears everything when it is no longer valid."""
        self._assign(session_checked=True)
        self._checked_at, self._checked_token = 0.0, ""
        if not self.session_token:
            self._forget()
            return False
        outcome = await call(
            sessions.identify, raw_token=self.session_token, browser_alive=bool(self.browser_marker), now=utc_now()
        )
        if not outcome.ok:
            # The database did not answer: this event is refused, but the resident stays signed in.
            return False
        who = outcome.value
        if who is None:
            self._forget()
            return False
        self._assign(
            user_id=who.user_id,
            user_email=who.email,
            user_name=who.full_name,
            is_staff=who.is_staff,
            is_platform_admin=who.is_platform_admin,
        )
        self._checked_at, self._checked_token = time.time(), self.session_token
        return True

    def _checked_just_now(self) -> bool:
        """The session was found valid for the token the tab holds now, a moment ago."""
        return (
            self.user_id > 0
            and self.session_token != ""
            and self._checked_token == self.session_token
            and 0 <= time.time() - self._checked_at < PAGE_CHECK_REUSE_SECONDS
        )

    @rx.event
    async def open_private_page(self):
        """First on_load of private pages: the previous page's data goes, an anonymous visitor signs in first.

        One event for both (and one update), as each event of a page's opening is a render in the browser.
        """
        await forget_previous_page(self)
        return await self._private_only()

    @rx.event
    async def open_admin_page(self):
        """First on_load of admin pages: as `open_private_page`, and anyone but staff sees «not found»."""
        await forget_previous_page(self)
        return await self._staff_only()

    @rx.event
    async def open_public_page(self):
        """First on_load of public pages: the previous page's data goes; who is signed in, nobody sent away."""
        await forget_previous_page(self)
        await self._resolve()

    async def _private_only(self) -> rx.event.EventSpec | None:
        if not await self._resolve():
            return login_redirect(self)
        return None

    async def _staff_only(self) -> rx.event.EventSpec | None:
        if not await self._resolve() or not self.is_staff:
            return rx.redirect("/404", replace=True)
        return None

    @rx.event
    async def check_session(self):
        """Sends an anonymous visitor to sign in and back (the guard's, when another tab signs out)."""
        return await self._private_only()

    @rx.event
    async def check_admin(self):
        """Anyone but staff sees «not found»."""
        return await self._staff_only()

    @rx.event
    async def refresh(self):
        """Knows who is signed in, redirects nobody."""
        await self._resolve()

    @rx.event(background=True)
    async def sign_out(self):
        async with self:
            token = self.session_token
            self._forget()
            self.browser_marker = ""
        if token:
            await call(auth.sign_out, raw_token=token, now=utc_now())
        return rx.redirect(LOGIN_ROUTE)


async def current_user_id(state: rx.State) -> int:
    """The id of whoever is signed in in `state`'s tab, checked against the database now; 0 when nobody is.

    Every event that acts for a resident asks this first: a session ended in another tab, by a password
    change or by blocking ends here too. Inside a background event, call it within `async with self`.
    """
    session_state = await state.get_state(SessionState)
    return session_state.user_id if await session_state._resolve() else 0


async def page_user_id(state: rx.State) -> int:
    """`current_user_id` for a page's load: the on_load's check a moment before answers, if there was one.

    Only for showing a page (what it shows is the resident's own, read afresh); anything that acts
    asks `current_user_id`.
    """
    session_state = await state.get_state(SessionState)
    if session_state._checked_just_now():
        return session_state.user_id
    return session_state.user_id if await session_state._resolve() else 0


async def adopt_session(state: rx.State, *, token: str, remember: bool) -> None:
    """Keeps a new session's token in this browser and loads who it belongs to."""
    session_state = await state.get_state(SessionState)
    session_state.session_token = token
    session_state.browser_marker = "remembered" if remember else "browser-session"
    await session_state._resolve()


def login_redirect(state: rx.State) -> rx.event.EventSpec:
    """To the sign-in page, and back afterwards to the page `state`'s tab is on."""
    path = state.router.url.path or "/"
    query = state.router.url.query
    target = path + (f"?{query}" if query else "")
    return rx.redirect(f"{LOGIN_ROUTE}?next={urllib.parse.quote(target, safe='')}")
