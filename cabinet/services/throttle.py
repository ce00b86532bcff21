"""Slows password guessing: too many failures for one address or one client lock sign-in a while."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from cabinet.models import LoginAttempt

WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_CLIENT = 20


def _recent_failures(
    session: Session, *, column, value: str, now: dt.datetime, reset_by_success: bool
) -> list[dt.datetime]:
    since = now - WINDOW
    if reset_by_success:
        last_success = session.exec(
            select(LoginAttempt.created_at)
            .where(column == value, LoginAttempt.succeeded, LoginAttempt.created_at > since)
            .order_by(col(LoginAttempt.created_at).desc())
            .limit(1)
        ).first()
        if last_success is not None:
            since = last_success
    return list(
        session.exec(
            select(LoginAttempt.created_at)
            .where(column == value, ~col(LoginAttempt.succeeded), LoginAttempt.created_at > since)
            .order_by(col(LoginAttempt.created_at))
        )
    )


def _locked_until(failures: list[dt.datetime], limit: int) -> dt.datetime | None:
    if len(failures) < limit:
        return None
    # The lock lifts when the limit-th most recent failure leaves the window.
    return failures[-limit] + WINDOW


def sign_in_locked_until(
    *, session: Session, email_canonical: str, client_address: str, now: dt.datetime
) -> dt.datetime | None:
    """When sign-in may be tried again, or None when it may be tried now."""
    candidates = [
        _locked_until(
            _recent_failures(
                session,
                column=LoginAttempt.email_canonical,
                value=email_canonical,
                now=now,
                reset_by_success=True,
            ),
            MAX_FAILURES_PER_EMAIL,
        )
    ]
    if client_address:
        candidates.append(
            _locked_until(
                # A guesser holding one real account must not reset its own
                # per-client counter by signing in to it between guesses.
                _recent_failures(
                    session,
                    column=LoginAttempt.client_address,
                    value=client_address,
                    now=now,
                    reset_by_success=False,
                ),
                MAX_FAILURES_PER_CLIENT,
            )
        )
    times = [moment for moment in candidates if moment is not None and moment > now]
    return max(times) if times else None


def record_attempt(
    *, session: Session, email_canonical: str, client_address: str, succeeded: bool, now: dt.datetime
) -> None:
    session.add(
        LoginAttempt(
            email_canonical=email_canonical[:320],
            client_address=client_address[:64],
            succeeded=succeeded,
            created_at=now,
        )
    )
