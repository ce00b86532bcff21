"""Reading providers and their account-number rules."""

from __future__ import annotations

from sqlmodel import Session, select

from cabinet.models import Provider


def list_active_providers(*, session: Session) -> list[Provider]:
    """Providers a resident may connect an account of, by name."""
    return list(
        session.exec(select(Provider).where(Provider.is_active).order_by(Provider.name))
    )
