"""staff memberships and the audit event's provider

Revision ID: 5e1f0c2a9b7d
Revises: deb92b5113f3
Create Date: 2026-12-07 11:40:00

Provider staff: `staff_memberships` names the providers a staff member works for and the role for each
(operator or viewer); a platform administrator stays `users.role = 'admin'` and needs none.
`audit_events.provider_id` names the provider an event concerns, so the journal can be scoped to it.
Existing admins keep everything; no existing row changes.
"""

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


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_constraint("fk_audit_events_provider_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_audit_events_provider_id"))
        batch_op.drop_column("provider_id")

    with op.batch_alter_table("staff_memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_memberships_user_id"))
        batch_op.drop_index(batch_op.f("ix_staff_memberships_provider_id"))
    op.drop_table("staff_memberships")
