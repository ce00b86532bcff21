"""The resident's payment pages as they read: the pay form, one payment's status, its receipt."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from cabinet import texts
from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.gateways import GatewayError
from cabinet.gateways.payment_gateway import PaymentGateway
from cabinet.models import (
    PaymentFailure,
    PaymentPart,
    PaymentStatus,
    Provider,
    ProviderAccount,
    Refund,
    RefundStatus,
    User,
)
from cabinet.money import format_rubles
from cabinet.services.calendar import local_date, local_time_text
from cabinet.services.dashboard import AccountCard, card_for
from cabinet.services.dashboard_view import account_subtitle, account_title
from cabinet.services.payments.amounts import MIN_PAYMENT_KOPECKS
from cabinet.services.payments.gateway_checks import refresh_when_due
from cabinet.services.payments.history import (
    PENDING_COLOR,
    STATUS_COLORS,
    PaymentLine,
    lines_of,
    payment_of,
    refund_label,
)
from cabinet.services.payments.starting import retry_payment
from cabinet.services.payments.status import AWAITING_GATEWAY
from cabinet.services.reading_form import ReadingsForm, form_of
from cabinet.services.transactions import transactional

logger = logging.getLogger(__name__)


def failure_text(code: PaymentFailure | None) -> str:
    """Why the gateway never took the payment, in Russian; "" for a payment it took."""
    if code is None:
        return ""
    errors = texts.PAYMENTS["gateway_errors"]
    return errors.get(code.value, errors["unknown"])


def cancellation_text(reason: str) -> str:
    """YooKassa's cancellation reason (a code) in Russian."""
    return texts.PAYMENTS["cancel_reasons"].get(reason, texts.PAYMENTS["cancel_reason_unknown"])


# --- the pay form -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PayForm:
    card: AccountCard
    title: str
    subtitle: str
    email: str
    owed_text: str
    # Enough is owed to pay it off (else the form starts on «своя сумма»).
    can_pay_debt: bool
    custom_help: str
    # The readings the page takes with the payment, from the same card (built once per opening).
    readings: ReadingsForm


@transactional()
def pay_form(*, session: Session, user_id: int, account_id: int, now: dt.datetime) -> PayForm:
    """What the pay form of one of the resident's accounts opens with; «not found» for any other account."""
    card = card_for(session, user_id=user_id, account_id=account_id, today=local_date(now))
    user = session.get(User, user_id)
    owed = card.balance.to_pay_kopecks
    return PayForm(
        card=card,
        title=account_title(card),
        subtitle=account_subtitle(card),
        email=user.email if user else "",
        owed_text=format_rubles(max(0, owed)),
        can_pay_debt=owed >= MIN_PAYMENT_KOPECKS,
        custom_help=texts.PAYMENTS["mode_custom_help"].format(
            min=format_rubles(MIN_PAYMENT_KOPECKS), max=format_rubles(get_settings().max_payment_kopecks)
        ),
        readings=form_of(card),
    )


# --- one payment ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartView:
    """One account a payment paid, as its page and receipt list it."""

    account_id: int
    provider: str
    inn: str
    account_number: str
    address: str
    amount_text: str
    # «Возврат 123,45 ₽» once money of this part came back; "" otherwise.
    refunded_text: str = ""


@dataclass(frozen=True)
class RefundView:
    """A refund as the resident reads it on the payment's page."""

    id: int
    amount_text: str
    status_label: str
    status_color: str
    reason: str
    account_number: str
    created_text: str


REFUND_COLORS = {RefundStatus.succeeded: "grass", RefundStatus.canceled: "gray", RefundStatus.failed: "red"}


@dataclass(frozen=True)
class PaymentView:
    id: int
    status: str
    status_label: str
    status_text: str
    status_color: str
    amount_text: str
    provider: str
    account_number: str
    account_id: int
    address: str
    created_text: str
    paid_text: str
    gateway_id: str
    reason_text: str
    # A failure's reason is red; a cancellation's is gray.
    reason_color: str
    # The checkout to go back to while the payment waits for it; "" otherwise.
    confirmation_url: str
    receipt_email: str
    inn: str = ""
    payer: str = ""
    description: str = ""
    # Still being paid: the page keeps looking (and, once per interval, asks the gateway).
    awaiting: bool = False
    can_retry: bool = False
    can_pay_again: bool = False
    has_receipt: bool = False
    # What the payment paid: one part per account (the first part's account is also in the fields above).
    parts: list[PartView] = field(default_factory=list)
    refunds: list[RefundView] = field(default_factory=list)
    # «Возврат 123,45 ₽» when money came back; "" otherwise.
    refunded_text: str = ""
    # The same sum alone («123,45 ₽») for the page's «Возвращено»; "" when nothing came back.
    refunded_amount_text: str = ""
    several: bool = False
    # Where «Оплатить снова» leads: the account's pay form, or the several-accounts form.
    pay_again_href: str = ""


NO_PAYMENT = PaymentView(0, "", "", "", PENDING_COLOR, "", "", "", 0, "", "", "", "", "", "gray", "", "")
# «Оплатить несколько счетов»: one payment for several accounts of the resident.
SEVERAL_PAY_PATH = "/pay"


