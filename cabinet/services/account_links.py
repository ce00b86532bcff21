"""A resident's own accounts as the pages act on them: listed, connected, renamed, unlinked (one entry each)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from cabinet.errors import DomainError
from cabinet.models import ProviderAccount
from cabinet.services import accounts
from cabinet.services.provider_cards import ProviderCard, provider_cards
from cabinet.services.transactions import transactional


@dataclass(frozen=True)
class LinkedAccount:
    account_id: int
    number: str
    provider: str
    address: str
    nickname: str


@dataclass(frozen=True)
class Unlinked:
    number: str  # the account that is no longer linked, for the notice
    linked: list[LinkedAccount]  # what is left


@dataclass(frozen=True)
class ConnectChoices:
    providers: list[ProviderCard]
    first_account: bool  # nothing linked yet: the page congratulates on the first one


def _linked(session: Session, user_id: int) -> list[LinkedAccount]:
    return [
        LinkedAccount(
            account_id=account.id or 0,
            number=account.number,
            provider=provider.name,
            address=account.address,
            nickname=link.nickname,
        )
        for link, account, provider in accounts.links_of(session=session, user_id=user_id)
    ]


@transactional()
def linked_accounts(*, session: Session, user_id: int) -> list[LinkedAccount]:
    """The resident's accounts, in the order they were linked."""
    return _linked(session, user_id)


@transactional()
def connect_choices(*, session: Session, user_id: int) -> ConnectChoices:
    """What /accounts/connect offers this resident."""
    return ConnectChoices(
        providers=provider_cards(session=session),
        first_account=not accounts.links_of(session=session, user_id=user_id),
    )


# A wrong ownership answer is committed although linking is refused: it counts towards the day's limit.
@transactional(keep_on=(DomainError,))
def connect_account(
    *,
    session: Session,
    user_id: int,
    provider_id: int,
    number: str,
    ownership_answer: str = "",
    nickname: str = "",
    now: dt.datetime,
    client_address: str = "",
) -> str:
    """Links the account (see accounts.link_account) and returns its number as the registry has it."""
    if not provider_id:
        raise DomainError("provider_required", field="provider")
    if not number.strip():
        raise DomainError("account_required", field="number")
    link = accounts.link_account(
        session=session,
        user_id=user_id,
        provider_id=provider_id,
        number=number,
        ownership_answer=ownership_answer,
        nickname=nickname,
        now=now,
        client_address=client_address,
    )
    account = session.get(ProviderAccount, link.account_id)
    assert account is not None
    return account.number


@transactional()
def save_nickname(
    *, session: Session, user_id: int, account_id: int, nickname: str, now: dt.datetime
) -> list[LinkedAccount]:
    """Renames the resident's own account; returns the accounts as they are now."""
    accounts.rename_link(session=session, user_id=user_id, account_id=account_id, nickname=nickname, now=now)
    return _linked(session, user_id)


@transactional()
def remove_account(
    *, session: Session, user_id: int, account_id: int, now: dt.datetime, client_address: str = ""
) -> Unlinked:
    """Unlinks the resident's own account (its history stays); anyone else's is «not found»."""
    number = accounts.require_linked_account(session=session, user_id=user_id, account_id=account_id).number
    accounts.unlink_account(
        session=session, user_id=user_id, account_id=account_id, now=now, client_address=client_address
    )
    return Unlinked(number=number, linked=_linked(session, user_id))
