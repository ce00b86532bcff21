"""The provider every registry test imports into: nine-digit account numbers."""

from __future__ import annotations

import pytest

from tests.factories import make_provider


@pytest.fixture
def provider(session):
    return make_provider(session, account_pattern=r"\d{9}", account_format_description="9 цифр")
