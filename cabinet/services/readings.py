"""Meter readings: the provider's window, the rules a new value must pass, saving and editing.

Values are integer thousandths of a unit (m³, kWh, Gcal), like money is kopecks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Protocol

import sqlalchemy as sa
from sqlmodel import Session, col, select

from cabinet.models import (
    Meter,
    MeterReading,
    Provider,
    ProviderAccount,
    ReadingSource,
    ReadingStatus,
    ReadingWindowPolicy,
)
from cabinet.services.accounts import require_linked_account
from cabinet.services.audit import record_event
from cabinet.services.calendar import add_months, day_in_month, local_date, month_start, months_between
from cabinet.errors import DomainError

UNIT = 1000
# A month's use this many times the usual one is more often a typo than a leak: ask first.
JUMP_FACTOR = 3
HISTORY_MONTHS = 12
# Below this share of the dial a lower value means a new meter, above it a dial that went round.
ROLLOVER_ZONE = 0.9
_NUMBER = re.compile(r"^(?P<whole>\d+)(?:[.,](?P<fraction>\d*))?$")


# --- the window -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The days readings for one billing month are taken; `closes` may fall in the next month."""

    period: dt.date
    opens: dt.date
    closes: dt.date


@dataclass(frozen=True)
class WindowState:
    is_open: bool
    # The open window, or the next one when closed.
    window: Window
    days_left: int = 0
    days_until_open: int = 0


def window_for_period(provider: Provider, period: dt.date) -> Window:
    start, end = provider.reading_window_start_day, provider.reading_window_end_day
    opens = day_in_month(period, start)
    closes_month = period if start <= end else add_months(period, 1)
    return Window(period=period, opens=opens, closes=day_in_month(closes_month, end))


def window_state(provider: Provider, today: dt.date) -> WindowState:
    """Whether readings are taken today, and until when or from when."""
    this_month = month_start(today)
    windows = [window_for_period(provider, add_months(this_month, offset)) for offset in (-1, 0, 1)]
    for window in windows:
        if window.opens <= today <= window.closes:
            return WindowState(is_open=True, window=window, days_left=(window.closes - today).days + 1)
    upcoming = next(window for window in windows if window.opens > today)
    return WindowState(is_open=False, window=upcoming, days_until_open=(upcoming.opens - today).days)


# --- values -----------------------------------------------------------------------------------


class Dial(Protocol):
    """What parsing needs of a meter: how many digits its display has."""

    digits_whole: int
    digits_fraction: int


def meter_capacity(meter: Dial) -> int:
    """The first value the dial cannot show, in thousandths: 10⁵ for five whole digits."""
    return 10**meter.digits_whole * UNIT


def parse_reading(text: str, meter: Dial) -> int:
    """«00123,45» -> 123450. Raises reading_required / reading_format / reading_capacity."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text)
    if not cleaned:
        raise DomainError("reading_required")
    match = _NUMBER.match(cleaned)
    if not match:
        raise DomainError("reading_format")
    whole, fraction = match.group("whole"), match.group("fraction") or ""
    if int(whole) >= 10**meter.digits_whole or len(fraction) > meter.digits_fraction:
        raise DomainError("reading_capacity", whole=meter.digits_whole, fraction=meter.digits_fraction)
    return int(whole) * UNIT + int(fraction.ljust(3, "0") or "0")


def format_reading(thousandths: int, meter: Dial) -> str:
    """123450 -> «123,45» with as many decimals as the dial has."""
    whole, rest = divmod(thousandths, UNIT)
    if meter.digits_fraction == 0:
        return str(whole)
    return f"{whole},{str(rest).zfill(3)[: meter.digits_fraction]}"


# --- history ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PastValue:
    value: int
    day: dt.date
    period: dt.date
    source: str


# Built once (see _METERS_OF_ACCOUNT): every reading sent runs it.
_READINGS_BEFORE = (
    select(MeterReading)
    .where(MeterReading.meter_id == sa.bindparam("meter_id"), MeterReading.period < sa.bindparam("period"))
    .order_by(col(MeterReading.period).desc(), col(MeterReading.submitted_at).desc())
    .limit(HISTORY_MONTHS + 1)
)


def _readings_before(session: Session, meter_id: int, period: dt.date) -> list[MeterReading]:
    return list(session.exec(_READINGS_BEFORE, params={"meter_id": meter_id, "period": period}))


def previous_value(session: Session, meter: Meter, period: dt.date, window: Window) -> PastValue | None:
    """What the new value is compared with: the latest reading of an earlier month, or the
    provider's own figure from the registry when that is newer."""
    assert meter.id is not None
    earlier = _readings_before(session, meter.id, period)
    return _previous_of(meter, earlier[0] if earlier else None, window)


