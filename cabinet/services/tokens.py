"""One-time links sent by e-mail: random, single-use, expiring, purpose-bound, stored hashed."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlmodel import Session, select

from cabinet.errors import DomainError
from cabinet.models import OneTimeToken, TokenPurpose

# The field a refusal of a link belongs to: the page behind the link shows it instead of its form.
LINK = "link"

LIFETIMES = {
    TokenPurpose.confirm_email: dt.timedelta(hours=24),
    TokenPurpose.reset_password: dt.timedelta(hours=1),
    TokenPurpose.change_email: dt.timedelta(hours=24),
    # Sent by a platform administrator to someone who may not read mail every day.
    TokenPurpose.staff_invitation: dt.timedelta(hours=72),
}


def token_digest(raw_token: str) -> str:
    # A stolen database must not yield working links: only the digest is stored.
    return hashlib.sha256(raw_token.encode()).hexdigest()


def issue_token(
    *,
    session: Session,
    user_id: int,
    purpose: TokenPurpose,
    now: dt.datetime,
    new_email: str | None = None,
    password_hash: str | None = None,
    replace_earlier: bool = True,
) -> str:
    """A new link token; earlier unused tokens of the same purpose stop working unless
    `replace_earlier` is off (competing sign-ups of one address: see services/signups.py)."""
    if replace_earlier:
        revoke_tokens(session=session, user_id=user_id, purpose=purpose, now=now)
    raw_token = secrets.token_urlsafe(32)
    session.add(
        OneTimeToken(
            user_id=user_id,
            purpose=purpose,
            token_hash=token_digest(raw_token),
            new_email=new_email,
            password_hash=password_hash,
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    session.flush()
    return raw_token


def revoke_tokens(*, session: Session, user_id: int, purpose: TokenPurpose, now: dt.datetime) -> None:
    """Every unused link of this purpose stops working."""
    for earlier in session.exec(
        select(OneTimeToken).where(
            OneTimeToken.user_id == user_id,
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),  # type: ignore[union-attr]
        )
    ):
        earlier.used_at = now
        session.add(earlier)


def find_token(*, session: Session, raw_token: str, purpose: TokenPurpose) -> OneTimeToken:
    """The stored token for a link, whatever its state; DomainError('token_invalid') if none."""
    if not raw_token or len(raw_token) > 200:
        raise DomainError("token_invalid", field=LINK)
    token = session.exec(select(OneTimeToken).where(OneTimeToken.token_hash == token_digest(raw_token))).first()
    # A token of another purpose is as good as none: a reset link never confirms an address.
    if token is None or token.purpose != purpose:
        raise DomainError("token_invalid", field=LINK)
    return token


def check_usable(token: OneTimeToken, *, now: dt.datetime) -> None:
    if token.used_at is not None:
        raise DomainError("token_used", field=LINK)
    if token.expires_at <= now:
        raise DomainError("token_expired", field=LINK)


def consume_token(*, session: Session, raw_token: str, purpose: TokenPurpose, now: dt.datetime) -> OneTimeToken:
    """Marks the token used and returns it; raises token_invalid / token_used / token_expired."""
    token = find_token(session=session, raw_token=raw_token, purpose=purpose)
    check_usable(token, now=now)
    # Compare-and-set: of two simultaneous clicks on one link, only one may win.
    updated = session.execute(
        OneTimeToken.__table__.update()
        .where(OneTimeToken.__table__.c.id == token.id, OneTimeToken.__table__.c.used_at.is_(None))
        .values(used_at=now)
    )
    if updated.rowcount != 1:
        raise DomainError("token_used", field=LINK)
    session.refresh(token)
    return token
