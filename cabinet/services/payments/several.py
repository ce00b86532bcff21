"""«Оплатить несколько счетов»: what the form opens with — every linked account, its amount to pay and meters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from cabinet import texts
from cabinet.config import get_settings
from cabinet.models import User
from cabinet.money import amount_field_text, format_rubles
from cabinet.services.calendar import local_date
from cabinet.services.dashboard import AccountCard, dashboard_cards
from cabinet.services.dashboard_view import account_subtitle, account_title
from cabinet.services.payments.amounts import MIN_PAYMENT_KOPECKS
from cabinet.services.reading_form import ReadingsForm, form_of
from cabinet.services.transactions import transactional


@dataclass(frozen=True)
class SeveralAccount:
    """One account of the form: chosen at first when something is owed, its amount pre-filled with it."""

    card: AccountCard
    account_id: int
    title: str
    subtitle: str
    owed_kopecks: int
    # The amount field's first value: what is owed, as the resident would type it («1 234,56»); "" when nothing.
    amount_text: str
    chosen: bool
    # The account's meters as its own readings form shows them: «Передать показания» opens these.
    readings: ReadingsForm


@dataclass(frozen=True)
class SeveralPayForm:
    accounts: list[SeveralAccount]
    email: str
    custom_help: str

    @property
    def enough_accounts(self) -> bool:
        """The form is for two accounts or more; with one, the account's own pay form is the way."""
        return len(self.accounts) >= 2


@transactional()
def several_pay_form(*, session: Session, user_id: int, now: dt.datetime) -> SeveralPayForm:
    """Every account the resident has linked, in the dashboard's order, with what it owes now."""
    user = session.get(User, user_id)
    maximum = get_settings().max_payment_kopecks
    accounts = []
    for card in dashboard_cards(session, user_id=user_id, today=local_date(now)):
        owed = card.balance.to_pay_kopecks
        payable = owed >= MIN_PAYMENT_KOPECKS
        accounts.append(
            SeveralAccount(
                card=card,
                account_id=card.account_id,
                title=account_title(card),
                subtitle=account_subtitle(card),
                owed_kopecks=max(0, owed),
                amount_text=amount_field_text(min(owed, maximum)) if payable else "",
                chosen=payable,
                readings=form_of(card),
            )
        )
    return SeveralPayForm(
        accounts=accounts,
        email=user.email if user else "",
        custom_help=texts.PAYMENTS["mode_custom_help"].format(
            min=format_rubles(MIN_PAYMENT_KOPECKS), max=format_rubles(maximum)
        ),
    )
