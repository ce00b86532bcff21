"""Turns service results into the strings pages show: Russian dates, plurals, meter values."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from babel import Locale

from cabinet import texts
from cabinet.money import format_rubles
from cabinet.services import payments
from cabinet.services.dashboard import AccountCard, verification_state
from cabinet.services.readings import MeterSummary, WindowState
from cabinet.state.local_time import format_local_time

_RUSSIAN = Locale("ru")
_PLURAL_INDEX = {"one": 0, "few": 1, "many": 2, "other": 1}


@dataclasses.dataclass(frozen=True)
class Choice:
    """An option of a select: the value sent back and the label shown."""

    value: str
    label: str


def plural(count: int, forms: tuple[str, str, str]) -> str:
    """«3 дня», «5 дней», «21 день»."""
    return f"{count} {forms[_PLURAL_INDEX[_RUSSIAN.plural_form(count)]]}"


def date_text(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def short_date(day: dt.date) -> str:
    return day.strftime("%d.%m")


def month_label(month: dt.date) -> str:
    return f"{texts.MONTHS_SHORT[month.month - 1]} {month.strftime('%y')}"


def account_subtitle(card: AccountCard) -> str:
    """«АО «Энергосбыт» · ЛС 51000123 · г. Заречный, …» under a page's title."""
    return f"{card.provider_name} · {texts.DASHBOARD['account_label']}{card.number} · {card.address}"


def kind_label(kind: str) -> str:
    return texts.METER_KINDS.get(kind, (kind, ""))[0]


def kind_unit(kind: str) -> str:
    return texts.METER_KINDS.get(kind, ("", ""))[1]


def thousandths_text(value: int, fraction_digits: int) -> str:
    """A use or a value with the dial's decimals, thousands grouped: «1 234,5»."""
    whole, rest = divmod(value, 1000)
    grouped = f"{whole:,}".replace(",", "\u00a0")
    if fraction_digits == 0:
        return grouped
    return f"{grouped},{str(rest).zfill(3)[:fraction_digits]}"


def window_text(window: WindowState, *, blocks: bool) -> str:
    if window.is_open:
        return texts.DASHBOARD["window_open"].format(
            closes=short_date(window.window.closes), days=plural(window.days_left, texts.DAYS))
    if blocks:
        return texts.DASHBOARD["window_closed"].format(opens=short_date(window.window.opens))
    return texts.DASHBOARD["window_closed_warn"].format(
        opens=short_date(window.window.opens), closes=short_date(window.window.closes))


def chart_points(series: list[tuple[dt.date, int]], scale: int) -> list[dict[str, Any]]:
    """Recharts wants plain objects: {"month": "ноя 26", "value": 12.5}."""
    return [{"month": month_label(month), "value": amount / scale} for month, amount in series]


@dataclasses.dataclass(frozen=True)
class MeterView:
    meter_id: int
    kind: str
    unit: str
    serial: str
    last_text: str
    verification: str
    verification_text: str
    chart_title: str
    chart: list[dict[str, Any]]


def meter_view(meter: MeterSummary, today: dt.date) -> MeterView:
    unit = kind_unit(meter.kind)
    if meter.last_value is not None and meter.last_day is not None:
        last = texts.DASHBOARD["last_reading"].format(
            value=thousandths_text(meter.last_value, meter.digits_fraction), unit=unit,
            date=date_text(meter.last_day), source=texts.READING_SOURCES.get(meter.last_source, ""))
    else:
        last = texts.DASHBOARD["no_reading"]
    state = verification_state(meter.verified_until, today)
    verification = ""
    if meter.verified_until is not None:
        key = {"expired": "verification_expired", "soon": "verification_soon"}.get(state, "verified_until")
        verification = texts.DASHBOARD[key].format(date=date_text(meter.verified_until))
    return MeterView(
        meter_id=meter.meter_id,
        kind=kind_label(meter.kind),
        unit=unit,
        serial=texts.DASHBOARD["serial"].format(serial=meter.serial) if meter.serial else "",
        last_text=last,
        verification=state,
        verification_text=verification,
        chart_title=f"{kind_label(meter.kind)}, {unit}",
        chart=chart_points(meter.monthly_use, 1000),
    )


@dataclasses.dataclass(frozen=True)
class AccountView:
    account_id: int
    provider: str
    number: str
    nickname: str
    address: str
    to_pay_label: str
    to_pay_text: str
    # "owe", "none" or "overpaid": the amount's colour.
    to_pay_state: str
    penalty_text: str
    as_of_text: str
    last_payment_text: str
    window_open: bool
    window_text: str
    unavailable: str
    meters: list[MeterView]
    payments_chart: list[dict[str, Any]]
    has_payments: bool


def account_view(card: AccountCard, today: dt.date, *, payments: list[tuple[dt.date, int]]) -> AccountView:
    balance = card.balance
    if balance.to_pay_kopecks > 0:
        label, amount, state = texts.DASHBOARD["to_pay"], format_rubles(balance.to_pay_kopecks), "owe"
    elif balance.to_pay_kopecks < 0:
        label, amount, state = texts.DASHBOARD["overpaid"], format_rubles(balance.overpaid_kopecks), "overpaid"
    else:
        label, amount, state = texts.DASHBOARD["to_pay"], texts.DASHBOARD["nothing_to_pay"], "none"
    as_of = texts.DASHBOARD["as_of"].format(date=date_text(balance.as_of))
    if balance.paid_since_kopecks:
        as_of += "; " + texts.DASHBOARD["paid_since"].format(amount=format_rubles(balance.paid_since_kopecks))
    if card.last_payment is not None:
        last_payment = texts.DASHBOARD["last_payment"].format(
            amount=format_rubles(card.last_payment.amount_kopecks), date=format_local_time(card.last_payment.paid_at))
    else:
        last_payment = texts.DASHBOARD["no_payments"]
    return AccountView(
        account_id=card.account_id,
        provider=card.provider_name,
        number=card.number,
        nickname=card.nickname,
        address=card.address,
        to_pay_label=label,
        to_pay_text=amount,
        to_pay_state=state,
        penalty_text=(f"{texts.DASHBOARD['penalty']} {format_rubles(balance.penalty_kopecks)}"
                      if balance.penalty_kopecks > 0 else ""),
        as_of_text=as_of,
        last_payment_text=last_payment,
        window_open=card.window.is_open,
        window_text=window_text(card.window, blocks=card.window_blocks) if card.meters else "",
        unavailable=card.unavailable_message,
        meters=[meter_view(meter, today) for meter in card.meters],
        payments_chart=chart_points(payments, 100),
        has_payments=any(amount for _month, amount in payments),
    )


def notification_outcome(outcome: str, status: str = "") -> str:
    """A logged webhook delivery's outcome in Russian (services/payments/webhook.py words it; kept for the admin)."""
    return payments.outcome_text(outcome, status)
