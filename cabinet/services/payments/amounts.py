"""How much a part of a payment charges: the account's debt as it stands now, or the resident's own sum."""

from __future__ import annotations

from sqlmodel import Session

from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import PaymentPurpose, ProviderAccount
from cabinet.money import format_rubles, parse_rubles
from cabinet.services.dashboard import balance_of

MIN_PAYMENT_KOPECKS = 100
# The pay form's inputs a refusal is shown next to (the rest go above the button).
AMOUNT_FIELD = "amount"
READINGS_FIELD = "readings"


def amount_for(*, session: Session, account: ProviderAccount, purpose: PaymentPurpose, amount_text: str) -> int:
    """The amount to charge: the debt as it stands now, or the resident's own sum within limits."""
    if purpose == PaymentPurpose.debt:
        owed = balance_of(session, account).to_pay_kopecks
        if owed < MIN_PAYMENT_KOPECKS:
            raise DomainError("payment_nothing_owed", field=AMOUNT_FIELD)
        return min(owed, get_settings().max_payment_kopecks)
    return own_amount(amount_text)


def own_amount(amount_text: str) -> int:
    """The resident's own sum in kopecks, or the refusal; the pay page's total shows only what passes here."""
    if not amount_text.strip():
        raise DomainError("payment_amount_required", field=AMOUNT_FIELD)
    try:
        amount = parse_rubles(amount_text)
    except DomainError as error:
        raise DomainError(error.code, field=AMOUNT_FIELD, **error.params) from None
    maximum = get_settings().max_payment_kopecks
    if amount < MIN_PAYMENT_KOPECKS or amount > maximum:
        raise DomainError(
            "payment_amount_range",
            field=AMOUNT_FIELD,
            min=format_rubles(MIN_PAYMENT_KOPECKS),
            max=format_rubles(maximum),
        )
    return amount
