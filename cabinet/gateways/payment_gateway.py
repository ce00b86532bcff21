"""What the payment services ask of a payment gateway (a typed Protocol) and the plain values it answers with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class GatewayPayment:
    """A payment as the gateway sees it; the amounts already in integer kopecks."""

    id: str
    status: str
    amount_kopecks: int
    paid: bool
    confirmation_url: str = ""
    cancellation_party: str = ""
    cancellation_reason: str = ""
    metadata: dict = field(default_factory=dict)
    captured_at: dt.datetime | None = None
    refunded_kopecks: int = 0


@dataclass(frozen=True)
class GatewayNotification:
    """The things of a webhook body we act on; its status is never trusted (the API is asked).

    For a refund's notification `payment_id` is the refunded payment's id and `refund_id` the refund's.
    """

    event: str
    payment_id: str
    refund_id: str = ""


@dataclass(frozen=True)
class ReceiptItem:
    """One line of a 54-ФЗ receipt: one provider's account, with the provider as the supplier."""

    description: str
    amount_kopecks: int
    supplier_name: str = ""
    supplier_inn: str = ""


@dataclass(frozen=True)
class GatewayTransfer:
    """Money of a split payment (or refund) going to a provider's own YooKassa shop."""

    account_id: str
    amount_kopecks: int


@dataclass(frozen=True)
class GatewayRefund:
    """A refund as the gateway sees it; the amount in integer kopecks."""

    id: str
    payment_id: str  # the gateway's payment id
    status: str  # pending | succeeded | canceled
    amount_kopecks: int
    cancellation_party: str = ""
    cancellation_reason: str = ""
    created_at: dt.datetime | None = None


@runtime_checkable
class PaymentGateway(Protocol):
    """Creates and reads payments and refunds; raises cabinet.gateways.GatewayError when the gateway does not.

    `cabinet.gateways.yookassa.YooKassaGateway` is the real one; tests may pass their own.
    """

    def create_payment(
        self,
        *,
        amount_kopecks: int,
        description: str,
        return_url: str,
        idempotency_key: str,
        metadata: dict[str, str],
        receipt_email: str,
        receipt_items: list[ReceiptItem],
        transfers: Sequence[GatewayTransfer] = (),
    ) -> GatewayPayment:
        """Creates the payment (the same `idempotency_key` again: the same payment, never a second one)."""
        ...

    def get_payment(self, gateway_payment_id: str) -> GatewayPayment:
        """The payment as it stands at the gateway now."""
        ...

    def create_refund(
        self,
        *,
        gateway_payment_id: str,
        amount_kopecks: int,
        idempotency_key: str,
        description: str,
        receipt_email: str,
        receipt_items: list[ReceiptItem],
        sources: Sequence[GatewayTransfer] = (),
    ) -> GatewayRefund:
        """Refunds (part of) a succeeded payment (the same `idempotency_key` again: the same refund)."""
        ...

    def get_refund(self, gateway_refund_id: str) -> GatewayRefund:
        """The refund as it stands at the gateway now."""
        ...
