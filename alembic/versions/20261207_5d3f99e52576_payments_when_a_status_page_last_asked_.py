"""payments: when a status page last asked YooKassa

Revision ID: 5d3f99e52576
Revises: 7c2be3698f8e
Create Date: 2026-12-07 17:24:34.154596

No needless work per open tab (#18): `payments.gateway_checked_at` is the claim a status page takes,
by a compare-and-set, before it asks YooKassa about a payment still being paid, so however many tabs
and backend workers poll one payment, YooKassa is asked once per interval
(`services/payments/gateway_checks.py`). Nullable, no index (it is only ever read with the row's
primary key): existing rows start unclaimed, and the next poll may ask at once.
"""

from collections.abc import Sequence

import sqlalchemy as sa

import cabinet.models
from alembic import op

revision: str = "5d3f99e52576"
down_revision: str | None = "7c2be3698f8e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gateway_checked_at", cabinet.models.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_column("gateway_checked_at")
