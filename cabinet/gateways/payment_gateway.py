"""What the payment services ask of a payment gateway (a typed Protocol) and the plain values it answers with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class GatewayPayment:
    """A payment as the gateway sees it; the amount already in integer kopecks."""

    id: str
    status: str
    amount_kopecks: int
    paid: bool
    confirmation_url: str = ""
    cancellation_party: str = ""
    cancellation_reason: str = ""
    metadata: dict = field(default_factory=dict)
    captured_at: dt.datetime | None = None


@dataclass(frozen=True)
class GatewayNotification:
    """The two things of a webhook body we act on; its status is never trusted (the API is asked)."""

    event: str
    payment_id: str


@runtime_checkable
class PaymentGateway(Protocol):
    """Creates and reads payments; raises cabinet.gateways.GatewayError when the gateway does not.

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
        receipt_item_description: str,
    ) -> GatewayPayment:
        """Creates the payment (the same `idempotency_key` again: the same payment, never a second one)."""
        ...

    def get_payment(self, gateway_payment_id: str) -> GatewayPayment:
        """The payment as it stands at the gateway now."""
        ...
