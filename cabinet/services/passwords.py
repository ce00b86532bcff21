"""Password hashing with bcrypt; callers run it off the event loop (it is slow on purpose)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import bcrypt

from cabinet.config import get_settings
from cabinet.errors import DomainError

# bcrypt reads only the first 72 bytes; the policy keeps passwords far shorter anyway.
_BCRYPT_MAX_BYTES = 72


Function = TypeVar("Function", bound=Callable[..., object])


def hashes_passwords(function: Function) -> Function:
    """Marks a service entry that hashes or checks a password (bcrypt, ~0.2 s at cost 12), so the State
    helper runs it on the hashing pool rather than the threads every page load shares."""
    function.hashes_passwords = True  # type: ignore[attr-defined]
    return function


def hash_password(password: str, *, rounds: int | None = None) -> str:
    salt = bcrypt.gensalt(rounds or get_settings().bcrypt_rounds)
    return bcrypt.hashpw(password.encode()[:_BCRYPT_MAX_BYTES], salt).decode()


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode()[:_BCRYPT_MAX_BYTES], password_hash.encode())
    except ValueError:
        # A malformed stored hash must never sign anybody in.
        return False


_DUMMY_HASH: str | None = None


def dummy_hash() -> str:
    """A hash to check a password against when there is no account to check it against.

    A wrong address then takes as long as a wrong password, so the timing does not tell which
    addresses have accounts.
    """
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password("dummy0password")
    return _DUMMY_HASH


# --- the instruction's policy: Latin letters and digits only, 5 to 10 characters ---------

PASSWORD_RULES = ("latin_and_digits", "length")


def password_violations(password: str, *, min_length: int, max_length: int) -> list[str]:
    """The rules `password` breaks, in PASSWORD_RULES order; empty when it is acceptable."""
    broken: list[str] = []
    if not password or not password.isascii() or not password.isalnum():
        broken.append("latin_and_digits")
    if not min_length <= len(password) <= max_length:
        broken.append("length")
    return broken


def check_new_password(password: str, repeated: str, *, min_length: int, max_length: int) -> None:
    """Raises DomainError for the first broken rule (on «password»), or when the two entries differ
    (on «password_repeat»)."""
    if not password:
        raise DomainError("password_required", field="password")
    broken = password_violations(password, min_length=min_length, max_length=max_length)
    if broken:
        raise DomainError(f"password_{broken[0]}", field="password", min=min_length, max=max_length)
    if password != repeated:
        raise DomainError("password_mismatch", field="password_repeat")
