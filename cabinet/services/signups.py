"""Pending sign-ups of an unconfirmed address: each one's password travels with its own link."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from cabinet.models import OneTimeToken, TokenPurpose, User
from cabinet.services.tokens import issue_token, revoke_tokens

# Anyone may sign up with anyone's address. Until the mailbox owner opens a link, no sign-up's
# password is the account's: the link that is opened decides, and the others die with it.


def issue_signup_link(*, session: Session, user_id: int, password_hash: str, now: dt.datetime) -> str:
    """A confirmation link carrying this sign-up's password; other pending links stay alive,
    so a stranger signing up later cannot kill the owner's letter."""
    return issue_token(
        session=session, user_id=user_id, purpose=TokenPurpose.confirm_email, now=now,
        password_hash=password_hash, replace_earlier=False,
    )


def newest_signup(*, session: Session, user_id: int) -> OneTimeToken | None:
    return session.exec(
        select(OneTimeToken)
        .where(OneTimeToken.user_id == user_id, OneTimeToken.purpose == TokenPurpose.confirm_email)
        .order_by(col(OneTimeToken.created_at).desc(), col(OneTimeToken.id).desc())
        .limit(1)
    ).first()


def pending_password_hash(*, session: Session, user: User) -> str:
    """The password of the newest sign-up whose letter went out (links from before sign-ups
    kept their password carry none: then the account's own)."""
    assert user.id is not None
    newest = newest_signup(session=session, user_id=user.id)
    return newest.password_hash if newest is not None and newest.password_hash else user.password_hash


def reissue_newest_signup(*, session: Session, user: User, now: dt.datetime) -> str:
    """A fresh link for the newest sign-up; it replaces that sign-up's previous link only."""
    assert user.id is not None
    password_hash = pending_password_hash(session=session, user=user)
    newest = newest_signup(session=session, user_id=user.id)
    if newest is not None and newest.used_at is None:
        newest.used_at = now
        session.add(newest)
    return issue_signup_link(session=session, user_id=user.id, password_hash=password_hash, now=now)


def settle_signup(*, session: Session, user: User, opened: OneTimeToken, now: dt.datetime) -> None:
    """The mailbox owner opened this sign-up's link: its password becomes the account's, and
    every other pending sign-up dies (its link stops working, its password never works)."""
    assert user.id is not None
    if opened.password_hash:
        user.password_hash = opened.password_hash
        session.add(user)
    end_pending_signups(session=session, user_id=user.id, now=now)


def end_pending_signups(*, session: Session, user_id: int, now: dt.datetime) -> None:
    revoke_tokens(session=session, user_id=user_id, purpose=TokenPurpose.confirm_email, now=now)
