"""The readings form: a row per meter in words, the live preview of use, and the entries its State calls."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from sqlmodel import Session

from cabinet import texts
from cabinet.errors import DomainError
from cabinet.models import ReadingSource
from cabinet.money import format_rubles
from cabinet.services.calendar import date_text, days_text, local_date, local_time_text, short_date
from cabinet.services.dashboard import MetersCard, meters_card_for
from cabinet.services.dashboard_view import account_subtitle, account_title
from cabinet.services.meter_text import kind_label, kind_unit, reading_text, thousandths_text
from cabinet.services.reading_history import MeterSummary
from cabinet.services.reading_rules import charge_for, parse_reading, use_since
from cabinet.services.readings import ReadingEntry, ReadingsRejected, submit_readings
from cabinet.services.transactions import transactional


@dataclasses.dataclass(frozen=True)
class ReadingRow:
    """One meter's field: what the page says about it, and what the resident typed and was told."""

    meter_id: int
    kind: str
    unit: str
    serial: str
    previous_text: str
    help_text: str
    this_period_text: str
    # False once the provider has taken this month's reading: nothing more to send.
    open: bool
    # The kind's code ("gas"): the page picks the kind's icon by it.
    kind_code: str = ""
    value: str = ""
    replaced: bool = False
    error: str = ""
    preview: str = ""
    jump: str = ""
    previous_value: int = -1
    tariff_kopecks: int = -1
    digits_whole: int = 5
    digits_fraction: int = 3


@dataclasses.dataclass(frozen=True)
class ReadingsForm:
    """The form for one account, ready to show."""

    title: str
    subtitle: str
    rows: list[ReadingRow]
    window_text: str
    # "open", "warn" (closed, taken with a note) or "blocked": the window notice's data-state.
    window_mode: str
    window_open: bool
    window_color: str
    # Something can be sent: the window does not refuse and some meter is still open.
    can_submit: bool


@dataclasses.dataclass(frozen=True)
class SentReadings:
    form: ReadingsForm
    # «Показания приняты 20.11.2026 12:00…», noting a reading taken outside the window.
    notice: str


def _previous_text(meter: MeterSummary) -> str:
    if meter.previous is None:
        return texts.READINGS["no_previous"]
    return texts.READINGS["previous"].format(
        value=reading_text(meter.previous.value, meter.digits_fraction, meter.kind), date=date_text(meter.previous.day)
    )


def _help_text(meter: MeterSummary) -> str:
    if meter.digits_fraction:
        return texts.READINGS["value_help"].format(whole=meter.digits_whole, fraction=meter.digits_fraction)
    return texts.READINGS["value_help_whole"].format(whole=meter.digits_whole)


def _this_period_text(meter: MeterSummary) -> str:
    if meter.this_period_value is None:
        return ""
    key = "this_period" if meter.this_period_editable else "this_period_taken"
    return texts.READINGS[key].format(value=reading_text(meter.this_period_value, meter.digits_fraction, meter.kind))


def row_of(meter: MeterSummary) -> ReadingRow:
    unit = kind_unit(meter.kind)
    return ReadingRow(
        meter_id=meter.meter_id,
        kind=kind_label(meter.kind),
        kind_code=meter.kind,
        unit=unit,
        serial=texts.DASHBOARD["serial"].format(serial=meter.serial) if meter.serial else "",
        previous_text=_previous_text(meter),
        help_text=_help_text(meter),
        this_period_text=_this_period_text(meter),
        open=meter.this_period_value is None or meter.this_period_editable,
        previous_value=meter.previous.value if meter.previous else -1,
        tariff_kopecks=meter.tariff_kopecks if meter.tariff_kopecks is not None else -1,
        digits_whole=meter.digits_whole,
        digits_fraction=meter.digits_fraction,
    )


