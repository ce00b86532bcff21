"""A provider's registry file, previewed and imported by an operator (the rules are in services/registry.py)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from cabinet.errors import DomainError
from cabinet.services import registry
from cabinet.services.access import require_operator
from cabinet.services.ids import parse_id


def _checked(session: Session, actor_id: int, provider_id: object) -> int:
    require_operator(session, actor_id)
    checked = parse_id(provider_id)
    if checked is None:
        raise DomainError("not_found")
    return checked


def preview_registry(
    *, session: Session, actor_id: int, provider_id: object, source: registry.RegistrySource
) -> registry.RegistryPreview:
    """What importing the file would do; writes nothing. The size limit is REGISTRY_MAX_MB."""
    return registry.preview_registry(session, provider_id=_checked(session, actor_id, provider_id), source=source)


def import_registry(
    *,
    session: Session,
    actor_id: int,
    provider_id: object,
    source: registry.RegistrySource,
    now: dt.datetime,
    progress: registry.Progress | None = None,
) -> registry.RegistryPreview:
    """Applies the file in the caller's transaction, all or nothing; audited with the admin as actor."""
    return registry.import_registry(
        session,
        provider_id=_checked(session, actor_id, provider_id),
        source=source,
        now=now,
        actor_user_id=actor_id,
        progress=progress,
    )
