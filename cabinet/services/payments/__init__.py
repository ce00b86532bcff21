"""Online payments: a row first, then YooKassa; statuses move only as status.ALLOWED says; success books money once.

One module per part: status (the machine as data), starting (the pay click and a retry), applying
(what the gateway says), webhook, reconciliation, history and views (the resident's pages). The
names other code uses are gathered here, so `payments.<name>` reads the same from anywhere.
"""

from __future__ import annotations

from cabinet.gateways.payment_gateway import PaymentGateway
from cabinet.services.payments.applying import Applied, apply_gateway_state, default_gateway, refresh_from_gateway
from cabinet.services.payments.history import FilterOption, History, HistoryRow, history, payment_of, payments_of
from cabinet.services.payments.reconciliation import ReconcileReport, reconcile
from cabinet.services.payments.starting import (
    AMOUNT_FIELD,
    MIN_PAYMENT_KOPECKS,
    READINGS_FIELD,
    Checkout,
    PaymentRequest,
    amount_for,
    own_amount,
    pay,
    prepare_payment,
    retry_payment,
    send_to_gateway,
    start_payment,
)
from cabinet.services.payments.status import ALLOWED, AWAITING_GATEWAY, FINAL, may_move, transition
from cabinet.services.payments.views import (
    NO_PAYMENT,
    PayForm,
    PaymentView,
    check_payment,
    failure_text,
    pay_form,
    payment_page,
    receipt,
    retry_checkout,
)
from cabinet.services.payments.webhook import NotificationResult, handle_notification, outcome_text

# The gateway's type by its earlier name (services/admin.py annotates with it).
Gateway = PaymentGateway

__all__ = [
    "ALLOWED",
    "AMOUNT_FIELD",
    "AWAITING_GATEWAY",
    "FINAL",
    "MIN_PAYMENT_KOPECKS",
    "NO_PAYMENT",
    "READINGS_FIELD",
    "Applied",
    "Checkout",
    "FilterOption",
    "Gateway",
    "History",
    "HistoryRow",
    "NotificationResult",
    "PayForm",
    "PaymentGateway",
    "PaymentRequest",
    "PaymentView",
    "ReconcileReport",
    "amount_for",
    "apply_gateway_state",
    "check_payment",
    "default_gateway",
    "failure_text",
    "handle_notification",
    "history",
    "may_move",
    "outcome_text",
    "own_amount",
    "pay",
    "pay_form",
    "payment_of",
    "payment_page",
    "payments_of",
    "prepare_payment",
    "receipt",
    "reconcile",
    "refresh_from_gateway",
    "retry_checkout",
    "retry_payment",
    "send_to_gateway",
    "start_payment",
    "transition",
]