def form_of(card: MetersCard) -> ReadingsForm:
    rows = [row_of(meter) for meter in card.meters]
    window = card.window
    opens, closes = short_date(window.window.opens), short_date(window.window.closes)
    if window.is_open:
        mode, color = "open", "grass"
        notice = texts.READINGS["window_open"].format(closes=closes, days=days_text(window.days_left))
    elif card.window_blocks:
        mode, color = "blocked", "gray"
        notice = texts.READINGS["window_blocked"].format(opens=opens, closes=closes)
    else:
        mode, color = "warn", "amber"
        notice = texts.READINGS["window_warn"].format(opens=opens, closes=closes)
    return ReadingsForm(
        title=account_title(card),
        subtitle=account_subtitle(card),
        rows=rows,
        window_text=notice,
        window_mode=mode,
        window_open=window.is_open,
        window_color=color,
        can_submit=mode != "blocked" and any(row.open for row in rows),
    )


# --- as the resident types ----------------------------------------------------------------------


def preview_text(row: ReadingRow, text: str, replaced: bool) -> str:
    """«Расход 3,5 м³ ≈ 175,00 ₽ по тарифу» as the resident types; empty until it makes sense."""
    try:
        value = parse_reading(text, row)
    except DomainError:
        return ""
    measured = use_since(row.previous_value, value, row, rolled_over=replaced) if row.previous_value >= 0 else None
    if measured is None:
        return ""
    use_text = thousandths_text(measured[0], row.digits_fraction)
    if row.tariff_kopecks < 0:
        return texts.READINGS["preview"].format(use=use_text, unit=row.unit)
    charge = format_rubles(charge_for(measured[0], row.tariff_kopecks))
    return texts.READINGS["preview_charge"].format(use=use_text, unit=row.unit, charge=charge)


def entries_of(rows: Iterable[ReadingRow]) -> list[ReadingEntry]:
    """What the form sends: the open rows as typed (empty ones are skipped by the check)."""
    return [ReadingEntry(row.meter_id, row.value, row.replaced) for row in rows if row.open]


def jumps_of(rows: Iterable[ReadingRow]) -> frozenset[int]:
    """The meters whose unusual use the resident has just been asked about: «да, верно» confirms these."""
    return frozenset(row.meter_id for row in rows if row.jump)


def _factor_text(factor: float) -> str:
    return f"{factor:g}".replace(".", ",")


def marked_rows(rows: Iterable[ReadingRow], rejected: ReadingsRejected) -> list[ReadingRow]:
    """The rows with the refusal's message or the jump question next to each field it names."""
    marked = []
    for row in rows:
        error = rejected.errors.get(row.meter_id)
        factor = rejected.jumps.get(row.meter_id)
        marked.append(
            dataclasses.replace(
                row,
                error=texts.error_text(error.code, **error.params) if error else "",
                jump=texts.READINGS["jump"].format(factor=_factor_text(factor)) if factor else "",
            )
        )
    return marked


# --- the entries --------------------------------------------------------------------------------


@transactional()
def open_form(*, session: Session, user_id: int, account_id: int, now: dt.datetime) -> ReadingsForm:
    """The form for one of the resident's accounts; «not found» unless they have linked it."""
    return form_of(meters_card_for(session, user_id=user_id, account_id=account_id, today=local_date(now)))


@transactional()
def send_readings(
    *,
    session: Session,
    user_id: int,
    account_id: int,
    entries: list[ReadingEntry],
    now: dt.datetime,
    confirmed_jumps: frozenset[int] = frozenset(),
    client_address: str = "",
) -> SentReadings:
    """Saves the form's readings (all or none: ReadingsRejected names the fields) and shows it afresh."""
    check = submit_readings(
        session,
        user_id=user_id,
        account_id=account_id,
        entries=entries,
        now=now,
        source=ReadingSource.resident,
        confirmed_jumps=confirmed_jumps,
        client_address=client_address,
    )
    card = meters_card_for(session, user_id=user_id, account_id=account_id, today=local_date(now))
    key = "saved_outside" if check.outside_window else "saved"
    return SentReadings(form=form_of(card), notice=texts.READINGS[key].format(date=local_time_text(now)))
