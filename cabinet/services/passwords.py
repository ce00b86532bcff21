"""Password hashing with bcrypt; callers run it off the event loop (it is slow on purpose)."""

from __future__ import annotations

import bcrypt

from cabinet.config import get_settings

# bcrypt reads only the first 72 bytes; the policy keeps passwords far shorter anyway.
_BCRYPT_MAX_BYTES = 72


def hash_password(password: str, *, rounds: int | None = None) -> str:
    salt = bcrypt.gensalt(rounds or get_settings().bcrypt_rounds)
    return bcrypt.hashpw(password.encode()[:_BCRYPT_MAX_BYTES], salt).decode()


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode()[:_BCRYPT_MAX_BYTES], password_hash.encode())
    except ValueError:
        # A malformed stored hash must never sign anybody in.
        return False
