"""Sending meter readings: checking the filled-in fields against the rules and history, and saving all or none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, col, select

from cabinet.errors import DomainError
from cabinet.models import Meter, MeterReading, Provider, ReadingSource, ReadingStatus, ReadingWindowPolicy
from cabinet.services.accounts import require_linked_account
from cabinet.services.audit import record_event
from cabinet.services.calendar import local_date, months_between
from cabinet.services.meter_text import reading_text
from cabinet.services.reading_history import PastValue, average_use, meters_of, previous_of, readings_before
from cabinet.services.reading_rules import UNIT as UNIT  # services/admin.py reads the unit from here
from cabinet.services.reading_rules import (
    Window,
    WindowState,
    charge_for,
    jump_factor,
    parse_reading,
    use_since,
    window_state,
)

# The field a refusal about the readings as a whole belongs to (the pay form shows it by its readings).
READINGS_FIELD = "readings"


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
        super().__init__("readings_rejected", field=READINGS_FIELD)
        self.errors = errors
        self.jumps = jumps

    @property
    def asks_confirmation(self) -> bool:
        """Every value is acceptable and only unusual use needs the resident's «да, верно»."""
        return bool(self.jumps) and not self.errors


# --- checking ---------------------------------------------------------------------------------


def _measured_use(
    previous: PastValue | None, value: int, meter: Meter, rollover_ticked: bool, provider: Provider
) -> tuple[int, bool]:
    if previous is None:
        return 0, False
    measured = use_since(previous.value, value, meter, rolled_over=rollover_ticked)
    if measured is None:
        raise DomainError("reading_lower", last=reading_text(previous.value, meter.digits_fraction, meter.kind))
    if measured[1] and not provider.allow_rollover:
        raise DomainError("reading_rollover_forbidden")
    return measured


def _check_one(
    session: Session,
    *,
    provider: Provider,
    meter: Meter,
    entry: ReadingEntry,
    period: dt.date,
    window: Window,
    jump_confirmed: bool,
) -> CheckedReading:
    value = parse_reading(entry.text, meter)
    assert meter.id is not None
    # One query serves both the value compared with and the year's average.
    earlier = readings_before(session, meter.id, period)
    previous = previous_of(meter, earlier[0] if earlier else None, window)
    use, is_rollover = _measured_use(previous, value, meter, entry.replaced_or_rolled_over, provider)
    if previous is not None and use == 0 and not provider.allow_zero_consumption:
        raise DomainError("reading_zero_use")
    cap = provider.consumption_cap_thousandths
    if cap is not None and use > cap:
        raise DomainError("reading_over_cap", cap=reading_text(cap, meter.digits_fraction, meter.kind))
    jump = None
    if previous is not None and not is_rollover and not jump_confirmed:
        jump = jump_factor(use / max(1, months_between(previous.period, period)), average_use(earlier, period))
    charge = charge_for(use, meter.tariff_kopecks) if meter.tariff_kopecks is not None and previous else None
    return CheckedReading(meter.id, value, use, is_rollover, charge, jump)


def check_readings(
    session: Session,
    *,
    provider: Provider,
    meters: list[Meter],
    entries: list[ReadingEntry],
    today: dt.date,
    confirmed_jumps: frozenset[int] = frozenset(),
) -> ReadingsCheck:
    """Checks the filled-in fields without saving; errors and jumps are reported per meter."""
    state = window_state(provider, today)
    if not state.is_open and provider.reading_window_policy == ReadingWindowPolicy.block:
        raise DomainError(
            "reading_window_closed",
            field=READINGS_FIELD,
            opens=state.window.opens.strftime("%d.%m"),
            closes=state.window.closes.strftime("%d.%m"),
        )
    check = ReadingsCheck(period=state.window.period, window=state, outside_window=not state.is_open)
    by_id = {meter.id: meter for meter in meters}
    filled = [entry for entry in entries if entry.text.strip()]
    if not filled:
        raise DomainError("readings_empty", field=READINGS_FIELD)
    for entry in filled:
        meter = by_id.get(entry.meter_id)
        if meter is None:
            raise DomainError("not_found")
        try:
            check.readings.append(
                _check_one(
                    session,
                    provider=provider,
                    meter=meter,
                    entry=entry,
                    period=check.period,
                    window=state.window,
                    jump_confirmed=entry.meter_id in confirmed_jumps,
                )
            )
        except DomainError as error:
            check.errors[entry.meter_id] = error
    return check