def _previous_of(meter: Meter, latest: MeterReading | None, window: Window) -> PastValue | None:
    """previous_value, given the latest reading of a month before the window's."""
    candidates: list[PastValue] = []
    if latest is not None:
        candidates.append(PastValue(latest.value_thousandths, local_date(latest.submitted_at), latest.period, latest.source.value))
    if meter.last_value_thousandths is not None and meter.last_value_date and meter.last_value_date < window.opens:
        candidates.append(
            PastValue(meter.last_value_thousandths, meter.last_value_date, month_start(meter.last_value_date),
                      ReadingSource.registry_import.value)
        )
    return max(candidates, key=lambda past: past.day) if candidates else None


def _average_of(earlier: list[MeterReading], period: dt.date) -> int | None:
    """Mean use per month over the last year of `earlier` (readings of months before `period`,
    newest first); None with fewer than two of them."""
    history = [reading for reading in earlier if months_between(reading.period, period) <= HISTORY_MONTHS]
    by_period: dict[dt.date, MeterReading] = {}
    for reading in history:
        by_period.setdefault(reading.period, reading)
    points = sorted(by_period.values(), key=lambda reading: reading.period)
    total = months = 0
    for before, after in zip(points, points[1:]):
        if after.is_rollover or after.value_thousandths < before.value_thousandths:
            continue
        total += after.value_thousandths - before.value_thousandths
        months += months_between(before.period, after.period)
    return total // months if months else None


# --- checking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadingEntry:
    """One field of the form: the meter, what the resident typed, «заменён / через ноль»."""

    meter_id: int
    text: str
    replaced_or_rolled_over: bool = False


@dataclass(frozen=True)
class CheckedReading:
    meter_id: int
    value: int
    use: int
    is_rollover: bool
    charge_kopecks: int | None
    jump_factor: float | None


@dataclass
class ReadingsCheck:
    period: dt.date
    window: WindowState
    outside_window: bool
    readings: list[CheckedReading] = field(default_factory=list)
    errors: dict[int, DomainError] = field(default_factory=dict)


class ReadingsRejected(DomainError):
    """Some fields failed (`errors` by meter id) or need a second look (`jumps`: meter id → factor)."""

    def __init__(self, errors: dict[int, DomainError], jumps: dict[int, float]) -> None:
        super().__init__("readings_rejected")
        self.errors = errors
        self.jumps = jumps


def use_since(previous: int, value: int, meter: Dial, *, rolled_over: bool) -> tuple[int, bool] | None:
    """Use from `previous` to `value` and whether the dial went round; None for a lower value
    when the resident has not said the meter rolled over or was replaced."""
    if value >= previous:
        return value - previous, False
    if not rolled_over:
        return None
    if previous >= meter_capacity(meter) * ROLLOVER_ZONE:
        return meter_capacity(meter) - previous + value, True
    return value, True  # a new meter counts from zero


def charge_for(use: int, tariff_kopecks: int) -> int:
    """What `use` costs at the tariff, in kopecks."""
    return round(use * tariff_kopecks / UNIT)


def _use_since(previous: PastValue | None, value: int, meter: Meter, rollover_ticked: bool,
               provider: Provider) -> tuple[int, bool]:
    if previous is None:
        return 0, False
    measured = use_since(previous.value, value, meter, rolled_over=rollover_ticked)
    if measured is None:
        raise DomainError("reading_lower", last=format_reading(previous.value, meter))
    if measured[1] and not provider.allow_rollover:
        raise DomainError("reading_rollover_forbidden")
    return measured


