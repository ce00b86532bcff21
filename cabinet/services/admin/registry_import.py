"""A provider's registry file, previewed and imported by its operator or the platform administrator
(the rules are in services/registry.py); a viewer, or anyone for a foreign provider, gets «не найдено»."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from cabinet.services import registry
from cabinet.services.access import require_staff


def _checked(session: Session, actor_id: int, provider_id: object) -> int:
    # Previewing is the first step of importing: a viewer has no use for it.
    provider = require_staff(session, actor_id).provider_to_operate(session, provider_id)
    return provider.id or 0


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