# --- saving -----------------------------------------------------------------------------------


def _period_reading(session: Session, meter_id: int, period: dt.date) -> MeterReading | None:
    query = select(MeterReading).where(MeterReading.meter_id == meter_id, MeterReading.period == period)
    return session.exec(query.order_by(col(MeterReading.id))).first()


def _lock_meters(session: Session, meter_ids: list[int]) -> None:
    """Family members sending at once: the second waits for the first and then edits its row.

    The meters' rows are locked, in id order, before this month's reading is looked for: locking the
    reading itself left the month's first reading unguarded (two sent at once both found none and both
    inserted one), and 50 at once then deadlocked on the duplicates (seen by bench.events). SQLite has
    one writer at a time, but its transaction starts at the first write: a write that changes nothing
    takes the lock before the look.
    """
    if not meter_ids:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.exec(select(Meter.id).where(col(Meter.id).in_(meter_ids)).order_by(col(Meter.id)).with_for_update())
    else:
        session.execute(sa.update(Meter).where(col(Meter.id).in_(meter_ids)).values(id=Meter.id))


def _save(
    session: Session,
    reading: CheckedReading,
    check: ReadingsCheck,
    *,
    user_id: int,
    now: dt.datetime,
    source: ReadingSource,
    payment_id: int | None,
) -> None:
    """Writes one checked reading: a new row, or this month's while the provider has not taken it."""
    row = _period_reading(session, reading.meter_id, check.period)
    if row is not None and row.status != ReadingStatus.accepted:
        raise ReadingsRejected({reading.meter_id: DomainError("reading_already_taken")}, {})
    row = row or MeterReading(
        meter_id=reading.meter_id, period=check.period, source=source, value_thousandths=reading.value, submitted_at=now
    )
    row.value_thousandths = reading.value
    row.user_id = user_id
    row.source = source
    row.payment_id = payment_id or row.payment_id
    row.is_rollover = reading.is_rollover
    row.outside_window = check.outside_window
    row.updated_at = now
    session.add(row)


def submit_readings(
    session: Session,
    *,
    user_id: int,
    account_id: int,
    entries: list[ReadingEntry],
    now: dt.datetime,
    source: ReadingSource = ReadingSource.resident,
    confirmed_jumps: frozenset[int] = frozenset(),
    payment_id: int | None = None,
    client_address: str = "",
) -> ReadingsCheck:
    """Saves every filled-in reading, or none: raises ReadingsRejected listing what to fix.

    A reading already given for this month is replaced while the provider has not taken it.
    """
    account = require_linked_account(session=session, user_id=user_id, account_id=account_id)
    provider = session.get(Provider, account.provider_id)
    assert provider is not None
    check = check_readings(
        session,
        provider=provider,
        meters=meters_of(session, account),
        entries=entries,
        today=local_date(now),
        confirmed_jumps=confirmed_jumps,
    )
    jumps = {reading.meter_id: reading.jump_factor for reading in check.readings if reading.jump_factor}
    if check.errors or jumps:
        raise ReadingsRejected(check.errors, jumps)
    _lock_meters(session, [reading.meter_id for reading in check.readings])
    for reading in check.readings:
        _save(session, reading, check, user_id=user_id, now=now, source=source, payment_id=payment_id)
        record_event(
            session=session,
            action="reading_submitted",
            now=now,
            actor_user_id=user_id,
            client_address=client_address,
            target_type="meter",
            target_id=reading.meter_id,
            details={"value": reading.value, "period": check.period.isoformat(), "source": source.value},
            provider_id=provider.id,
        )
    session.flush()
    return check
