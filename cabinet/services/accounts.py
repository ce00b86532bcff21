"""Personal accounts («лицевые счета»): checking a number, linking it to a resident, unlinking."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from cabinet.errors import DomainError
from cabinet.models import (
    AccountChecksum,
    AccountLink,
    Meter,
    OwnershipCheck,
    OwnershipFailure,
    Provider,
    ProviderAccount,
)
from cabinet.money import parse_rubles
from cabinet.services.audit import record_event
from cabinet.services.ids import get_by_id, parse_id
from cabinet.services.pins import pin_matches

# Wrong second fields a resident may enter in a day before linking stops: enough for
# typos, too few to walk a provider's registry.
OWNERSHIP_FAILURES_PER_DAY = 10
NICKNAME_MAX_LENGTH = 40
_SEPARATORS = re.compile(r"[\s\-‐‑–—_./]+")


# --- pure checks ------------------------------------------------------------------------------


def normalize_account_number(text: str) -> str:
    """What the resident typed, without spaces and dashes, upper-cased (some numbers have letters)."""
    return _SEPARATORS.sub("", text).upper()


def luhn_is_valid(digits: str) -> bool:
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def check_account_format(provider: Provider, number: str) -> None:
    """Raises DomainError('account_format', format=..., example=...) when `number` cannot be theirs."""
    fits = bool(number) and re.fullmatch(provider.account_pattern, number) is not None
    if fits and provider.account_checksum == AccountChecksum.luhn:
        fits = luhn_is_valid(number)
    if not fits:
        raise DomainError(
            "account_format",
            field="number",
            format=provider.account_format_description,
            example=provider.account_example,
        )


def ownership_matches(*, provider: Provider, account: ProviderAccount, meters: list[Meter], answer: str) -> bool:
    """Whether the second field proves the resident holds this account's receipt."""
    kind = provider.ownership_check
    if kind == OwnershipCheck.none:
        return True
    answer = answer.strip()
    if not answer:
        return False
    if kind == OwnershipCheck.last_bill:
        try:
            return account.last_bill_kopecks is not None and parse_rubles(answer) == account.last_bill_kopecks
        except DomainError:
            return False
    if kind == OwnershipCheck.meter_serial:
        typed = normalize_account_number(answer)
        return any(meter.serial and normalize_account_number(meter.serial) == typed for meter in meters)
    if kind == OwnershipCheck.pin:
        return pin_matches(account.pin_hash, number=account.number, pin=answer)
    return False


# --- queries ----------------------------------------------------------------------------------


def get_active_provider(*, session: Session, provider_id: int) -> Provider:
    provider = get_by_id(session, Provider, provider_id)
    if provider is None or not provider.is_active:
        raise DomainError("provider_not_found", field="provider")
    return provider


# Built once: every page a resident opens lists their accounts (see readings._METERS_OF_ACCOUNT).
_LINKS_OF_USER = (
    select(AccountLink, ProviderAccount, Provider)
    .join(ProviderAccount, col(ProviderAccount.id) == AccountLink.account_id)
    .join(Provider, col(Provider.id) == ProviderAccount.provider_id)
    .where(AccountLink.user_id == sa.bindparam("user_id"))
    .order_by(col(AccountLink.created_at), col(AccountLink.id))
)


def links_of(*, session: Session, user_id: int) -> list[tuple[AccountLink, ProviderAccount, Provider]]:
    return list(session.exec(_LINKS_OF_USER, params={"user_id": user_id}))


_LINK_OF_USER = select(AccountLink).where(
    AccountLink.user_id == sa.bindparam("user_id"), AccountLink.account_id == sa.bindparam("account_id")
)


def require_linked_account(*, session: Session, user_id: int, account_id: int) -> ProviderAccount:
    """The account if this resident has linked it; anyone else gets the same «not found»."""
    if parse_id(account_id) is None or parse_id(user_id) is None:
        raise DomainError("not_found")
    link = session.exec(_LINK_OF_USER, params={"user_id": user_id, "account_id": account_id}).first()
    account = session.get(ProviderAccount, account_id) if link else None
    if account is None:
        raise DomainError("not_found")
    return account


def _failures_today(session: Session, user_id: int, now: dt.datetime) -> int:
    return session.exec(
        select(func.count())
        .select_from(OwnershipFailure)
        .where(OwnershipFailure.user_id == user_id, OwnershipFailure.created_at > now - dt.timedelta(days=1))
    ).one()


# --- linking ----------------------------------------------------------------------------------