def _check_one(session: Session, *, provider: Provider, meter: Meter, entry: ReadingEntry, period: dt.date,
               window: Window, jump_confirmed: bool) -> CheckedReading:
    value = parse_reading(entry.text, meter)
    assert meter.id is not None
    # One query serves both the value compared with and the year's average.
    earlier = _readings_before(session, meter.id, period)
    previous = _previous_of(meter, earlier[0] if earlier else None, window)
    use, is_rollover = _use_since(previous, value, meter, entry.replaced_or_rolled_over, provider)
    if previous is not None and use == 0 and not provider.allow_zero_consumption:
        raise DomainError("reading_zero_use")
    cap = provider.consumption_cap_thousandths
    if cap is not None and use > cap:
        raise DomainError("reading_over_cap", cap=format_reading(cap, meter))
    jump = None
    average = _average_of(earlier, period)
    if previous is not None and average and not is_rollover:
        monthly = use / max(1, months_between(previous.period, period))
        if monthly > JUMP_FACTOR * average and not jump_confirmed:
            jump = round(monthly / average, 1)
    charge = charge_for(use, meter.tariff_kopecks) if meter.tariff_kopecks is not None and previous else None
    return CheckedReading(meter.id, value, use, is_rollover, charge, jump)


def check_readings(session: Session, *, provider: Provider, meters: list[Meter], entries: list[ReadingEntry],
                   today: dt.date, confirmed_jumps: frozenset[int] = frozenset()) -> ReadingsCheck:
    """Checks the filled-in fields without saving; errors and jumps are reported per meter."""
    state = window_state(provider, today)
    if not state.is_open and provider.reading_window_policy == ReadingWindowPolicy.block:
        raise DomainError("reading_window_closed", opens=state.window.opens.strftime("%d.%m"),
                          closes=state.window.closes.strftime("%d.%m"))
    check = ReadingsCheck(period=state.window.period, window=state, outside_window=not state.is_open)
    by_id = {meter.id: meter for meter in meters}
    filled = [entry for entry in entries if entry.text.strip()]
    if not filled:
        raise DomainError("readings_empty")
    for entry in filled:
        meter = by_id.get(entry.meter_id)
        if meter is None:
            raise DomainError("not_found")
        try:
            check.readings.append(
                _check_one(session, provider=provider, meter=meter, entry=entry, period=check.period,
                           window=state.window, jump_confirmed=entry.meter_id in confirmed_jumps)
            )
        except DomainError as error:
            check.errors[entry.meter_id] = error
    return check


# --- saving -----------------------------------------------------------------------------------


def _period_reading(session: Session, meter_id: int, period: dt.date) -> MeterReading | None:
    query = select(MeterReading).where(MeterReading.meter_id == meter_id, MeterReading.period == period)
    if session.get_bind().dialect.name == "postgresql":
        # Two family members sending at once: the second waits and edits the first's row.
        query = query.with_for_update()
    return session.exec(query).first()


def submit_readings(session: Session, *, user_id: int, account_id: int, entries: list[ReadingEntry],
                    now: dt.datetime, source: ReadingSource = ReadingSource.resident,
                    confirmed_jumps: frozenset[int] = frozenset(), payment_id: int | None = None,
                    client_address: str = "") -> ReadingsCheck:
    """Saves every filled-in reading, or none: raises ReadingsRejected listing what to fix.

    A reading already given for this month is replaced while the provider has not taken it.
    """
    account = require_linked_account(session=session, user_id=user_id, account_id=account_id)
    provider = session.get(Provider, account.provider_id)
    assert provider is not None
    meters = meters_of(session, account)
    check = check_readings(session, provider=provider, meters=meters, entries=entries, today=local_date(now),
                           confirmed_jumps=confirmed_jumps)
    jumps = {reading.meter_id: reading.jump_factor for reading in check.readings if reading.jump_factor}
    if check.errors or jumps:
        raise ReadingsRejected(check.errors, jumps)
    for reading in check.readings:
        row = _period_reading(session, reading.meter_id, check.period)
        if row is not None and row.status != ReadingStatus.accepted:
            raise ReadingsRejected({reading.meter_id: DomainError("reading_already_taken")}, {})
        row = row or MeterReading(meter_id=reading.meter_id, period=check.period, source=source,
                                  value_thousandths=reading.value, submitted_at=now)
        row.value_thousandths = reading.value
        row.user_id = user_id
        row.source = source
        row.payment_id = payment_id or row.payment_id
        row.is_rollover = reading.is_rollover
        row.outside_window = check.outside_window
        row.updated_at = now
        session.add(row)
        record_event(session=session, action="reading_submitted", now=now, actor_user_id=user_id,
                     client_address=client_address, target_type="meter", target_id=reading.meter_id,
                     details={"value": reading.value, "period": check.period.isoformat(), "source": source.value})
    session.flush()
    return check


