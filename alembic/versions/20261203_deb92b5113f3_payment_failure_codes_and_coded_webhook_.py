"""payment failure codes and coded webhook outcomes

Revision ID: deb92b5113f3
Revises: bd28a8faf3c6
Create Date: 2026-12-03 08:03:57.467614

`payments.failure_message` (Russian text) becomes `failure_code`; `payment_notifications.outcome`
(an English sentence read back by its prefix) becomes a code, with the status it names in
`outcome_status`. Rows are converted: known texts to their codes, anything else to a generic one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "deb92b5113f3"
down_revision: str | None = "bd28a8faf3c6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FAILURE_CODES = sa.Enum(
    "timeout", "unavailable", "rejected", "not_found", "unknown", name="paymentfailure", native_enum=False, length=32
)
OUTCOME_CODES = sa.Enum(
    "moved",
    "unchanged",
    "unknown_status",
    "id_mismatch",
    "amount_mismatch",
    "rejected",
    "unknown_payment",
    "gateway_error",
    "unrecognized",
    name="notificationoutcome",
    native_enum=False,
    length=32,
)
# The messages as texts.py wrote them into failure_message (frozen here: texts.py may change later).
FAILURE_MESSAGES = {
    "timeout": "Платёжный сервис не ответил вовремя. Деньги не списаны — попробуйте ещё раз.",
    "unavailable": "Платёжный сервис временно недоступен. Деньги не списаны — попробуйте через минуту.",
    "rejected": "Платёжный сервис отклонил платёж. Деньги не списаны — попробуйте ещё раз или напишите в поддержку.",
    "not_found": "Платёжный сервис не нашёл платёж. Деньги не списаны — попробуйте ещё раз.",
}
# The outcomes the webhook wrote whole, without a status in them.
FIXED_OUTCOMES = {
    "id_mismatch": "gateway id does not match",
    "amount_mismatch": "amount mismatch, not credited",
    "rejected": "rejected: not a notification",
    "unknown_payment": "unknown payment",
}

payments = sa.table("payments", sa.column("failure_message", sa.String), sa.column("failure_code", sa.String))
notifications = sa.table(
    "payment_notifications", sa.column("outcome", sa.String), sa.column("outcome_status", sa.String)
)


def _status_after(prefix: str) -> sa.ColumnElement:
    """What follows `prefix` in the old outcome (quotes of a repr dropped), cut to the new column."""
    rest = sa.func.substr(notifications.c.outcome, len(prefix) + 1)
    return sa.func.substr(sa.func.replace(sa.func.replace(rest, "'", ""), '"', ""), 1, 32)


def _outcomes_to_codes() -> None:
    outcome = notifications.c.outcome
    for code, prefix in (("moved", "now "), ("unchanged", "stays "), ("unknown_status", "unknown status ")):
        op.execute(
            notifications.update()
            .where(outcome.like(prefix + "%"))
            .values(outcome_status=_status_after(prefix), outcome=code)
        )
    for code, sentence in FIXED_OUTCOMES.items():
        op.execute(notifications.update().where(outcome == sentence).values(outcome=code))
    # «gateway timeout», «gateway unavailable», …: after «gateway id does not match» above.
    op.execute(notifications.update().where(outcome.like("gateway %")).values(outcome="gateway_error"))
    op.execute(notifications.update().where(outcome.not_in(OUTCOME_CODES.enums)).values(outcome="unrecognized"))


def upgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failure_code", FAILURE_CODES, nullable=True))
    for code, message in FAILURE_MESSAGES.items():
        op.execute(payments.update().where(payments.c.failure_message == message).values(failure_code=code))
    op.execute(
        payments.update()
        .where(payments.c.failure_message != "", payments.c.failure_code.is_(None))
        .values(failure_code="unknown")
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_column("failure_message")

    with op.batch_alter_table("payment_notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("outcome_status", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False, server_default="")
        )
    _outcomes_to_codes()
    with op.batch_alter_table("payment_notifications", schema=None) as batch_op:
        batch_op.alter_column(
            "outcome", existing_type=sa.VARCHAR(length=200), type_=OUTCOME_CODES, existing_nullable=False
        )
        batch_op.alter_column(
            "outcome_status",
            server_default=None,
            existing_nullable=False,
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=32),
        )


def _codes_to_outcomes() -> None:
    outcome, status = notifications.c.outcome, notifications.c.outcome_status
    for code, prefix in (("moved", "now "), ("unchanged", "stays ")):
        op.execute(notifications.update().where(outcome == code).values(outcome=sa.literal(prefix) + status))
    op.execute(
        notifications.update()
        .where(outcome == "unknown_status")
        .values(outcome=sa.literal("unknown status '") + status + sa.literal("'"))
    )
    for code, sentence in FIXED_OUTCOMES.items():
        op.execute(notifications.update().where(outcome == code).values(outcome=sentence))
    op.execute(notifications.update().where(outcome == "gateway_error").values(outcome="gateway unavailable"))
    op.execute(notifications.update().where(outcome == "unrecognized").values(outcome=""))


def downgrade() -> None:
    with op.batch_alter_table("payment_notifications", schema=None) as batch_op:
        batch_op.alter_column(
            "outcome", existing_type=OUTCOME_CODES, type_=sa.VARCHAR(length=200), existing_nullable=False
        )
    _codes_to_outcomes()
    with op.batch_alter_table("payment_notifications", schema=None) as batch_op:
        batch_op.drop_column("outcome_status")

    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failure_message", sa.VARCHAR(length=300), nullable=False, server_default=""))
    for code, message in FAILURE_MESSAGES.items():
        op.execute(payments.update().where(payments.c.failure_code == code).values(failure_message=message))
    op.execute(
        payments.update()
        .where(payments.c.failure_code == "unknown")
        .values(failure_message=FAILURE_MESSAGES["unavailable"])
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.alter_column(
            "failure_message", server_default=None, existing_nullable=False, existing_type=sa.VARCHAR(length=300)
        )
        batch_op.drop_column("failure_code")
