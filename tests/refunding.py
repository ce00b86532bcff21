"""What the refund tests share: a paid payment for two accounts, a refund asked as an operator asks, rows read."""

from __future__ import annotations

import uuid

import httpx
from sqlmodel import Session, select

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.models import LedgerEntry, Payment, PaymentStatus, Refund, StaffMembership, StaffRole, UserRole
from cabinet.money import format_rubles
from cabinet.services import payments
from cabinet.services.admin import refunds
from tests.factories import NOW, make_user, parts_of
from tests.paying import checkout, debt_part, fault, household, stored_payment


def paid_household(engine) -> dict:
    """The household's water debt (2 500 ₽) and 700 ₽ of power in one payment, paid; the water operator, an admin."""
    home = household(engine, own_shops={"power": "456789"})
    started = payments.start_several(
        user_id=home["user"], parts=(debt_part(home, "water"), debt_part(home, "power", amount_text="700"))
    )
    checkout(stored_payment(engine, started.payment_id), "pay")
    assert stored_payment(engine, started.payment_id).status == PaymentStatus.succeeded
    with Session(engine, expire_on_commit=False) as session:
        operator, admin = make_user(session), make_user(session, role=UserRole.admin)
        member = StaffMembership(
            user_id=operator.id, provider_id=home["providers"]["water"], role=StaffRole.operator, created_at=NOW
        )
        session.add(member)
        session.commit()
        parts = {part.account_id: part.id for part in parts_of(session, session.get(Payment, started.payment_id))}
    names = {name: parts[account] for name, account in home["accounts"].items() if account in parts}
    return home | {"payment": started.payment_id, "parts": names, "operator": operator.id, "admin": admin.id}


def refund_of(
    paid: dict, part: str, amount: str, *, key: str = "", actor: str = "admin", reason: str = "Оплачено дважды"
):
    return refunds.refund_part(
        actor_id=paid[actor],
        payment_id=paid["payment"],
        part_id=paid["parts"][part],
        amount_text=amount,
        reason=reason,
        request_key=key or uuid.uuid4().hex,
        now=utc_now(),
    )


def negative_entries(engine) -> list[tuple[int, int]]:
    """The refunds' ledger entries: (refund id, kopecks)."""
    with Session(engine) as session:
        return sorted(
            session.exec(
                select(LedgerEntry.refund_id, LedgerEntry.amount_kopecks).where(LedgerEntry.amount_kopecks < 0)
            )
        )


def refund_row(engine, refund_id: int) -> Refund:
    with Session(engine) as session:
        return session.get(Refund, refund_id)


def result_words(status: str, kopecks: int) -> str:
    return texts.ADMIN["refund_results"][status].format(amount=format_rubles(kopecks))


def pending_at_the_gateway(engine, paid: dict, stand_in: str, amount: str) -> Refund:
    """A refund the stand-in keeps pending, whose settlement nobody will be told of."""
    fault(stand_in, refund_status="pending", drop_notifications=True, count=0)
    result = refund_of(paid, "water", amount)
    assert (result.status, result.message) == ("pending", result_words("pending", int(amount) * 100))
    refund = refund_row(engine, result.refund_id)
    assert refund.gateway_refund_id  # YooKassa took it and answered «pending»
    return refund


def settle_at_the_stand_in(stand_in: str, refund: Refund, action: str) -> dict:
    """The stand-in settles the refund (notifications still dropped) and answers it as the API reads it."""
    httpx.post(
        f"{stand_in}/sandbox/yookassa/_refunds/{refund.gateway_refund_id}/{action}", timeout=10
    ).raise_for_status()
    answer = httpx.get(
        f"{stand_in}/sandbox/yookassa/v3/refunds/{refund.gateway_refund_id}", auth=("sandbox", "sandbox"), timeout=10
    )
    return answer.json()
