"""`create-admin`: a new confirmed admin, or a user promoted; an existing admin is neither duplicated nor reset."""

from __future__ import annotations

import pytest

from cabinet.errors import DomainError
from cabinet.models import UserRole
from cabinet.services.admin.operators import create_admin
from cabinet.services.passwords import verify_password
from tests.factories import NOW


def test_create_admin_makes_or_promotes(session, people):
    created = create_admin(session=session, email="Chief@Example.com", password="boss2026", now=NOW)
    assert (created.role, created.email_canonical) == (UserRole.admin, "chief@example.com") and created.confirmed_at
    promoted = create_admin(session=session, email="olga.petrova@example.com", password="new2026", now=NOW)
    assert promoted.id == people["resident"].id and promoted.role == UserRole.admin
    with pytest.raises(DomainError) as raised:  # an existing admin is neither duplicated nor given a new password
        create_admin(session=session, email="chief@EXAMPLE.com", password="other2026", now=NOW)
    assert (raised.value.code, raised.value.params) == ("admin_exists", {"email": "Chief@example.com"})
    assert verify_password("boss2026", created.password_hash)
    with pytest.raises(DomainError):
        create_admin(session=session, email="x@example.com", password="пароль", now=NOW)
