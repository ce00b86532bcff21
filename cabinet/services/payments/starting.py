"""Starting a payment for one account or several: the amounts, our rows (and readings) committed first, then YooKassa.

Our payment, its parts and the readings are written and committed before the gateway is called,
with the idempotency key the gateway receives, so a double click, a retried request or a lost answer
never makes a second charge. A refusal names its field; with several accounts, the account's own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlmodel import Session, select

from cabinet import texts
from cabinet.clock import utc_now
from cabinet.config import get_settings
from cabinet.db import session_scope
from cabinet.errors import DomainError
from cabinet.gateways.payment_gateway import PaymentGateway
from cabinet.models import (
    Payment,
    PaymentPart,
    PaymentPurpose,
    PaymentStatus,
    Provider,
    ProviderAccount,
    ReadingSource,
    User,
)
from cabinet.money import format_rubles
from cabinet.services.accounts import require_linked_account
from cabinet.services.audit import record_event
from cabinet.services.payments.amounts import AMOUNT_FIELD, READINGS_FIELD, amount_for
from cabinet.services.payments.history import payment_of
from cabinet.services.payments.sending import send_to_gateway
from cabinet.services.readings import ReadingEntry, ReadingsRejected, submit_readings

# «Оплатить несколько счетов»: the list as a whole (nothing chosen, too many).
ACCOUNTS_FIELD = "accounts"
# More parts than any household has accounts; bounds the receipt and the metadata sent to YooKassa.
MAX_PARTS = 20


def account_field(field: str, account_id: int) -> str:
    """The name of one account's input on the several-accounts form: «amount:12», «readings:12»."""
    return f"{field}:{account_id}"


# --- our rows ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartRequest:
    """One account of the payment: its debt or the resident's own sum, and readings handed in with it."""

    account_id: int
    purpose: PaymentPurpose
    amount_text: str = ""
    readings: tuple[ReadingEntry, ...] = ()

    @classmethod
    def own_sum(cls, account_id: int, amount_text: str, readings: tuple[ReadingEntry, ...] = ()) -> PartRequest:
        """A part of «Оплатить несколько счетов»: the sum the resident sees and may edit (pre-filled with the debt)."""
        return cls(account_id, PaymentPurpose.custom_amount, amount_text, readings)


@dataclass(frozen=True)
class PaymentRequest:
    user_id: int
    parts: tuple[PartRequest, ...]
    # Made when the pay form opens and sent with every click of it: one form, one payment.
    request_key: str = ""
    confirmed_jumps: frozenset[int] = frozenset()
    client_address: str = ""
    # The several-accounts form: a refusal goes next to the account's own input («amount:12»).
    per_account_fields: bool = False


def prepare_payment(session: Session, request: PaymentRequest, *, now: dt.datetime) -> Payment:
    """Checks everything, saves the readings, writes the pending payment and its parts. Idempotent by request_key."""
    # Shares the lock a closing takes (services/closure.py): a payment is written before a closing, which then
    # refuses for it, or not at all.
    user = session.exec(select(User).where(User.id == request.user_id).with_for_update(read=True)).first()
    if user is None or user.closed_at is not None:
        raise DomainError("not_found")
    key = request.request_key or uuid.uuid4().hex
    existing = session.exec(select(Payment).where(Payment.idempotency_key == key)).first()
    if existing is not None:
        if existing.user_id != request.user_id:
            raise DomainError("not_found")
        return existing
    accounts = _checked_accounts(session, request)
    amounts = _amounts(session, request, accounts)
    for part, account in zip(request.parts, accounts, strict=True):
        if any(entry.text.strip() for entry in part.readings):
            _save_readings(session, request, part, account, now=now)
    providers = [session.get(Provider, account.provider_id) for account in accounts]
    assert all(providers)
    payment = Payment(
        user_id=request.user_id,
        amount_kopecks=sum(amounts),
        idempotency_key=key,
        description=_description(accounts, providers)[:128],
        receipt_email=user.email,
        created_at=now,
        updated_at=now,
    )
    session.add(payment)
    session.flush()
    assert payment.id is not None
    for position, (part, account, provider, amount) in enumerate(
        zip(request.parts, accounts, providers, amounts, strict=True)
    ):
        session.add(
            PaymentPart(
                payment_id=payment.id,
                account_id=account.id,
                provider_id=provider.id,
                amount_kopecks=amount,
                purpose=part.purpose,
                transfer_account_id=provider.yookassa_account_id,
                position=position,
            )
        )
        # One event per part: each provider's journal shows its own part of the payment.
        record_event(
            session=session,
            action="payment_created",
            now=now,
            actor_user_id=request.user_id,
            client_address=request.client_address,
            target_type="payment",
            target_id=payment.id,
            details={"amount": amount, "account": account.id, "purpose": part.purpose.value, "parts": len(accounts)},
            provider_id=provider.id,
        )
    session.flush()
    return payment


def _checked_accounts(session: Session, request: PaymentRequest) -> list[ProviderAccount]:
    """The resident's own accounts the request names, each once; anything else is «not found»."""
    if not request.parts:
        raise DomainError("payment_choose_accounts", field=ACCOUNTS_FIELD)
    if len(request.parts) > MAX_PARTS:
        raise DomainError("payment_too_many_accounts", field=ACCOUNTS_FIELD, max=MAX_PARTS)
    ids = [part.account_id for part in request.parts]
    if len(set(ids)) != len(ids):
        raise DomainError("not_found")
    return [require_linked_account(session=session, user_id=request.user_id, account_id=id_) for id_ in ids]


