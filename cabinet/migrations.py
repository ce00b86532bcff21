"""Applies the alembic/ migration chain; used by `python -m cabinet migrate` and tests."""

from __future__ import annotations

from alembic.config import Config

from alembic import command
from cabinet.config import PROJECT_ROOT


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["configure_logging"] = False
    if database_url:
        config.attributes["database_url"] = database_url
    return config


def upgrade_to_head(database_url: str | None = None) -> None:
    """Brings the database to the newest revision; a no-op when it is there already."""
    command.upgrade(alembic_config(database_url), "head")
