"""Online payments and refunds: a row first, then YooKassa; statuses move only as allowed; money is booked once.

One module per part: status (the machine as data), amounts, starting (the pay click, for one account or
several, and a retry), sending (to YooKassa), applying (what the gateway says), gateway_checks (the
status page's asks, once per interval), refunds and refund_booking, webhook, reconciliation, history,
several and views (the resident's pages). The names other code uses are gathered here, so
`payments.<name>` reads the same from anywhere.
"""

from __future__ import annotations

from cabinet.gateways.payment_gateway import PaymentGateway
from cabinet.services.payments.amounts import AMOUNT_FIELD, MIN_PAYMENT_KOPECKS, READINGS_FIELD, amount_for, own_amount
from cabinet.services.payments.applying import Applied, apply_gateway_state, default_gateway, refresh_from_gateway
from cabinet.services.payments.gateway_checks import GATEWAY_CHECK_INTERVAL, claim_gateway_check, refresh_when_due
from cabinet.services.payments.history import FilterOption, History, HistoryRow, history, payment_of, payments_of
from cabinet.services.payments.reconciliation import ReconcileReport, reconcile
from cabinet.services.payments.refunds import (
    REFUND_AMOUNT_FIELD,
    REFUND_REASON_FIELD,
    RefundRequest,
    apply_refund_state,
    prepare_refund,
    refresh_refund,
    refunded_kopecks,
    send_refund,
)
from cabinet.services.payments.sending import send_to_gateway
from cabinet.services.payments.several import SeveralAccount, SeveralPayForm, several_pay_form
from cabinet.services.payments.starting import (
    ACCOUNTS_FIELD,
    Checkout,
    PartRequest,
    PaymentRequest,
    account_field,
    pay,
    prepare_payment,
    retry_payment,
    start_payment,
    start_several,
)
from cabinet.services.payments.status import ALLOWED, AWAITING_GATEWAY, FINAL, may_move, transition
from cabinet.services.payments.views import (
    NO_PAYMENT,
    SEVERAL_PAY_PATH,
    PartView,
    PayForm,
    PaymentView,
    RefundView,
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
    "ACCOUNTS_FIELD",
    "ALLOWED",
    "AMOUNT_FIELD",
    "AWAITING_GATEWAY",
    "FINAL",
    "GATEWAY_CHECK_INTERVAL",
    "MIN_PAYMENT_KOPECKS",
    "NO_PAYMENT",
    "READINGS_FIELD",
    "REFUND_AMOUNT_FIELD",
    "REFUND_REASON_FIELD",
    "SEVERAL_PAY_PATH",
    "Applied",
    "Checkout",
    "FilterOption",
    "Gateway",
    "History",
    "HistoryRow",
    "NotificationResult",
    "PartRequest",
    "PartView",
    "PayForm",
    "PaymentGateway",
    "PaymentRequest",
    "PaymentView",
    "ReconcileReport",
    "RefundRequest",
    "RefundView",
    "SeveralAccount",
    "SeveralPayForm",
    "account_field",
    "amount_for",
    "apply_gateway_state",
    "apply_refund_state",
    "check_payment",
    "claim_gateway_check",
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
    "prepare_refund",
    "receipt",
    "reconcile",
    "refresh_from_gateway",
    "refresh_refund",
    "refresh_when_due",
    "refunded_kopecks",
    "retry_checkout",
    "retry_payment",
    "send_refund",
    "send_to_gateway",
    "several_pay_form",
    "start_payment",
    "start_several",
    "transition",
]
