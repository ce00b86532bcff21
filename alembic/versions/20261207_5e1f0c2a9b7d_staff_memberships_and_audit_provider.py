"""staff memberships and the audit event's provider

Revision ID: 5e1f0c2a9b7d
Revises: deb92b5113f3
Create Date: 2026-12-07 11:40:00

Provider staff: `staff_memberships` names the providers a staff member works for and the role for each
(operator or viewer); a platform administrator stays `users.role = 'admin'` and needs none.
`audit_events.provider_id` names the provider an event concerns, so the journal can be scoped to it.
Existing admins keep everything. Existing events get their provider where one can be told: from the
provider, account, payment or meter they target, or the provider/account their details name.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa

import cabinet.models
from alembic import op

revision: str = "5e1f0c2a9b7d"
down_revision: str | None = "deb92b5113f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("operator", "viewer", name="staffrole", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("created_at", cabinet.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "provider_id", name="uq_staff_memberships_user_provider"),
    )
    with op.batch_alter_table("staff_memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_memberships_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_memberships_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_events_provider_id"), ["provider_id"], unique=False)
        batch_op.create_foreign_key("fk_audit_events_provider_id", "providers", ["provider_id"], ["id"])
    _backfill_providers()


_IDS_PER_STATEMENT = 900


def _number(value: object) -> int | None:
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    return int(text) if text.isdigit() and len(text) <= 10 and 0 < int(text) < 2**31 else None


def _lookup(connection, table: str, column: str, ids: set[int]) -> dict[int, int]:
    """{id: column} of the rows of `table` among `ids`."""
    found: dict[int, int] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), _IDS_PER_STATEMENT):
        chunk = wanted[start : start + _IDS_PER_STATEMENT]
        statement = sa.text(f"SELECT id, {column} FROM {table} WHERE id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)
        )
        found.update({row[0]: row[1] for row in connection.execute(statement, {"ids": chunk})})
    return found


def _backfill_providers() -> None:
    """Each existing event's provider, resolved from what it targets or names; the rest stay NULL."""
    connection = op.get_bind()
    events = connection.execute(
        sa.text(
            "SELECT id, target_type, target_id, details FROM audit_events "
            "WHERE target_type IN ('provider', 'account', 'payment', 'meter') "
            "OR action IN ('payments_exported', 'support_question')"
        )
    ).all()
    wanted: list[tuple[int, str, int]] = []  # (event, kind, id)
    for event_id, target_type, target_id, details in events:
        number = _number(target_id)
        if target_type in ("provider", "account", "payment", "meter") and number is not None:
            wanted.append((event_id, target_type, number))
            continue
        try:
            named = json.loads(details or "{}")
        except ValueError:
            continue
        if not isinstance(named, dict):
            continue
        for kind in ("provider", "account"):
            if _number(named.get(kind)) is not None:
                wanted.append((event_id, kind, _number(named.get(kind))))  # type: ignore[arg-type]
                break
    ids = {kind: {number for _event, k, number in wanted if k == kind} for kind in ("payment", "meter")}
    payment_accounts = _lookup(connection, "payments", "account_id", ids["payment"])
    meter_accounts = _lookup(connection, "meters", "account_id", ids["meter"])
    account_ids = {number for _event, kind, number in wanted if kind == "account"}
    account_ids |= set(payment_accounts.values()) | set(meter_accounts.values())
    account_providers = _lookup(connection, "provider_accounts", "provider_id", account_ids)
    provider_ids = {number for _event, kind, number in wanted if kind == "provider"}
    existing = set(_lookup(connection, "providers", "id", provider_ids))
    resolved: list[dict] = []
    for event_id, kind, number in wanted:
        if kind == "provider":
            provider = number if number in existing else None
        elif kind == "account":
            provider = account_providers.get(number)
        elif kind == "payment":
            provider = account_providers.get(payment_accounts.get(number, 0))
        else:
            provider = account_providers.get(meter_accounts.get(number, 0))
        if provider is not None:
            resolved.append({"event": event_id, "provider": provider})
    if resolved:
        connection.execute(sa.text("UPDATE audit_events SET provider_id = :provider WHERE id = :event"), resolved)


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint("fk_audit_events_provider_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_audit_events_provider_id"))
        batch_op.drop_column("provider_id")

    with op.batch_alter_table("staff_memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_memberships_user_id"))
        batch_op.drop_index(batch_op.f("ix_staff_memberships_provider_id"))
    op.drop_table("staff_memberships")
