"""Tables of the local stand-ins: payments and refunds the YooKassa twin made, letters the Resend twin took."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from cabinet.models import created_field


class SandboxYookassaPayment(SQLModel, table=True):
    __tablename__ = "sandbox_yookassa_payments"

    id: str = Field(primary_key=True, max_length=64)
    idempotence_key: str = Field(max_length=64, unique=True)
    status: str = Field(max_length=32)
    # The whole payment object as YooKassa would return it.
    body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    created_at: dt.datetime = created_field()


class SandboxResendEmail(SQLModel, table=True):
    __tablename__ = "sandbox_resend_emails"

    id: str = Field(primary_key=True, max_length=64)
    idempotency_key: str | None = Field(default=None, max_length=256, unique=True)
    to_address: str = Field(default="", max_length=320, index=True)
    # What was posted to /emails, as JSON.
    body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    created_at: dt.datetime = created_field()


class SandboxYookassaRefund(SQLModel, table=True):
    __tablename__ = "sandbox_yookassa_refunds"

    id: str = Field(primary_key=True, max_length=64)
    idempotence_key: str = Field(max_length=64, unique=True)
    payment_id: str = Field(max_length=64, index=True)
    status: str = Field(max_length=32)
    # The whole refund object as YooKassa would return it.
    body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    created_at: dt.datetime = created_field()
