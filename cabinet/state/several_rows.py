"""The accounts of «Оплатить несколько счетов» as the resident edits them: one row each, its meters inside.

Plain functions of the rows, so the State only moves values: a row is replaced, never changed in place
(Reflex sends a var to the browser when it is assigned).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from cabinet import texts
from cabinet.money import format_rubles
from cabinet.services import payments, reading_form
from cabinet.services.reading_form import ReadingRow
from cabinet.services.readings import ReadingsRejected
from cabinet.state.pay import amount_refusal


@dataclasses.dataclass(frozen=True)
class SeveralRow:
    """One account: whether it is paid, its sum as typed, and its meters when readings go with it."""

    account_id: int
    title: str
    subtitle: str
    owed_text: str
    chosen: bool
    amount: str
    amount_error: str
    with_readings: bool
    # About the account's readings as a whole (the window closed meanwhile, nothing typed).
    readings_error: str
    meters: list[ReadingRow]
    window_text: str
    # "open", "warn" or "blocked", as on the readings form.
    window_mode: str
    window_open: bool
    window_color: str
    # Readings can be handed in now (the window does not refuse and some meter is open).
    can_send_readings: bool


def row_of(account: payments.SeveralAccount) -> SeveralRow:
    readings = account.readings
    return SeveralRow(
        account_id=account.account_id,
        title=account.title,
        subtitle=account.subtitle,
        owed_text=texts.PAY_SEVERAL["owed"].format(amount=format_rubles(account.owed_kopecks))
        if account.owed_kopecks
        else texts.PAY_SEVERAL["nothing_owed"],
        chosen=account.chosen,
        amount=account.amount_text,
        amount_error="",
        with_readings=False,
        readings_error="",
        meters=readings.rows,
        window_text=readings.window_text,
        window_mode=readings.window_mode,
        window_open=readings.window_open,
        window_color=readings.window_color,
        can_send_readings=readings.can_submit,
    )


def total_of(rows: Iterable[SeveralRow]) -> int:
    """What «Оплатить» would charge: the chosen accounts' sums that pass; a refused one counts for nothing."""
    total = 0
    for row in rows:
        if row.chosen and not amount_refusal(row.amount, required=True):
            total += payments.own_amount(row.amount)
    return total


def changed(rows: Iterable[SeveralRow], account_id: int, **changes: object) -> list[SeveralRow]:
    return [dataclasses.replace(row, **changes) if row.account_id == account_id else row for row in rows]


def _with_meter(row: SeveralRow, meter_id: int, change) -> SeveralRow:
    return dataclasses.replace(
        row, meters=[change(meter) if meter.meter_id == meter_id else meter for meter in row.meters]
    )


def with_value(rows: Iterable[SeveralRow], meter_id: int, value: str) -> list[SeveralRow]:
    """A reading typed: its preview of use anew, what was refused or asked of it gone."""

    def typed(meter: ReadingRow) -> ReadingRow:
        preview = reading_form.preview_text(meter, value, meter.replaced)
        return dataclasses.replace(meter, value=value, error="", jump="", preview=preview)

    return [_with_meter(row, meter_id, typed) for row in rows]


def with_replaced(rows: Iterable[SeveralRow], meter_id: int, replaced: bool) -> list[SeveralRow]:
    def ticked(meter: ReadingRow) -> ReadingRow:
        preview = reading_form.preview_text(meter, meter.value, replaced)
        return dataclasses.replace(meter, replaced=replaced, error="", preview=preview)

    return [_with_meter(row, meter_id, ticked) for row in rows]


def _sending_readings(row: SeveralRow) -> bool:
    return row.chosen and row.with_readings and row.can_send_readings


def parts_of(rows: Iterable[SeveralRow]) -> tuple[payments.PartRequest, ...]:
    """What «Оплатить» sends: each chosen account's sum, with its readings when they are handed in too."""
    return tuple(
        payments.PartRequest.own_sum(
            row.account_id,
            row.amount,
            tuple(reading_form.entries_of(row.meters)) if _sending_readings(row) else (),
        )
        for row in rows
        if row.chosen
    )


def jumps_of(rows: Iterable[SeveralRow]) -> frozenset[int]:
    """The meters whose unusual use the resident has just been asked about: «да, верно» confirms these."""
    return frozenset().union(*(reading_form.jumps_of(row.meters) for row in rows if _sending_readings(row)))


def asks_about_jumps(rows: Iterable[SeveralRow]) -> bool:
    return bool(jumps_of(rows))


def cleared(rows: Iterable[SeveralRow]) -> list[SeveralRow]:
    """The rows without last click's refusals (a new one is shown where the service says)."""
    return [
        dataclasses.replace(
            row,
            amount_error="",
            readings_error="",
            meters=[dataclasses.replace(meter, error="", jump="") for meter in row.meters],
        )
        for row in rows
    ]


def with_amounts_checked(rows: Iterable[SeveralRow]) -> list[SeveralRow]:
    """Every chosen account's sum checked at once, each refusal beside its own field."""
    return [
        dataclasses.replace(row, amount_error=amount_refusal(row.amount, required=True)) if row.chosen else row
        for row in rows
    ]


def with_readings_rejected(rows: Iterable[SeveralRow], account_id: int, rejected: ReadingsRejected) -> list[SeveralRow]:
    """Each refused reading or jump question of one account next to its field."""
    return [
        dataclasses.replace(row, meters=reading_form.marked_rows(row.meters, rejected))
        if row.account_id == account_id
        else row
        for row in rows
    ]


def account_of(field: str) -> tuple[str, int]:
    """«amount:12» → ("amount", 12); a field not of one account → (field, 0)."""
    name, _colon, account = field.partition(":")
    return (name, int(account)) if account.isdigit() else (field, 0)


def first_refused(rows: Iterable[SeveralRow]) -> str:
    """The id of the first input that says what is wrong, to bring it into view; "" for none."""
    for row in rows:
        if row.amount_error:
            return f"pay-several-amount-{row.account_id}"
        for meter in row.meters:
            if meter.error or meter.jump:
                return f"reading-{meter.meter_id}"
        if row.readings_error:
            return f"pay-several-with-readings-{row.account_id}"
    return ""
