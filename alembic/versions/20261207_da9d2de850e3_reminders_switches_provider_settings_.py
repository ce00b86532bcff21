"""reminders: switches, provider settings, the sent record, outbox headers

Revision ID: da9d2de850e3
Revises: 5e1f0c2a9b7d
Create Date: 2026-12-07 12:26:36.380615

Reminders that are really sent (#16): a switch per kind for the resident (the old
`notify_reading_reminders` stays, as «the window opens»), the provider's «closes in N days» and a
switch per kind, the raise count an import keeps for «new bill», `reminders_sent` (its unique key is
what makes each reminder go once), and the outbox's extra headers (List-Unsubscribe).
Existing rows get the defaults: every switch on, 3 days, no raise yet, no headers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import cabinet.models
from alembic import op

revision: str = "da9d2de850e3"
down_revision: str | None = "5e1f0c2a9b7d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminders_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "window_opens",
                "window_closing",
                "verification_soon",
                "verification_expired",
                "new_bill",
                name="reminderkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("email_id", sa.Integer(), nullable=True),
        sa.Column("created_at", cabinet.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["provider_accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["email_id"],
            ["outgoing_emails.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "kind", "subject_id", "period", name="uq_reminders_sent_key"),
    )
    with op.batch_alter_table("reminders_sent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminders_sent_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminders_sent_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("outgoing_emails", schema=None) as batch_op:
        batch_op.add_column(sa.Column("headers", sa.Text(), server_default="{}", nullable=False))

    with op.batch_alter_table("provider_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("debt_raises", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("debt_raised_at", cabinet.models.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminder_closing_days", sa.Integer(), nullable=False, server_default="3"))
        batch_op.add_column(sa.Column("remind_window_opens", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("remind_window_closing", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("remind_verification", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("remind_new_bill", sa.Boolean(), nullable=False, server_default=sa.true()))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notify_window_closing", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("notify_verification", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("notify_new_bill", sa.Boolean(), nullable=False, server_default=sa.true()))
    _drop_row_defaults(new_columns)


def _drop_row_defaults(columns: dict[str, list[tuple[str, sa.types.TypeEngine]]]) -> None:
    """The defaults only filled the existing rows: new rows get theirs from the models, as everywhere."""
    for table, names in columns.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, kind in names:
                batch_op.alter_column(name, server_default=None, existing_type=kind, existing_nullable=False)


new_columns: dict[str, list[tuple[str, sa.types.TypeEngine]]] = {
    "provider_accounts": [("debt_raises", sa.Integer())],
    "providers": [
        ("reminder_closing_days", sa.Integer()),
        *[(name, sa.Boolean()) for name in ("remind_window_opens", "remind_window_closing", "remind_verification")],
        ("remind_new_bill", sa.Boolean()),
    ],
    "users": [(name, sa.Boolean()) for name in ("notify_window_closing", "notify_verification", "notify_new_bill")],
}


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("notify_new_bill")
        batch_op.drop_column("notify_verification")
        batch_op.drop_column("notify_window_closing")

    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.drop_column("remind_new_bill")
        batch_op.drop_column("remind_verification")
        batch_op.drop_column("remind_window_closing")
        batch_op.drop_column("remind_window_opens")
        batch_op.drop_column("reminder_closing_days")

    with op.batch_alter_table("provider_accounts", schema=None) as batch_op:
        batch_op.drop_column("debt_raised_at")
        batch_op.drop_column("debt_raises")

    with op.batch_alter_table("outgoing_emails", schema=None) as batch_op:
        batch_op.drop_column("headers")

    with op.batch_alter_table("reminders_sent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminders_sent_user_id"))
        batch_op.drop_index(batch_op.f("ix_reminders_sent_account_id"))

    op.drop_table("reminders_sent")
