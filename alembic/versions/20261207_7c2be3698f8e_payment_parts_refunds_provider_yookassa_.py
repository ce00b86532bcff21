"""payment parts, refunds, the provider's own YooKassa shop

Revision ID: 7c2be3698f8e
Revises: da9d2de850e3
Create Date: 2026-12-07 14:12:59.476992

One payment for several accounts and refunds (#17). A payment's accounts move to `payment_parts`
(each existing payment becomes one part: its account, provider, amount and purpose), so
`payments.account_id` and `payments.purpose` go. The ledger books a part (`part_id`, unique) or a
refund (`refund_id`, unique, negative), so `payment_id` is no longer unique there; existing entries
get their payment's part. `refunds` holds the operators' refunds; `providers.yookassa_account_id`
names a provider's own shop for split payments ("" for every existing provider). The stand-in keeps
its refunds in `sandbox_yookassa_refunds`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import cabinet.models
from alembic import op

revision: str = "7c2be3698f8e"
down_revision: str | None = "da9d2de850e3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PURPOSE = sa.Enum("debt", "custom_amount", name="paymentpurpose", native_enum=False, length=32)


def _ledger_before() -> sa.Table:
    """ledger_entries as the first revision made it, with PostgreSQL's own constraint names.

    SQLite keeps its constraints unnamed; given these names, batch mode can drop one of them.
    """
    return sa.Table(
        "ledger_entries",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("provider_accounts.id"), nullable=False),
        sa.Column("payment_id", sa.Integer(), sa.ForeignKey("payments.id"), nullable=True),
        sa.Column("amount_kopecks", sa.Integer(), nullable=False),
        sa.Column("booked_at", cabinet.models.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("payment_id", name="ledger_entries_payment_id_key"),
        sa.Index("ix_ledger_entries_account_id", "account_id"),
    )


def _payments_before() -> sa.Table:
    """payments as the earlier revisions left it, with PostgreSQL's own constraint names."""
    return sa.Table(
        "payments",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", name="payments_user_id_fkey"), nullable=False),
        sa.Column(
            "account_id",
            sa.Integer(),
            sa.ForeignKey("provider_accounts.id", name="payments_account_id_fkey"),
            nullable=False,
        ),
        sa.Column("amount_kopecks", sa.Integer(), nullable=False),
        sa.Column("purpose", _PURPOSE, nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "waiting_for_capture",
                "succeeded",
                "canceled",
                "failed",
                name="paymentstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("idempotency_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("gateway_payment_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("confirmation_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("receipt_email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("cancellation_party", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("cancellation_reason", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column(
            "failure_code",
            sa.Enum(
                "timeout",
                "unavailable",
                "rejected",
                "not_found",
                "unknown",
                name="paymentfailure",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("paid_at", cabinet.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", cabinet.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", cabinet.models.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("idempotency_key", name="payments_idempotency_key_key"),
        sa.UniqueConstraint("gateway_payment_id", name="payments_gateway_payment_id_key"),
        sa.Index("ix_payments_account_id", "account_id"),
        sa.Index("ix_payments_created_at", "created_at"),
        sa.Index("ix_payments_status", "status"),
        sa.Index("ix_payments_user_id", "user_id"),
    )


def upgrade() -> None:
    op.create_table(
        "sandbox_yookassa_refunds",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("idempotence_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("payment_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", cabinet.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotence_key"),
    )
    with op.batch_alter_table("sandbox_yookassa_refunds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sandbox_yookassa_refunds_payment_id"), ["payment_id"], unique=False)

    op.create_table(
        "payment_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("amount_kopecks", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum("debt", "custom_amount", name="paymentpurpose", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("transfer_account_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["provider_accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("payment_id", "account_id", name="uq_payment_parts_payment_account"),
    )
    with op.batch_alter_table("payment_parts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_parts_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_parts_payment_id"), ["payment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_parts_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "refunds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("amount_kopecks", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=250), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "succeeded", "canceled", "failed", name="refundstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("idempotency_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("gateway_refund_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column(
            "failure_code",
            sa.Enum(
                "timeout",
                "unavailable",
                "rejected",
                "not_found",
                "unknown",
                name="paymentfailure",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("cancellation_reason", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("refunded_at", cabinet.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", cabinet.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", cabinet.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["payment_parts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("gateway_refund_id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refunds_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_refunds_part_id"), ["part_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_refunds_payment_id"), ["payment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_refunds_status"), ["status"], unique=False)

    op.execute(
        "INSERT INTO payment_parts (payment_id, account_id, provider_id, amount_kopecks, purpose,"
        " transfer_account_id, position)"
        " SELECT payments.id, payments.account_id, provider_accounts.provider_id, payments.amount_kopecks,"
        " payments.purpose, '', 0 FROM payments JOIN provider_accounts ON provider_accounts.id = payments.account_id"
    )

    with op.batch_alter_table("ledger_entries", copy_from=_ledger_before()) as batch_op:
        batch_op.drop_constraint("ledger_entries_payment_id_key", type_="unique")
        batch_op.add_column(sa.Column("part_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("refund_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_ledger_entries_payment_id"), ["payment_id"], unique=False)
        batch_op.create_unique_constraint("ledger_entries_part_id_key", ["part_id"])
        batch_op.create_unique_constraint("ledger_entries_refund_id_key", ["refund_id"])
        batch_op.create_foreign_key("ledger_entries_part_id_fkey", "payment_parts", ["part_id"], ["id"])
        batch_op.create_foreign_key("ledger_entries_refund_id_fkey", "refunds", ["refund_id"], ["id"])
    op.execute(
        "UPDATE ledger_entries SET part_id = (SELECT payment_parts.id FROM payment_parts"
        " WHERE payment_parts.payment_id = ledger_entries.payment_id) WHERE payment_id IS NOT NULL"
    )

    with op.batch_alter_table("payments", copy_from=_payments_before()) as batch_op:
        batch_op.drop_index("ix_payments_account_id")
        batch_op.drop_constraint("payments_account_id_fkey", type_="foreignkey")
        batch_op.drop_column("account_id")
        batch_op.drop_column("purpose")

    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "yookassa_account_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False, server_default=""
            )
        )
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.alter_column(
            "yookassa_account_id", server_default=None, existing_type=sa.String(32), existing_nullable=False
        )


def downgrade() -> None:
    """Back to one account per payment: a payment keeps its first part's account (the rest are lost)."""
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.drop_column("yookassa_account_id")

    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purpose", _PURPOSE, nullable=True))
        batch_op.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
    first_part = (
        "(SELECT payment_parts.{column} FROM payment_parts WHERE payment_parts.payment_id = payments.id"
        " ORDER BY payment_parts.position, payment_parts.id LIMIT 1)"
    )
    op.execute(
        f"UPDATE payments SET account_id = {first_part.format(column='account_id')},"
        f" purpose = {first_part.format(column='purpose')}"
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.alter_column("purpose", existing_type=_PURPOSE, nullable=False)
        batch_op.alter_column("account_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key("payments_account_id_fkey", "provider_accounts", ["account_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_payments_account_id"), ["account_id"], unique=False)

    # Refund entries and every part's entry but the first have no place in one-entry-per-payment.
    op.execute("DELETE FROM ledger_entries WHERE refund_id IS NOT NULL")
    op.execute(
        "DELETE FROM ledger_entries WHERE part_id IS NOT NULL AND part_id NOT IN (SELECT MIN(id) FROM payment_parts"
        " GROUP BY payment_id)"
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_constraint("ledger_entries_refund_id_fkey", type_="foreignkey")
        batch_op.drop_constraint("ledger_entries_part_id_fkey", type_="foreignkey")
        batch_op.drop_constraint("ledger_entries_refund_id_key", type_="unique")
        batch_op.drop_constraint("ledger_entries_part_id_key", type_="unique")
        batch_op.drop_index(batch_op.f("ix_ledger_entries_payment_id"))
        batch_op.drop_column("refund_id")
        batch_op.drop_column("part_id")
        batch_op.create_unique_constraint("ledger_entries_payment_id_key", ["payment_id"])
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refunds_status"))
        batch_op.drop_index(batch_op.f("ix_refunds_payment_id"))
        batch_op.drop_index(batch_op.f("ix_refunds_part_id"))
        batch_op.drop_index(batch_op.f("ix_refunds_created_at"))

    op.drop_table("refunds")
    with op.batch_alter_table("payment_parts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_parts_provider_id"))
        batch_op.drop_index(batch_op.f("ix_payment_parts_payment_id"))
        batch_op.drop_index(batch_op.f("ix_payment_parts_account_id"))

    op.drop_table("payment_parts")
    with op.batch_alter_table("sandbox_yookassa_refunds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sandbox_yookassa_refunds_payment_id"))

    op.drop_table("sandbox_yookassa_refunds")
