"""Command line: `python -m cabinet migrate | seed-demo | check-config`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from cabinet.config import ConfigError, get_settings


def _migrate(_args: argparse.Namespace) -> int:
    from cabinet.migrations import upgrade_to_head

    upgrade_to_head()
    print("Database is at the latest revision.")
    return 0


def _seed_demo(_args: argparse.Namespace) -> int:
    from cabinet.db import session_scope
    from cabinet.services.demo import seed_demo

    with session_scope() as session:
        summary = seed_demo(session=session, today=dt.date.today())
    print(summary.describe(public_url=get_settings().public_url))
    return 0


def _check_config(_args: argparse.Namespace) -> int:
    settings = get_settings()
    print(f"Settings are valid. Database: {settings.database_url.split('://')[0]}; "
          f"state: {'Redis' if settings.redis_url else 'in-process'}; "
          f"demo mode: {'on' if settings.demo_mode else 'off'}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cabinet", description="Кабинет maintenance commands")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="bring the database schema to the latest revision").set_defaults(run=_migrate)
    commands.add_parser("seed-demo", help="load demo providers, accounts and logins (idempotent)").set_defaults(run=_seed_demo)
    commands.add_parser("check-config", help="validate the settings and exit").set_defaults(run=_check_config)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
