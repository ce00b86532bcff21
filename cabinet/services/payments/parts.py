"""A payment's parts: which accounts and providers one payment pays, read the same way by every payment module."""

from __future__ import annotations

from sqlmodel import Session, col, select

from cabinet.models import PaymentPart, Provider, ProviderAccount


def parts_of(session: Session, payment_id: int) -> list[tuple[PaymentPart, ProviderAccount, Provider]]:
    """A payment's parts in the order the resident listed them, each with its account and provider."""
    return list(
        session.exec(
            select(PaymentPart, ProviderAccount, Provider)
            .join(ProviderAccount, col(ProviderAccount.id) == PaymentPart.account_id)
            .join(Provider, col(Provider.id) == PaymentPart.provider_id)
            .where(PaymentPart.payment_id == payment_id)
            .order_by(col(PaymentPart.position), col(PaymentPart.id))
        )
    )


def payment_providers(session: Session, payment_id: int) -> list[int]:
    """The providers a payment's parts go to, each once, in the parts' order."""
    ids = session.exec(
        select(PaymentPart.provider_id)
        .where(PaymentPart.payment_id == payment_id)
        .order_by(col(PaymentPart.position), col(PaymentPart.id))
    ).all()
    return list(dict.fromkeys(ids))
