"""Fixtures the service tests share: the YooKassa and Resend stand-ins, webhook included."""

from __future__ import annotations

import pytest

from tests.stand_ins import serve_stand_ins


@pytest.fixture
def stand_in(engine):
    """The stand-ins on a free loopback port, sending notifications to our webhook; yields their URL."""
    with serve_stand_ins(engine, with_webhook=True) as base_url:
        yield base_url
