"""Command line: `python -m cabinet migrate | seed-demo | create-admin | invite-staff | import-registry |
export-readings | reconcile | check-config`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
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
    settings = get_settings()
    print(summary.describe(public_url=settings.public_url, mailbox=settings.demo_mode))
    return 0


def _reconcile(args: argparse.Namespace) -> int:
    from cabinet.services.payments import reconcile

    minutes = args.older_than if args.older_than is not None else get_settings().reconcile_after_minutes
    report = reconcile(older_than=dt.timedelta(minutes=minutes))
    print(
        f"Payments and refunds checked: {report.checked}, changed: {report.changed}, gateway errors: {report.errors}."
    )
    return 1 if report.errors else 0


def _create_admin(args: argparse.Namespace) -> int:
    import getpass
    import os

    from cabinet import texts
    from cabinet.clock import utc_now
    from cabinet.errors import DomainError
    from cabinet.services.admin.operators import create_admin

    password = os.environ.get("CABINET_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    try:
        email = create_admin(email=args.email, password=password, now=utc_now()).email
    except DomainError as error:
        print(texts.error_text(error.code, **error.params), file=sys.stderr)
        return 1
    print(f"{email} is an admin now: sign in at {get_settings().public_url}/login and open /admin.")
    return 0


def _invite_staff(args: argparse.Namespace) -> int:
    from cabinet import texts
    from cabinet.clock import utc_now
    from cabinet.errors import DomainError
    from cabinet.services.admin.staff import invite_staff_from_cli

    try:
        invited = invite_staff_from_cli(email=args.email, role=args.role, providers=args.provider, now=utc_now())
    except DomainError as error:
        print(texts.error_text(error.code, **error.params), file=sys.stderr)
        return 1
    settings = get_settings()
    what = "an invitation link" if invited.letter == "staff_invitation" else "a notice that their login has access"
    print(f"{invited.email} is {args.role} now: {what} is queued in the outbox for {invited.email}.")
    if settings.demo_mode:
        print(f"Demo mode: the letter shows in {settings.public_url}/dev/mailbox.")
    return 0


def _provider_id(session, reference: str) -> int:
    from sqlmodel import select

    from cabinet.models import Provider

    provider = session.get(Provider, int(reference)) if reference.isdigit() and len(reference) < 10 else None
    if provider is not None and provider.id is not None:
        return provider.id
    ids = session.exec(select(Provider.id).where(Provider.inn == reference).order_by(Provider.id)).all()
    if len(ids) > 1:
        raise SystemExit(f"Several providers have INN {reference}: give the id instead ({', '.join(map(str, ids))}).")
    if not ids:
        raise SystemExit(f"No provider with id or INN {reference!r}.")
    return ids[0]


def _import_registry(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cabinet import texts
    from cabinet.clock import utc_now
    from cabinet.db import session_scope
    from cabinet.errors import DomainError
    from cabinet.services.registry import import_registry, preview_registry

    source = Path(args.file)
    try:
        source.open("rb").close()  # read as a stream by the service; checked here for a clear message
    except OSError as error:
        print(f"Cannot read {args.file}: {error.strerror}.", file=sys.stderr)
        return 2

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{done * 100 // max(total, 1)} %", end="", file=sys.stderr, flush=True)

    try:
        with session_scope() as session:
            provider_id = _provider_id(session, args.provider)
            if args.dry_run:
                preview = preview_registry(session, provider_id=provider_id, source=source)
            else:
                try:
                    preview = import_registry(
                        session, provider_id=provider_id, source=source, now=utc_now(), progress=progress
                    )
                except DomainError as error:
                    if error.code != "registry_has_errors":
                        raise
                    # Read a second time only to list the errors: a clean file is read once.
                    preview = preview_registry(session, provider_id=provider_id, source=source)
        if sys.stderr.isatty() and not args.dry_run:
            print("\r" + " " * 8 + "\r", end="", file=sys.stderr)
    except DomainError as error:
        print(texts.error_text(error.code, **error.params), file=sys.stderr)
        return 1
    if preview.errors:
        for error in preview.errors:
            column = f", столбец {error.column}" if error.column else ""
            print(f"строка {error.line}{column}: {error.message}", file=sys.stderr)
        if preview.error_count > len(preview.errors):
            print(f"… and {preview.error_count - len(preview.errors)} more.", file=sys.stderr)
        print(f"{preview.error_count} errors in {preview.rows} rows: nothing imported.", file=sys.stderr)
        return 1
    print(
        f"Rows: {preview.rows}. Accounts: {preview.accounts_new} new, {preview.accounts_changed} changed, "
        f"{preview.accounts_unchanged} unchanged. Meters: {preview.meters_new} new, {preview.meters_changed} "
        f"changed, {preview.meters_unchanged} unchanged."
    )
    print("Dry run: nothing written." if args.dry_run else "Imported.")
    return 0


def _export_readings(args: argparse.Namespace) -> int:
    from pathlib import Path

    from cabinet.clock import utc_now
    from cabinet.db import session_scope
    from cabinet.services.exports import export_readings

    try:
        period = dt.date.fromisoformat(f"{args.month}-01")
    except ValueError:
        print("MONTH is YYYY-MM, for example 2026-11.", file=sys.stderr)
        return 2
    with session_scope() as session:
        data = export_readings(
            session,
            provider_id=_provider_id(session, args.provider),
            period=period,
            mark_sent=not args.no_mark_sent,
            now=utc_now(),
        )
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _check_config(_args: argparse.Namespace) -> int:
    settings = get_settings()
    print(
        f"Settings are valid. Database: {settings.database_url.split('://')[0]}; "
        f"state: {'Redis' if settings.redis_url else 'in-process'}; "
        f"demo mode: {'on' if settings.demo_mode else 'off'}."
    )
    if settings.database_url.startswith("postgresql"):
        print(_connections_line(settings.connections_per_worker))
    return 0


def _connections_line(per_worker: int) -> str:
    """What this machine's workers may ask of PostgreSQL's max_connections (every machine adds as much)."""
    given = os.environ.get("GRANIAN_WORKERS", "")
    # Reflex's own default with Redis: 2 × cores + 1 workers, at most 8.
    workers = int(given) if given.isdigit() else min(2 * (os.cpu_count() or 1) + 1, 8)
    return (
        f"PostgreSQL connections: up to {per_worker} per backend worker (DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW); "
        f"{workers} workers here (GRANIAN_WORKERS): up to {workers * per_worker} from this machine."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cabinet", description="Кабинет maintenance commands")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="bring the database schema to the latest revision").set_defaults(run=_migrate)
    commands.add_parser("seed-demo", help="load demo providers, accounts and logins (idempotent)").set_defaults(
        run=_seed_demo
    )
    reconcile = commands.add_parser("reconcile", help="re-read open payments from YooKassa and apply their status")
    reconcile.add_argument(
        "--older-than",
        type=int,
        default=None,
        metavar="MINUTES",
        help="only payments created at least this long ago (default: RECONCILE_AFTER_MINUTES)",
    )
    reconcile.set_defaults(run=_reconcile)
    create = commands.add_parser(
        "create-admin",
        help="create an admin (or make a user one); the password is asked, or read from CABINET_ADMIN_PASSWORD",
    )
    create.add_argument("email")
    create.set_defaults(run=_create_admin)
    invite = commands.add_parser(
        "invite-staff", help="invite a provider's operator or viewer: the letter with the link goes through the outbox"
    )
    invite.add_argument("email")
    invite.add_argument("--role", required=True, metavar="operator|viewer")
    invite.add_argument(
        "--provider",
        required=True,
        action="append",
        metavar="ID_OR_NAME",
        help="the provider's id or exact name; repeat for several",
    )
    invite.set_defaults(run=_invite_staff)
    registry = commands.add_parser("import-registry", help="import a provider's registry CSV (docs/registry-format.md)")
    registry.add_argument("provider", help="the provider's id or INN")
    registry.add_argument("file")
    registry.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    registry.set_defaults(run=_import_registry)
    readings = commands.add_parser("export-readings", help="a month's meter readings of a provider as CSV")
    readings.add_argument("provider", help="the provider's id or INN")
    readings.add_argument("month", help="YYYY-MM")
    readings.add_argument("--output", help="file to write (default: standard output)")
    readings.add_argument("--no-mark-sent", action="store_true", help="leave the readings editable by residents")
    readings.set_defaults(run=_export_readings)
    commands.add_parser("check-config", help="validate the settings and exit").set_defaults(run=_check_config)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