def _amounts(session: Session, request: PaymentRequest, accounts: list[ProviderAccount]) -> list[int]:
    """Each part's amount; together within the largest single payment."""
    amounts = [
        _part_amount(session, request, part, account) for part, account in zip(request.parts, accounts, strict=True)
    ]
    maximum = get_settings().max_payment_kopecks
    if sum(amounts) > maximum:
        # One charge has the gateway's limit whatever it pays for: the resident pays the rest in a second one.
        raise DomainError("payment_total_range", field=ACCOUNTS_FIELD, max=format_rubles(maximum))
    return amounts


def _field(request: PaymentRequest, field: str, account: ProviderAccount) -> str:
    return account_field(field, account.id or 0) if request.per_account_fields else field


def _part_amount(session: Session, request: PaymentRequest, part: PartRequest, account: ProviderAccount) -> int:
    try:
        return amount_for(session=session, account=account, purpose=part.purpose, amount_text=part.amount_text)
    except DomainError as error:
        raise DomainError(error.code, field=_field(request, AMOUNT_FIELD, account), **error.params) from None


def _description(accounts: list[ProviderAccount], providers: list[Provider | None]) -> str:
    if len(accounts) == 1:
        assert providers[0] is not None
        return texts.PAYMENTS["gateway_description"].format(provider=providers[0].name, number=accounts[0].number)
    return texts.PAYMENTS["gateway_description_several"].format(
        count=len(accounts), numbers=", ".join(account.number for account in accounts)
    )


def _save_readings(
    session: Session, request: PaymentRequest, part: PartRequest, account: ProviderAccount, *, now: dt.datetime
) -> None:
    try:
        submit_readings(
            session,
            user_id=request.user_id,
            account_id=part.account_id,
            entries=list(part.readings),
            now=now,
            source=ReadingSource.payment_form,
            confirmed_jumps=request.confirmed_jumps,
            client_address=request.client_address,
        )
    except ReadingsRejected as rejected:
        # Field by field (meter ids are unique across accounts): the readings form shows it.
        rejected.field = _field(request, READINGS_FIELD, account)
        raise
    except DomainError as error:
        # About the readings as a whole (the window closed, nothing typed): shown with them too.
        raise DomainError(error.code, field=_field(request, READINGS_FIELD, account), **error.params) from None


def pay(request: PaymentRequest, *, gateway: PaymentGateway | None = None) -> Payment:
    """The whole «Оплатить» click: the rows (and readings) committed, then the gateway."""
    with session_scope() as session:
        payment = prepare_payment(session, request, now=utc_now())
        payment_id = payment.id
    assert payment_id is not None
    return send_to_gateway(payment_id, gateway=gateway)


def retry_payment(*, user_id: int, payment_id: int, gateway: PaymentGateway | None = None) -> Payment:
    """«Повторить» after a gateway failure: the same payment and key, so at most one charge."""
    with session_scope() as session:
        payment = payment_of(session, user_id=user_id, payment_id=payment_id)
        if payment.status != PaymentStatus.failed:
            raise DomainError("payment_not_retryable")
    return send_to_gateway(payment_id, gateway=gateway)


# --- the pay forms' entries -------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkout:
    """Where the browser goes after «Оплатить»: the gateway's checkout, or else the payment's own page."""

    payment_id: int
    checkout_url: str


def checkout_of(payment: Payment) -> Checkout:
    assert payment.id is not None
    waiting = payment.status == PaymentStatus.pending and payment.confirmation_url
    return Checkout(payment.id, payment.confirmation_url if waiting else "")


def start_payment(
    *,
    user_id: int,
    account_id: int,
    pay_debt: bool,
    amount_text: str = "",
    request_key: str = "",
    readings: tuple[ReadingEntry, ...] = (),
    confirmed_jumps: frozenset[int] = frozenset(),
    client_address: str = "",
    gateway: PaymentGateway | None = None,
) -> Checkout:
    """One account's pay form «Оплатить»: refusals name their field (AMOUNT_FIELD, READINGS_FIELD or the form)."""
    part = PartRequest(
        account_id=account_id,
        purpose=PaymentPurpose.debt if pay_debt else PaymentPurpose.custom_amount,
        amount_text=amount_text,
        readings=readings,
    )
    request = PaymentRequest(
        user_id=user_id,
        parts=(part,),
        request_key=request_key,
        confirmed_jumps=confirmed_jumps,
        client_address=client_address,
    )
    return checkout_of(pay(request, gateway=gateway))


def start_several(
    *,
    user_id: int,
    parts: tuple[PartRequest, ...],
    request_key: str = "",
    confirmed_jumps: frozenset[int] = frozenset(),
    client_address: str = "",
    gateway: PaymentGateway | None = None,
) -> Checkout:
    """«Оплатить несколько счетов»: one payment, one checkout; a refusal names the account's field («amount:12»)."""
    request = PaymentRequest(
        user_id=user_id,
        parts=parts,
        request_key=request_key,
        confirmed_jumps=confirmed_jumps,
        client_address=client_address,
        per_account_fields=True,
    )
    return checkout_of(pay(request, gateway=gateway))
