"""What the dashboard shows, in words: one view per linked account, and the entry its State calls."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlmodel import Session

from cabinet import texts
from cabinet.money import format_rubles
from cabinet.services.calendar import date_text, days_text, local_date, local_time_text, month_label, short_date
from cabinet.services.dashboard import (
    AccountCard,
    MetersCard,
    dashboard_cards,
    meters_card_for,
    monthly_payments,
    verification_state,
)
from cabinet.services.meter_text import kind_label, kind_unit, reading_text
from cabinet.services.reading_history import MeterSummary
from cabinet.services.reading_rules import UNIT, WindowState
from cabinet.services.transactions import transactional

# The colour of a verification badge: expired is red, soon amber, otherwise grey.
_VERIFICATION_COLORS = {"expired": "red", "soon": "amber"}
_VERIFICATION_KEYS = {"expired": "verification_expired", "soon": "verification_soon"}
_KOPECKS_IN_RUBLE = 100


@dataclasses.dataclass(frozen=True)
class MeterView:
    meter_id: int
    kind: str
    # The kind's code ("gas"): the page picks the kind's icon by it.
    kind_code: str
    unit: str
    serial: str
    last_text: str
    # "expired", "soon", "ok" or "unknown": the badge's data-state.
    verification: str
    verification_text: str
    verification_color: str
    # An outlined badge for a meter in order, a filled one for a date to act on.
    verification_outlined: bool


@dataclasses.dataclass(frozen=True)
class AccountView:
    account_id: int
    provider: str
    number: str
    nickname: str
    address: str
    to_pay_label: str
    to_pay_text: str
    # "owe", "none" or "overpaid": the amount's data-state.
    to_pay_state: str
    to_pay_color: str
    penalty_text: str
    as_of_text: str
    last_payment_text: str
    window_open: bool
    window_text: str
    unavailable: str
    meters: list[MeterView]


@dataclasses.dataclass(frozen=True)
class MeterChart:
    meter_id: int
    title: str
    points: list[dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class AccountCharts:
    """«Расход и оплаты за год» of one account: asked for when the resident opens it, not with the dashboard
    (most openings never show a chart, and a year of points is half of what a card would send)."""

    account_id: int
    meters: list[MeterChart]
    payments: list[dict[str, Any]]
    has_payments: bool


def account_title(card: MetersCard) -> str:
    """A page's heading for one account: the resident's name for it, else the provider's."""
    return card.nickname or card.provider_name


def account_subtitle(card: MetersCard) -> str:
    """«АО «Энергосбыт» · ЛС 51000123 · г. Заречный, …» under a page's title.

    The provider only when the title is the resident's own name for the account: said twice, it reads as a slip.
    """
    account = f"{texts.DASHBOARD['account_label']}{card.number} · {card.address}"
    return f"{card.provider_name} · {account}" if card.nickname else account


def window_text(window: WindowState, *, blocks: bool) -> str:
    """The window badge of an account card: until when readings are taken, or from when."""
    if window.is_open:
        return texts.DASHBOARD["window_open"].format(
            closes=short_date(window.window.closes), days=days_text(window.days_left)
        )
    if blocks:
        return texts.DASHBOARD["window_closed"].format(opens=short_date(window.window.opens))
    return texts.DASHBOARD["window_closed_warn"].format(
        opens=short_date(window.window.opens), closes=short_date(window.window.closes)
    )


def chart_points(series: list[tuple[dt.date, int]], scale: int) -> list[dict[str, Any]]:
    """Recharts wants plain objects: {"month": "ноя 26", "value": 12.5}."""
    return [{"month": month_label(month), "value": amount / scale} for month, amount in series]


