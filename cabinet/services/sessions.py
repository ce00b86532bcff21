"""Signed-in browsers: random tokens (stored hashed), sliding expiry, revocation."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from cabinet.models import LoginSession, StaffMembership, User, UserRole
from cabinet.services.tokens import token_digest
from cabinet.services.transactions import transactional

REMEMBERED_LIFETIME = dt.timedelta(days=30)
# Without «Запомнить меня» the browser's session cookie ends the session when the browser
# closes; this idle limit is the server's own backstop for a browser that is never closed.
BROWSER_SESSION_IDLE_LIFETIME = dt.timedelta(hours=12)
# Writing last_seen on every page view would turn reads into writes; a minute is precise enough.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


def _lifetime(remember: bool) -> dt.timedelta:
    return REMEMBERED_LIFETIME if remember else BROWSER_SESSION_IDLE_LIFETIME


def start_session(
    *,
    session: Session,
    user_id: int,
    remember: bool,
    now: dt.datetime,
    client_address: str = "",
    user_agent: str = "",
) -> str:
    raw_token = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            user_id=user_id,
            token_hash=token_digest(raw_token),
            remember=remember,
            client_address=client_address[:64],
            user_agent=user_agent[:300],
            created_at=now,
            last_seen_at=now,
            expires_at=now + _lifetime(remember),
        )
    )
    session.flush()
    return raw_token


def _digest(raw_token: str) -> str | None:
    """The stored form of a browser token; None for one that cannot be ours (empty, oversized)."""
    if not raw_token or len(raw_token) > 200:
        return None
    return token_digest(raw_token)


def _find(session: Session, raw_token: str) -> LoginSession | None:
    digest = _digest(raw_token)
    if digest is None:
        return None
    return session.exec(select(LoginSession).where(LoginSession.token_hash == digest)).first()


# What makes a session valid at `now`, in one place for every query below (all built once: the
# pages' check runs on every event of a signed-in tab).
_LIVE = (
    LoginSession.token_hash == sa.bindparam("token_hash"),
    LoginSession.revoked_at.is_(None),  # type: ignore[union-attr]
    LoginSession.expires_at > sa.bindparam("now"),
)
_SIGNED_IN_RULES = (*_LIVE, User.is_blocked.is_(False))  # type: ignore[attr-defined]
_LIVE_SESSION = select(LoginSession).where(*_LIVE)
_SESSION_WITH_USER = (
    select(LoginSession, User).join(User, User.id == LoginSession.user_id).where(*_SIGNED_IN_RULES)  # type: ignore[arg-type]
)


@dataclass(frozen=True)
class SignedIn:
    """Who a browser token belongs to: what the pages show and check, nothing more."""

    user_id: int
    email: str
    full_name: str
    role: UserRole
    remember: bool
    last_seen_at: dt.datetime
    # Whether some provider lists them as its operator or viewer (services/access.py has the rules).
    works_for_a_provider: bool = False

    @property
    def is_platform_admin(self) -> bool:
        return self.role == UserRole.admin

    @property
    def is_staff(self) -> bool:
        """Whether the admin pages open for them at all; each admin service checks the scope again."""
        return self.is_platform_admin or self.works_for_a_provider


# Plain columns, not ORM rows: loading two ORM objects costs twice the query itself.
_SIGNED_IN = (
    sa.select(
        User.id,
        User.email,
        User.full_name,
        User.role,
        LoginSession.remember,
        LoginSession.last_seen_at,
        sa.exists().where(StaffMembership.user_id == User.id),
    )
    .join(User, User.id == LoginSession.user_id)  # type: ignore[arg-type]
    .where(*_SIGNED_IN_RULES)
)


def signed_in(*, session: Session, raw_token: str, now: dt.datetime) -> SignedIn | None:
    """The pages' check: resolve_session's answer, reading only (the slide is touch_session's)."""
    digest = _digest(raw_token)
    if digest is None:
        return None
    row = session.connection().execute(_SIGNED_IN, {"token_hash": digest, "now": now}).first()
    return SignedIn(*row) if row is not None else None


@transactional()
def identify(*, session: Session, raw_token: str, browser_alive: bool, now: dt.datetime) -> SignedIn | None:
    """Every event's check of who a tab belongs to: the live session, or None.

    A session without «Запомнить меня» ends when the browser that opened it has closed (the tab no
    longer carries its per-browser cookie). The expiry slides at most once a minute, so nearly every
    call only reads.
    """
    who = signed_in(session=session, raw_token=raw_token, now=now)
    if who is not None and not who.remember and not browser_alive:
        end_session(session=session, raw_token=raw_token, now=now)
        session.flush()
        return None
    if who is not None and touch_due(who, now):
        touch_session(session=session, raw_token=raw_token, now=now)
        session.flush()
    return who


def touch_due(login: LoginSession | SignedIn, now: dt.datetime) -> bool:
    """Whether this view should slide the session's expiry (at most once a minute)."""
    return now - login.last_seen_at >= TOUCH_INTERVAL


def _slide(session: Session, login: LoginSession, now: dt.datetime) -> None:
    if touch_due(login, now):
        login.last_seen_at = now
        login.expires_at = now + _lifetime(login.remember)
        session.add(login)


def touch_session(*, session: Session, raw_token: str, now: dt.datetime) -> None:
    """Slides a session's expiry from `now`; does nothing to an ended or expired one."""
    digest = _digest(raw_token)
    login = session.exec(_LIVE_SESSION, params={"token_hash": digest, "now": now}).first() if digest else None
    if login is not None:
        _slide(session, login, now)


def resolve_session(*, session: Session, raw_token: str, now: dt.datetime) -> tuple[User, LoginSession] | None:
    """The signed-in user for a browser token, sliding its expiry; None when not valid."""
    digest = _digest(raw_token)
    found = session.exec(_SESSION_WITH_USER, params={"token_hash": digest, "now": now}).first() if digest else None
    if found is None:
        return None
    login, user = found
    _slide(session, login, now)
    return user, login


def end_session(*, session: Session, raw_token: str, now: dt.datetime) -> None:
    login = _find(session, raw_token)
    if login is not None and login.revoked_at is None:
        login.revoked_at = now
        session.add(login)


def end_sessions_of(*, session: Session, user_id: int, now: dt.datetime, except_raw_token: str | None = None) -> int:
    """Ends every session of a user (but the one given); returns how many were ended."""
    keep = token_digest(except_raw_token) if except_raw_token else None
    ended = 0
    for login in session.exec(
        select(LoginSession).where(
            LoginSession.user_id == user_id,
            LoginSession.revoked_at.is_(None),  # type: ignore[union-attr]
        )
    ):
        if login.token_hash != keep:
            login.revoked_at = now
            session.add(login)
            ended += 1
    return ended
