"""A registry import: the previewed changes written from the staging tables, all or nothing, and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import Session

from cabinet.errors import DomainError
from cabinet.models import Meter, ProviderAccount
from cabinet.services.audit import record_event
from cabinet.services.registry.columns import ACCOUNT_COLUMNS, METER_COLUMNS
from cabinet.services.registry.planning import Plan, prepared
from cabinet.services.registry.results import Progress, RegistryPreview, RegistrySource
from cabinet.services.registry.staging import ACCOUNTS, METERS

WRITE_LINES = 20_000  # file lines per write statement, so the progress bar moves during the writes


def import_registry(
    session: Session,
    *,
    provider_id: int,
    source: RegistrySource,
    now: dt.datetime,
    actor_user_id: int | None = None,
    progress: Progress | None = None,
    max_bytes: int | None = None,
) -> RegistryPreview:
    """Applies the file in the caller's transaction — all of it, or nothing if any row is wrong.

    Raises DomainError("registry_has_errors") when the preview has row errors. `progress(done, total)`
    is called every few thousand rows: reading and checking the rows is the first half of `total`,
    writing the changes the second half; the last call reports exactly total, total.
    """
    report = progress or (lambda _done, _total: None)
    with prepared(
        session, provider_id=provider_id, source=source, max_bytes=max_bytes, lock=True, progress=report
    ) as plan:
        preview, estimate = plan.preview, plan.estimate
        if preview.error_count:
            raise DomainError("registry_has_errors", count=preview.error_count)
        report(estimate, 2 * estimate)
        writes = preview.accounts_new + preview.accounts_changed + preview.meters_new + preview.meters_changed
        written = 0

        def step(count: int) -> None:
            nonlocal written
            written += count
            report(estimate + estimate * written // max(writes, 1), 2 * estimate)

        _write(session, plan, now=now, step=step)
    record_event(
        session=session,
        action="registry_imported",
        now=now,
        actor_user_id=actor_user_id,
        target_type="provider",
        target_id=provider_id,
        details=preview.counts(),
        provider_id=provider_id,
    )
    session.flush()
    report(2 * estimate, 2 * estimate)
    return preview


def _write(session: Session, plan: Plan, *, now: dt.datetime, step: Callable[[int], None]) -> None:
    """New and changed accounts, then new and changed meters, each in statements over WRITE_LINES lines.

    Unchanged ones are not touched, so their updated_at stays.
    """
    for count, statement in [*_account_statements(plan, now=now), *_meter_statements(plan)]:
        if not count:
            continue
        for low in range(0, plan.last_line + 1, WRITE_LINES):
            # preserve_rowcount: SQLAlchemy keeps the count of an INSERT … SELECT only when asked to.
            written = session.execute(
                statement, {"low": low, "high": low + WRITE_LINES}, execution_options={"preserve_rowcount": True}
            ).rowcount
            if written:
                step(written)


def _chunk(table: sa.Table) -> sa.ColumnElement[bool]:
    """The staged rows of one statement's slice of file lines, [low, high)."""
    return sa.and_(table.c.line >= sa.bindparam("low"), table.c.line < sa.bindparam("high"))


def _account_statements(plan: Plan, *, now: dt.datetime) -> list[tuple[int, sa.Executable]]:
    """The insert of new accounts and the update of changed ones, each with how many rows it is for."""
    accounts, first, preview = ProviderAccount.__table__, ACCOUNTS, plan.preview
    stamp = sa.literal(now, accounts.c.updated_at.type)
    # A debt the import raised (to above zero) is a new bill: counted, so its reminder goes once per import.
    raised = sa.and_(first.c.debt_kopecks > 0, first.c.debt_kopecks > accounts.c.debt_kopecks)
    return [
        (
            preview.accounts_new,
            sa.insert(accounts).from_select(
                ["provider_id", "number", *ACCOUNT_COLUMNS, "pin_hash", "created_at", "updated_at"],
                sa.select(
                    sa.literal(plan.provider_id),
                    first.c.number,
                    *[first.c[name] for name in ACCOUNT_COLUMNS],
                    first.c.pin_hash,
                    stamp,
                    stamp,
                )
                .where(first.c.account_id.is_(None), _chunk(first))
                .order_by(first.c.line),
            ),
        ),
        (
            preview.accounts_changed,
            accounts.update()
            .where(
                accounts.c.id == first.c.account_id,
                sa.or_(first.c.values_same == 0, first.c.pin_same == 0),
                _chunk(first),
            )
            # An unchanged PIN keeps its stored hash, a bcrypt one included.
            .values(
                **{name: first.c[name] for name in ACCOUNT_COLUMNS},
                updated_at=now,
                pin_hash=sa.case((first.c.pin_same == 1, accounts.c.pin_hash), else_=first.c.pin_hash),
                debt_raises=sa.case((raised, accounts.c.debt_raises + 1), else_=accounts.c.debt_raises),
                debt_raised_at=sa.case((raised, stamp), else_=accounts.c.debt_raised_at),
            ),
        ),
    ]


def _meter_statements(plan: Plan) -> list[tuple[int, sa.Executable]]:
    """The insert of new meters (their accounts written already) and the update of changed ones."""
    accounts, meters, staged, preview = ProviderAccount.__table__, Meter.__table__, METERS, plan.preview
    return [
        (
            preview.meters_new,
            sa.insert(meters).from_select(
                ["account_id", "kind", "serial", *METER_COLUMNS],
                sa.select(accounts.c.id, staged.c.kind, staged.c.serial, *[staged.c[name] for name in METER_COLUMNS])
                .join_from(
                    staged,
                    accounts,
                    sa.and_(accounts.c.provider_id == plan.provider_id, accounts.c.number == staged.c.number),
                )
                .where(staged.c.meter_id.is_(None), _chunk(staged))
                .order_by(staged.c.line),
            ),
        ),
        (
            preview.meters_changed,
            meters.update()
            .where(meters.c.id == staged.c.meter_id, staged.c.values_same == 0, _chunk(staged))
            .values(**{name: staged.c[name] for name in METER_COLUMNS}),
        ),
    ]
