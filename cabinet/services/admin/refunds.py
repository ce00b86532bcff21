"""An operator refunds all or part of one part of a succeeded payment, with a reason the resident reads.

Only an operator of the part's provider, or the platform administrator, may; for anyone else the
part is «не найдено», exactly like a missing one. The refund's row is committed first, then sent to
YooKassa (services/payments/refunds.py), so a double click or a lost answer is still one refund.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlmodel import Session

from cabinet import texts
from cabinet.db import session_scope
from cabinet.errors import DomainError
from cabinet.gateways.payment_gateway import PaymentGateway
from cabinet.models import PaymentPart, RefundStatus
from cabinet.money import format_rubles
from cabinet.services import payments
from cabinet.services.access import require_staff
from cabinet.services.ids import get_by_id, parse_id


@dataclasses.dataclass(frozen=True)
class RefundResult:
    refund_id: int
    status: str
    # What the operator is told: «Возврат 123,45 ₽ выполнен», «… оформляется», «ЮKassa отказала …».
    message: str

    @property
    def returned_nothing(self) -> bool:
        """YooKassa refused or declined it: no money went back, and the operator may try again."""
        return self.status in (RefundStatus.failed.value, RefundStatus.canceled.value)


def _write(session: Session, actor_id: int | None, payment_id: object, part_id: object, request: dict) -> int:
    """The pending refund of a part in the actor's operated scope; its id."""
    scope = require_staff(session, actor_id)
    part = get_by_id(session, PaymentPart, part_id)
    if part is None or part.payment_id != parse_id(payment_id):
        raise DomainError("not_found")
    scope.require_operated(part.provider_id)
    now = request.pop("now")
    refund = payments.prepare_refund(
        session,
        payments.RefundRequest(payment_id=part.payment_id, part_id=part.id or 0, actor_id=scope.user_id, **request),
        now=now,
    )
    return refund.id or 0


def refund_part(
    *,
    actor_id: int | None,
    payment_id: object,
    part_id: object,
    amount_text: str,
    reason: str,
    request_key: str,
    now: dt.datetime,
    client_address: str = "",
    gateway: PaymentGateway | None = None,
    session: Session | None = None,
) -> RefundResult:
    """«Вернуть»: the refund written (bounded by what is left of the part), then asked of YooKassa.

    Called with `session=` (a test, another service) it only writes the refund within that transaction:
    the gateway must never be asked for a refund whose row may still roll back.
    """
    request = dict(
        amount_text=amount_text, reason=reason, request_key=request_key, client_address=client_address, now=now
    )
    if session is not None:
        return RefundResult(_write(session, actor_id, payment_id, part_id, request), "pending", "")
    with session_scope() as own:
        refund_id = _write(own, actor_id, payment_id, part_id, request)
    refund = payments.send_refund(refund_id, gateway=gateway)
    words = texts.ADMIN["refund_results"]
    message = words.get(refund.status.value, words["pending"]).format(amount=format_rubles(refund.amount_kopecks))
    return RefundResult(refund_id, refund.status.value, message)
