"""closed cabinets and data archives

Revision ID: e3c32572d33d
Revises: 5d3f99e52576
Create Date: 2026-12-07 20:18:17.144981

The resident's own data (#19): `data_archives` holds a «Мои данные» archive until its single-use link is
followed or its day is over; `users.closed_at / closed_by_user_id / closure_reason` record a closed cabinet
(services/closure.py); `outgoing_emails.forget_after_sending` marks the closure letter, erased once sent.
Existing rows: no cabinet is closed, no letter is forgotten.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import cabinet.models
from alembic import op

revision: str = "e3c32572d33d"
down_revision: str | None = "5d3f99e52576"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_archives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum("preparing", "ready", "failed", name="dataarchivestatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("created_at", cabinet.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", cabinet.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("downloaded_at", cabinet.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="data_archives_user_id_fkey"),
        sa.PrimaryKeyConstraint("id", name="data_archives_pkey"),
        sa.UniqueConstraint("token_hash", name="data_archives_token_hash_key"),
    )
    with op.batch_alter_table("data_archives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_archives_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_data_archives_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_data_archives_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("outgoing_emails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("forget_after_sending", sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", cabinet.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_by_user_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("closure_reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False, server_default="")
        )
        batch_op.create_foreign_key("users_closed_by_user_id_fkey", "users", ["closed_by_user_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint("users_closed_by_user_id_fkey", type_="foreignkey")
        batch_op.drop_column("closure_reason")
        batch_op.drop_column("closed_by_user_id")
        batch_op.drop_column("closed_at")

    with op.batch_alter_table("outgoing_emails", schema=None) as batch_op:
        batch_op.drop_column("forget_after_sending")

    with op.batch_alter_table("data_archives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_archives_user_id"))
        batch_op.drop_index(batch_op.f("ix_data_archives_expires_at"))
        batch_op.drop_index(batch_op.f("ix_data_archives_created_at"))

    op.drop_table("data_archives")