def payment_view(line: PaymentLine, refunds: list[Refund] | None = None, user: User | None = None) -> PaymentView:
    payment = line.payment
    status = payment.status
    reason = ""
    if status == PaymentStatus.canceled:
        reason = cancellation_text(payment.cancellation_reason)
    elif status == PaymentStatus.failed:
        reason = failure_text(payment.failure_code)
    assert payment.id is not None and line.parts
    _first, account, provider = line.parts[0]
    numbers = {part.id: part_account.number for part, part_account, _provider in line.parts}
    several = len(line.parts) > 1
    return PaymentView(
        id=payment.id,
        status=status.value,
        status_label=texts.PAYMENTS["statuses"][status.value],
        status_text=texts.PAYMENTS["status_texts"][status.value],
        status_color=STATUS_COLORS.get(status, PENDING_COLOR),
        amount_text=format_rubles(payment.amount_kopecks),
        provider=provider.name,
        account_number=account.number,
        account_id=account.id or 0,
        address=account.address,
        created_text=local_time_text(payment.created_at),
        paid_text=local_time_text(payment.paid_at) if payment.paid_at else "",
        gateway_id=payment.gateway_payment_id or "",
        reason_text=reason,
        reason_color="red" if status == PaymentStatus.failed else "gray",
        confirmation_url=payment.confirmation_url if status == PaymentStatus.pending else "",
        receipt_email=payment.receipt_email,
        inn=provider.inn,
        payer=(user.full_name or user.email) if user else "",
        description=payment.description,
        awaiting=status in AWAITING_GATEWAY,
        can_retry=status == PaymentStatus.failed,
        can_pay_again=status == PaymentStatus.canceled,
        has_receipt=status == PaymentStatus.succeeded,
        parts=[_part_view(part, part_account, part_provider, line) for part, part_account, part_provider in line.parts],
        refunds=[_refund_view(refund, numbers.get(refund.part_id, "")) for refund in refunds or []],
        refunded_text=refund_label(line.refunded_kopecks),
        refunded_amount_text=format_rubles(line.refunded_kopecks) if line.refunded_kopecks else "",
        several=several,
        pay_again_href=SEVERAL_PAY_PATH if several else f"/accounts/{account.id}/pay",
    )


def _part_view(part: PaymentPart, account: ProviderAccount, provider: Provider, line: PaymentLine) -> PartView:
    return PartView(
        account_id=account.id or 0,
        provider=provider.name,
        inn=provider.inn,
        account_number=account.number,
        address=account.address,
        amount_text=format_rubles(part.amount_kopecks),
        refunded_text=refund_label(line.refunded_by_part.get(part.id or 0, 0)),
    )


def _refund_view(refund: Refund, account_number: str) -> RefundView:
    return RefundView(
        id=refund.id or 0,
        amount_text=format_rubles(refund.amount_kopecks),
        status_label=texts.PAYMENTS["refund_statuses"][refund.status.value],
        status_color=REFUND_COLORS.get(refund.status, PENDING_COLOR),
        reason=refund.reason,
        account_number=account_number,
        created_text=local_time_text(refund.created_at),
    )


def refunds_of(session: Session, payment_id: int) -> list[Refund]:
    """A payment's refunds the resident is told of, oldest first (a refused request returned nothing: not shown)."""
    return list(
        session.exec(
            select(Refund)
            .where(Refund.payment_id == payment_id, Refund.status != RefundStatus.failed)
            .order_by(col(Refund.created_at), col(Refund.id))
        )
    )


@transactional()
def payment_page(*, session: Session, user_id: int, payment_id: int) -> PaymentView:
    """One of the resident's payments as its page shows it; anyone else's is «not found»."""
    payment = payment_of(session, user_id=user_id, payment_id=payment_id)
    (line,) = lines_of(session, [payment])
    return payment_view(line, refunds_of(session, payment_id), session.get(User, user_id))


def check_payment(
    *, user_id: int, payment_id: int, now: dt.datetime, gateway: PaymentGateway | None = None
) -> PaymentView:
    """The status page's poll while a payment is being paid: the payment as our database has it now.

    YooKassa is asked only by the poll that claims it (`refresh_when_due`: once per payment per
    interval, whatever the number of tabs and workers); every other poll reads what the webhook,
    reconciliation or that poll wrote. The gateway being down is no error here: the page shows what
    is known and asks again.
    """
    view = payment_page(user_id=user_id, payment_id=payment_id)  # «not found» before anything is asked
    if not view.awaiting:
        return view
    try:
        if refresh_when_due(payment_id, now=now, gateway=gateway) is None:
            return view
    except GatewayError as error:
        logger.info("Payment %s not checked at the gateway: %s", payment_id, error)
    return payment_page(user_id=user_id, payment_id=payment_id)


def retry_checkout(*, user_id: int, payment_id: int, gateway: PaymentGateway | None = None) -> PaymentView:
    """«Попробовать ещё раз» on the status page: sends the failed payment again and shows it."""
    retry_payment(user_id=user_id, payment_id=payment_id, gateway=gateway)
    return payment_page(user_id=user_id, payment_id=payment_id)


@transactional()
def receipt(*, session: Session, user_id: int, payment_id: int) -> PaymentView:
    """The printable receipt: only of the resident's own payment, and only once it has succeeded."""
    view = payment_page(session=session, user_id=user_id, payment_id=payment_id)
    if not view.has_receipt:
        raise DomainError("not_found")
    return view