def find_account(*, session: Session, provider: Provider, number_text: str) -> ProviderAccount:
    """Format first, then the registry; raises account_format / account_not_found."""
    number = normalize_account_number(number_text)
    check_account_format(provider, number)
    account = session.exec(
        select(ProviderAccount).where(ProviderAccount.provider_id == provider.id, ProviderAccount.number == number)
    ).first()
    if account is None:
        raise DomainError("account_not_found", field="number", provider=provider.name)
    return account


def link_account(
    *,
    session: Session,
    user_id: int,
    provider_id: int,
    number: str,
    ownership_answer: str = "",
    nickname: str = "",
    now: dt.datetime,
    client_address: str = "",
) -> AccountLink:
    """Connects a registry account to the resident, after the provider's ownership check.

    Errors: provider_not_found, account_format, account_not_found, account_already_linked,
    ownership_required, ownership_mismatch (with `left` tries), ownership_locked.
    """
    provider = get_active_provider(session=session, provider_id=provider_id)
    account = find_account(session=session, provider=provider, number_text=number)
    already = session.exec(
        select(AccountLink).where(AccountLink.user_id == user_id, AccountLink.account_id == account.id)
    ).first()
    if already is not None:
        raise DomainError("account_already_linked", field="number", number=account.number)

    if provider.ownership_check != OwnershipCheck.none:
        _check_ownership(
            session,
            provider=provider,
            account=account,
            user_id=user_id,
            answer=ownership_answer,
            now=now,
            client_address=client_address,
        )

    assert account.id is not None
    link = AccountLink(user_id=user_id, account_id=account.id, nickname=_clean_nickname(nickname), created_at=now)
    session.add(link)
    session.flush()
    record_event(
        session=session,
        action="account_linked",
        now=now,
        actor_user_id=user_id,
        client_address=client_address,
        target_type="account",
        target_id=account.id,
        provider_id=provider.id,
    )
    return link


def _check_ownership(
    session: Session,
    *,
    provider: Provider,
    account: ProviderAccount,
    user_id: int,
    answer: str,
    now: dt.datetime,
    client_address: str,
) -> None:
    """The provider's second field, under the daily limit; a wrong answer is counted and audited, then refused."""
    failures = _failures_today(session, user_id, now)
    if failures >= OWNERSHIP_FAILURES_PER_DAY:
        raise DomainError("ownership_locked", field="ownership")
    if not answer.strip():
        raise DomainError(f"ownership_required_{provider.ownership_check.value}", field="ownership")
    meters = list(session.exec(select(Meter).where(Meter.account_id == account.id)))
    if not ownership_matches(provider=provider, account=account, meters=meters, answer=answer):
        assert account.id is not None
        session.add(OwnershipFailure(user_id=user_id, account_id=account.id, created_at=now))
        record_event(
            session=session,
            action="account_ownership_failed",
            now=now,
            actor_user_id=user_id,
            client_address=client_address,
            target_type="account",
            target_id=account.id,
            provider_id=provider.id,
        )
        left = OWNERSHIP_FAILURES_PER_DAY - failures - 1
        if left <= 0:
            raise DomainError("ownership_locked", field="ownership")
        raise DomainError(f"ownership_mismatch_{provider.ownership_check.value}", field="ownership", left=left)


def _clean_nickname(nickname: str) -> str:
    cleaned = " ".join(nickname.split())
    if len(cleaned) > NICKNAME_MAX_LENGTH:
        raise DomainError("nickname_too_long", field="nickname", max=NICKNAME_MAX_LENGTH)
    return cleaned


def rename_link(*, session: Session, user_id: int, account_id: int, nickname: str, now: dt.datetime) -> AccountLink:
    require_linked_account(session=session, user_id=user_id, account_id=account_id)
    link = session.exec(
        select(AccountLink).where(AccountLink.user_id == user_id, AccountLink.account_id == account_id)
    ).one()
    link.nickname = _clean_nickname(nickname)
    session.add(link)
    return link


def unlink_account(
    *, session: Session, user_id: int, account_id: int, now: dt.datetime, client_address: str = ""
) -> None:
    """Removes the resident's link; the account's payments and readings stay in history."""
    account = require_linked_account(session=session, user_id=user_id, account_id=account_id)
    link = session.exec(
        select(AccountLink).where(AccountLink.user_id == user_id, AccountLink.account_id == account_id)
    ).one()
    session.delete(link)
    record_event(
        session=session,
        action="account_unlinked",
        now=now,
        actor_user_id=user_id,
        client_address=client_address,
        target_type="account",
        target_id=account_id,
        provider_id=account.provider_id,
    )
