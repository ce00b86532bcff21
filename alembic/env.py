"""Alembic environment: the app's metadata and the DATABASE_URL from cabinet.config."""

from __future__ import annotations

from logging.config import fileConfig

from sqlmodel import SQLModel

import cabinet.models
import cabinet.sandbox.models  # noqa: F401
from alembic import context
from cabinet.config import get_settings
from cabinet.db import engine_for

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def _url() -> str:
    return config.attributes.get("database_url") or get_settings().database_url


def run_migrations_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = _url()
    engine = engine_for(url)
    sqlite = url.startswith("sqlite")
    with engine.connect() as connection:
        if sqlite:
            # Batch mode rebuilds a table by dropping it, which rows of other tables pointing at it refuse
            # while foreign keys are enforced; they are checked once the migration is done instead. Sent
            # before anything else: SQLite ignores this pragma inside a transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            # SQLite cannot ALTER most things: batch mode rebuilds the table instead.
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=sqlite,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    _refuse_broken_foreign_keys(connection)
            connection.commit()
        finally:
            if sqlite:
                # The connection goes back to the app's pool: enforced again, as engine_for set it.
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")


def _refuse_broken_foreign_keys(connection) -> None:
    """Rolls the migration back if it left a row pointing at nothing (SQLite's own recipe for rebuilds)."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