# The dashboard's queries are built once: building a statement costs more than running it on SQLite
# (≈ 0.2 ms against 0.1), and every page a resident opens runs several.
_METERS_OF_ACCOUNT = select(Meter).where(Meter.account_id == sa.bindparam("account_id")).order_by(
    col(Meter.kind), col(Meter.id))


def meters_of(session: Session, account: ProviderAccount) -> list[Meter]:
    return list(session.exec(_METERS_OF_ACCOUNT, params={"account_id": account.id}))


# --- what the dashboard shows -----------------------------------------------------------------


@dataclass(frozen=True)
class MeterSummary:
    meter_id: int
    kind: str
    serial: str
    digits_whole: int
    digits_fraction: int
    last_value: int | None
    last_day: dt.date | None
    last_source: str
    # This period's reading, if given: the form starts from it and says it can be changed.
    this_period_value: int | None
    this_period_editable: bool
    # What a new value this period is compared with.
    previous: PastValue | None
    verified_until: dt.date | None
    tariff_kopecks: int | None
    # (month, use) for the last twelve months that have readings.
    monthly_use: list[tuple[dt.date, int]]


_RECENT_READINGS = (
    select(MeterReading)
    .where(MeterReading.meter_id == sa.bindparam("meter_id"))
    .order_by(col(MeterReading.period).desc(), col(MeterReading.submitted_at).desc())
    .limit(HISTORY_MONTHS + 2)
)


def summarize_meter(session: Session, meter: Meter, window: Window) -> MeterSummary:
    assert meter.id is not None
    rows = list(session.exec(_RECENT_READINGS, params={"meter_id": meter.id}))
    current = next((row for row in rows if row.period == window.period), None)
    earlier = next((row for row in rows if row.period < window.period), None)
    # Rows run newest first; only when all of them are of this month or later can an earlier one
    # lie beyond the limit.
    if earlier is None and len(rows) == HISTORY_MONTHS + 2:
        previous = previous_value(session, meter, window.period, window)
    else:
        previous = _previous_of(meter, earlier, window)
    latest = rows[0] if rows else None
    last_value, last_day, last_source = None, None, ""
    if latest is not None:
        last_value, last_day, last_source = latest.value_thousandths, local_date(latest.submitted_at), latest.source.value
    if meter.last_value_thousandths is not None and meter.last_value_date and (last_day is None or meter.last_value_date > last_day):
        last_value, last_day, last_source = meter.last_value_thousandths, meter.last_value_date, ReadingSource.registry_import.value
    by_period: dict[dt.date, int] = {}
    for row in reversed(rows):
        by_period[row.period] = row.value_thousandths
    months = sorted(by_period)
    monthly_use = [
        (after, by_period[after] - by_period[before])
        for before, after in zip(months, months[1:])
        if by_period[after] >= by_period[before]
    ][-HISTORY_MONTHS:]
    return MeterSummary(
        meter_id=meter.id, kind=meter.kind.value, serial=meter.serial, digits_whole=meter.digits_whole,
        digits_fraction=meter.digits_fraction, last_value=last_value, last_day=last_day, last_source=last_source,
        this_period_value=current.value_thousandths if current else None,
        this_period_editable=bool(current and current.status == ReadingStatus.accepted),
        previous=previous,
        verified_until=meter.verified_until, tariff_kopecks=meter.tariff_kopecks, monthly_use=monthly_use,
    )
