"""A registry file previewed and imported by an operator: audited with the admin as actor."""

from __future__ import annotations

import io

import pytest
from sqlmodel import select

from cabinet.errors import DomainError
from cabinet.models import AuditEvent
from cabinet.services.admin import registry_import
from tests.factories import NOW

# One account of the `ids` provider (10-digit numbers), the registry's four required columns.
REGISTRY = "account;address;debt;as_of\r\n3700999001;г. Тестов, ул. Мира, д. 2;1200,50;2026-11-01\r\n".encode()


def test_the_registry_import_names_the_admin(session, people, ids):
    actor = people["admin"].id
    assert (
        registry_import.preview_registry(
            session=session, actor_id=actor, provider_id=ids["provider"], source=io.BytesIO(REGISTRY)
        ).accounts_new
        == 1
    )
    registry_import.import_registry(
        session=session, actor_id=actor, provider_id=ids["provider"], source=io.BytesIO(REGISTRY), now=NOW
    )
    actors = dict(session.exec(select(AuditEvent.action, AuditEvent.actor_user_id)).all())
    assert actors == {"registry_imported": actor}


@pytest.mark.parametrize("provider_id", [0, -1, "abc", 2**40])
def test_an_id_that_cannot_be_a_providers_is_not_found(session, people, provider_id):
    with pytest.raises(DomainError, match="not_found"):
        registry_import.preview_registry(
            session=session, actor_id=people["admin"].id, provider_id=provider_id, source=io.BytesIO(REGISTRY)
        )
