"""PINs printed on receipts, kept only as keyed hashes."""

from __future__ import annotations

import hashlib
import hmac

from cabinet.config import get_settings
from cabinet.services.passwords import verify_password


def pin_digest(*, number: str, pin: str) -> str:
    """A keyed hash of a receipt PIN: without SECRET_KEY a stolen database does not reveal PINs.

    bcrypt would take hours for a registry of 100 000 accounts, and a 4-digit PIN under any
    unkeyed hash is found by trying all 10 000; the key is what protects it.
    """
    key = get_settings().effective_secret_key.encode()
    return "hmac$" + hmac.new(key, f"{number}:{pin.strip()}".encode(), hashlib.sha256).hexdigest()


def pin_matches(stored: str | None, *, number: str, pin: str) -> bool:
    if not stored:
        return False
    if stored.startswith("hmac$"):
        return hmac.compare_digest(stored, pin_digest(number=number, pin=pin))
    # bcrypt: how the first demo data kept PINs.
    return verify_password(pin.strip(), stored)
