"""«Мои данные»: the resident's archive prepared on request, downloaded once by a link that works for a day.

The request is in the audit log, as is the download; at most DAILY_LIMIT archives a day and one at a time, so
the button cannot be used to load the database. The bytes stay in the database (any worker serves the link)
until downloaded, until the day is over (`sweep_archives`, hourly) or until the cabinet closes.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, col, delete, func, select, update

from cabinet.errors import DomainError
from cabinet.models import AuditEvent, DataArchive, DataArchiveStatus, User
from cabinet.services.archive_files import archive_name, render_archive
from cabinet.services.audit import record_event
from cabinet.services.resident_data import collect
from cabinet.services.tokens import token_digest
from cabinet.services.transactions import transactional

logger = logging.getLogger(__name__)
LINK_LIFETIME = dt.timedelta(days=1)
DAILY_LIMIT = 5
# A preparation older than this is taken for dead (its worker stopped): another one may start.
PREPARING_TIMEOUT = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class ReadyArchive:
    """What the page shows: the link's token (once, never stored), the size and until when it works."""

    token: str
    size_bytes: int
    expires_at: dt.datetime
    filename: str


@dataclass(frozen=True)
class DownloadedArchive:
    filename: str
    content: bytes


@transactional()
def _start(*, session: Session, user_id: int, now: dt.datetime, client_address: str) -> tuple[int, str]:
    # The user's row locked: two tabs asking at once are counted one after the other.
    user = session.exec(select(User).where(User.id == user_id).with_for_update()).first()
    if user is None or user.closed_at is not None or user.is_blocked:
        raise DomainError("not_found")
    busy = session.exec(
        select(DataArchive.id).where(
            DataArchive.user_id == user_id,
            DataArchive.status == DataArchiveStatus.preparing,
            DataArchive.created_at > now - PREPARING_TIMEOUT,
        )
    ).first()
    if busy is not None:
        raise DomainError("archive_busy")
    asked_today = session.exec(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.actor_user_id == user_id,
            AuditEvent.action == "data_archive_requested",
            AuditEvent.created_at > now - dt.timedelta(days=1),
        )
    ).one()
    if asked_today >= DAILY_LIMIT:
        raise DomainError("archive_too_many", limit=DAILY_LIMIT)
    token = secrets.token_urlsafe(32)
    archive = DataArchive(
        user_id=user_id, token_hash=token_digest(token), created_at=now, expires_at=now + LINK_LIFETIME
    )
    session.add(archive)
    record_event(
        session=session, action="data_archive_requested", now=now, actor_user_id=user_id, client_address=client_address
    )
    session.flush()
    assert archive.id is not None
    return archive.id, token


@transactional()
def _gather(*, session: Session, user_id: int, now: dt.datetime, progress: Callable[[int], None]) -> bytes:
    return render_archive(collect(session, user_id=user_id, now=now, progress=progress))


@transactional()
def _finish(*, session: Session, archive_id: int, content: bytes | None) -> DataArchive | None:
    archive = session.get(DataArchive, archive_id)
    if archive is None:
        # The cabinet was closed meanwhile, and the archive with it.
        return None
    archive.status = DataArchiveStatus.ready if content is not None else DataArchiveStatus.failed
    archive.content = content
    archive.size_bytes = len(content or b"")
    session.add(archive)
    return archive


def prepare_archive(
    *,
    user_id: int,
    now: dt.datetime,
    client_address: str = "",
    progress: Callable[[int], None] = lambda _percent: None,
) -> ReadyArchive:
    """Records the request, gathers the resident's data (progress 0–80 %), writes the files (90 %) and stores
    them (100 %): three short transactions, so the gathering holds no lock."""
    archive_id, token = _start(user_id=user_id, now=now, client_address=client_address)
    try:
        content = _gather(user_id=user_id, now=now, progress=progress)
    except Exception:
        logger.exception("Archive %s for user %s failed", archive_id, user_id)
        _finish(archive_id=archive_id, content=None)
        raise
    progress(90)
    archive = _finish(archive_id=archive_id, content=content)
    if archive is None:
        raise DomainError("not_found")
    progress(100)
    return ReadyArchive(
        token=token, size_bytes=archive.size_bytes, expires_at=archive.expires_at, filename=archive_name(now)
    )


@transactional()
def take_archive(*, session: Session, raw_token: str, now: dt.datetime, client_address: str = "") -> DownloadedArchive:
    """The archive behind a link, once: the bytes leave the database as they are handed out. A used, expired,
    unknown or malformed link is one refusal (archive_link_invalid)."""
    if not raw_token or len(raw_token) > 200:
        raise DomainError("archive_link_invalid")
    archive = session.exec(select(DataArchive).where(DataArchive.token_hash == token_digest(raw_token))).first()
    if archive is None or archive.status != DataArchiveStatus.ready or archive.content is None:
        raise DomainError("archive_link_invalid")
    if archive.expires_at <= now:
        raise DomainError("archive_link_invalid")
    content = archive.content
    # Compare-and-set: of two downloads at once, one finds the link already used.
    taken = session.exec(
        update(DataArchive)
        .where(col(DataArchive.id) == archive.id, col(DataArchive.downloaded_at).is_(None))
        .values(downloaded_at=now, content=None)
    )
    if taken.rowcount != 1:
        raise DomainError("archive_link_invalid")
    record_event(
        session=session,
        action="data_archive_downloaded",
        now=now,
        actor_user_id=archive.user_id,
        client_address=client_address,
    )
    return DownloadedArchive(filename=archive_name(archive.created_at), content=content)


@transactional()
def sweep_archives(*, session: Session, now: dt.datetime) -> int:
    """Deletes the archives whose day is over, downloaded or not; returns how many."""
    result = session.exec(delete(DataArchive).where(col(DataArchive.expires_at) <= now))
    return int(result.rowcount or 0)