def meter_view(meter: MeterSummary, today: dt.date) -> MeterView:
    unit = kind_unit(meter.kind)
    if meter.last_value is not None and meter.last_day is not None:
        last = texts.DASHBOARD["last_reading"].format(
            value=reading_text(meter.last_value, meter.digits_fraction, meter.kind),
            date=date_text(meter.last_day),
            source=texts.READING_SOURCES.get(meter.last_source, ""),
        )
    else:
        last = texts.DASHBOARD["no_reading"]
    state = verification_state(meter.verified_until, today)
    verification = ""
    if meter.verified_until is not None:
        verification = texts.DASHBOARD[_VERIFICATION_KEYS.get(state, "verified_until")].format(
            date=date_text(meter.verified_until)
        )
    return MeterView(
        meter_id=meter.meter_id,
        kind=kind_label(meter.kind),
        kind_code=meter.kind,
        unit=unit,
        serial=texts.DASHBOARD["serial"].format(serial=meter.serial) if meter.serial else "",
        last_text=last,
        verification=state,
        verification_text=verification,
        verification_color=_VERIFICATION_COLORS.get(state, "gray"),
        verification_outlined=state == "ok",
    )


def meter_chart(meter: MeterSummary) -> MeterChart:
    title = f"{kind_label(meter.kind)}, {kind_unit(meter.kind)}"
    return MeterChart(meter_id=meter.meter_id, title=title, points=chart_points(meter.monthly_use, UNIT))


def _amount_to_pay(to_pay_kopecks: int) -> tuple[str, str, str]:
    """The label, the amount and its state: what is owed, what was overpaid, or nothing."""
    if to_pay_kopecks > 0:
        return texts.DASHBOARD["to_pay"], format_rubles(to_pay_kopecks), "owe"
    if to_pay_kopecks < 0:
        return texts.DASHBOARD["overpaid"], format_rubles(-to_pay_kopecks), "overpaid"
    return texts.DASHBOARD["to_pay"], texts.DASHBOARD["nothing_to_pay"], "none"


def _as_of_text(card: AccountCard) -> str:
    as_of = texts.DASHBOARD["as_of"].format(date=date_text(card.balance.as_of))
    if card.balance.paid_since_kopecks:
        as_of += "; " + texts.DASHBOARD["paid_since"].format(amount=format_rubles(card.balance.paid_since_kopecks))
    return as_of


def _last_payment_text(card: AccountCard) -> str:
    if card.last_payment is None:
        return texts.DASHBOARD["no_payments"]
    return texts.DASHBOARD["last_payment"].format(
        amount=format_rubles(card.last_payment.amount_kopecks), date=local_time_text(card.last_payment.paid_at)
    )


def account_view(card: AccountCard, today: dt.date) -> AccountView:
    label, amount, state = _amount_to_pay(card.balance.to_pay_kopecks)
    penalty = card.balance.penalty_kopecks
    return AccountView(
        account_id=card.account_id,
        provider=card.provider_name,
        number=card.number,
        nickname=card.nickname,
        address=card.address,
        to_pay_label=label,
        to_pay_text=amount,
        to_pay_state=state,
        # A debt is read in neutral grey; nothing owed or money ahead in green.
        to_pay_color="gray" if state == "owe" else "grass",
        penalty_text=f"{texts.DASHBOARD['penalty']} {format_rubles(penalty)}" if penalty > 0 else "",
        as_of_text=_as_of_text(card),
        last_payment_text=_last_payment_text(card),
        window_open=card.window.is_open,
        window_text=window_text(card.window, blocks=card.window_blocks) if card.meters else "",
        unavailable=card.unavailable_message,
        meters=[meter_view(meter, today) for meter in card.meters],
    )


@transactional()
def dashboard_of(*, session: Session, user_id: int, now: dt.datetime) -> list[AccountView]:
    """The dashboard's entry: a view of every account the resident has linked, in the residents' today."""
    today = local_date(now)
    return [account_view(card, today) for card in dashboard_cards(session, user_id=user_id, today=today)]


@transactional()
def charts_of(*, session: Session, user_id: int, account_id: int, now: dt.datetime) -> AccountCharts:
    """The charts of one of the resident's accounts; «not found» unless they have linked it."""
    today = local_date(now)
    card = meters_card_for(session, user_id=user_id, account_id=account_id, today=today)
    payments = monthly_payments(session, card.account_id, today)
    return AccountCharts(
        account_id=card.account_id,
        meters=[meter_chart(meter) for meter in card.meters],
        payments=chart_points(payments, _KOPECKS_IN_RUBLE),
        has_payments=any(amount for _month, amount in payments),
    )
