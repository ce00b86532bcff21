"""One-click unsubscribe from a reminder kind: a link signed with the app's key, good for one thing only.

The token names a user and a switch and carries an HMAC of both under the purpose «unsubscribe»; it
can only turn that switch off for that user — no sign-in, no other change, no expiry (a letter kept
for a year must still stop the reminders, as RFC 8058 expects of List-Unsubscribe).
"""

from __future__ import annotations

import hashlib
import hmac

from sqlmodel import Session

from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import ReminderKind, User
from cabinet.services.ids import get_by_id
from cabinet.services.transactions import transactional

PURPOSE = "unsubscribe"
# Each switch of «Настройки» and the user's column it turns off.
SWITCH_COLUMNS = {
    "window_opens": "notify_reading_reminders",
    "window_closing": "notify_window_closing",
    "verification": "notify_verification",
    "new_bill": "notify_new_bill",
}
# The switch that stops each kind of reminder: one for both verification letters.
KIND_SWITCHES = {
    ReminderKind.window_opens: "window_opens",
    ReminderKind.window_closing: "window_closing",
    ReminderKind.verification_soon: "verification",
    ReminderKind.verification_expired: "verification",
    ReminderKind.new_bill: "new_bill",
}
_SIGNATURE_CHARS = 32


def _signature(purpose: str, payload: str) -> str:
    key = get_settings().effective_secret_key.encode()
    digest = hmac.new(key, f"{purpose}:{payload}".encode(), hashlib.sha256).hexdigest()
    return digest[:_SIGNATURE_CHARS]


def signed_token(purpose: str, payload: str) -> str:
    """`payload-signature`, the signature binding the payload to `purpose`; only URL-safe characters."""
    return f"{payload}-{_signature(purpose, payload)}"


def verified_payload(purpose: str, token: str) -> str | None:
    """The payload of a token signed for `purpose`; None for a tampered one or one of another purpose."""
    payload, _, signature = token.rpartition("-")
    if not payload or not hmac.compare_digest(signature, _signature(purpose, payload)):
        return None
    return payload


def unsubscribe_token(user_id: int, switch: str) -> str:
    """The token of a letter's unsubscribe link: turns `switch` off for `user_id`."""
    return signed_token(PURPOSE, f"{user_id}-{switch}")


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, switch) of a valid token; None otherwise."""
    payload = verified_payload(PURPOSE, token)
    user_text, _, switch = (payload or "").partition("-")
    if not user_text.isdigit() or switch not in SWITCH_COLUMNS:
        return None
    return int(user_text), switch


@transactional()
def unsubscribe(token: str, *, session: Session) -> str:
    """Turns off the switch the token names for its user; returns the switch. Repeating it is harmless.

    Raises DomainError("unsubscribe_invalid") for a tampered token, another purpose's or a user gone.
    """
    found = read_unsubscribe_token(token)
    user = get_by_id(session, User, found[0]) if found else None
    if found is None or user is None:
        raise DomainError("unsubscribe_invalid")
    setattr(user, SWITCH_COLUMNS[found[1]], False)
    session.add(user)
    session.flush()
    return found[1]
