"""E-mail addresses as logins: validation (IDN domains included), the canonical form, whose account it is."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, select

from cabinet import texts
from cabinet.errors import DomainError
from cabinet.models import User


@dataclass(frozen=True)
class EmailAddress:
    display: str  # as typed, domain lower-cased and in Unicode: what we show and mail to
    canonical: str  # fully lower-cased: one account per mailbox whatever the case


def parse_email(text: str) -> EmailAddress:
    """Raises DomainError('email_required' | 'email_invalid') for the field «email»."""
    candidate = text.strip()
    if not candidate:
        raise DomainError("email_required", field="email")
    try:
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError:
        raise DomainError("email_invalid", field="email") from None
    return EmailAddress(display=result.normalized, canonical=result.normalized.lower())


def canonical_email(text: str) -> str:
    """The lookup key for `text`, or its trimmed lower-case form when it is not an address."""
    try:
        return parse_email(text).canonical
    except DomainError:
        return text.strip().lower()


def find_user_by_email(*, session: Session, email_canonical: str) -> User | None:
    """The account that signs in with this address (canonical form), if there is one; a closed cabinet never."""
    return session.exec(
        select(User).where(User.email_canonical == email_canonical, col(User.closed_at).is_(None))
    ).first()


def shown_email(user: User) -> str:
    """A user's address as staff see it: a closed cabinet has none and reads «закрытый кабинет № N»."""
    if user.closed_at is not None:
        return texts.ADMIN["closed_cabinet"].format(id=user.id)
    return user.email
