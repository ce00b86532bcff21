"""The audit trail: who did what, when, from where, and which provider it concerns.

Every `action` code recorded here has a Russian label and sentence in cabinet/texts_audit.py (the
journal's wording; tests/services/admin/test_audit_wording.py fails on a code without one).
"""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel import Session

from cabinet.models import AuditEvent, Provider, ProviderAccount
from cabinet.services.ids import get_by_id


def account_provider(session: Session, account_id: object) -> int | None:
    """The provider of an account (by any raw id), for an event about it; None when there is no such account."""
    account = get_by_id(session, ProviderAccount, account_id)
    return account.provider_id if account is not None else None


def record_event(
    *,
    session: Session,
    action: str,
    now: dt.datetime,
    actor_user_id: int | None = None,
    client_address: str = "",
    target_type: str = "",
    target_id: object = "",
    details: dict | None = None,
    provider_id: int | None = None,
) -> AuditEvent:
    # The provider is what scopes the journal; an id no provider has (a filter typed by hand) is no provider.
    if provider_id is not None and get_by_id(session, Provider, provider_id) is None:
        provider_id = None
    event = AuditEvent(
        action=action,
        created_at=now,
        actor_user_id=actor_user_id,
        client_address=client_address[:64],
        provider_id=provider_id,
        target_type=target_type,
        target_id=str(target_id),
        details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str),
    )
    session.add(event)
    return event
