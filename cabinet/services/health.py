"""Readiness checks used by the health route."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from cabinet.db import get_engine

logger = logging.getLogger(__name__)


def database_is_reachable() -> bool:
    try:
        with get_engine().connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return True
    except Exception as error:  # any driver error means "not ready", never a 500
        logger.warning("Database check failed: %s", error.__class__.__name__)
        return False
