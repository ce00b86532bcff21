"""«Оплатить несколько счетов» as the resident edits it: the total, what is sent, and where a refusal shows."""

from __future__ import annotations

from cabinet import texts
from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import PaymentPurpose
from cabinet.money import format_rubles
from cabinet.services.payments import MIN_PAYMENT_KOPECKS
from cabinet.services.reading_form import ReadingRow
from cabinet.services.readings import ReadingsRejected
from cabinet.state import several_rows
from cabinet.state.pay import amount_refusal
from cabinet.state.several_rows import SeveralRow


def _meter(meter_id: int, **changes) -> ReadingRow:
    return ReadingRow(
        meter_id=meter_id,
        kind="Газ",
        unit="м³",
        serial="",
        previous_text="",
        help_text="",
        this_period_text="",
        open=True,
        previous_value=1_000_000,
        tariff_kopecks=854,
        **changes,
    )


def _row(account_id: int, amount: str, *, chosen: bool = True, meters=(), with_readings=False) -> SeveralRow:
    return SeveralRow(
        account_id=account_id,
        title=f"Счёт {account_id}",
        subtitle="",
        owed_text="",
        chosen=chosen,
        amount=amount,
        amount_error="",
        with_readings=with_readings,
        readings_error="",
        meters=list(meters),
        window_text="",
        window_mode="open",
        window_open=True,
        window_color="grass",
        can_send_readings=True,
    )


def test_the_total_counts_only_chosen_sums_that_would_be_taken():
    rows = [_row(1, "1 234,56"), _row(2, "100", chosen=False), _row(3, "0,5"), _row(4, ""), _row(5, "12,3,4")]
    assert several_rows.total_of(rows) == 123_456


def test_a_sum_is_refused_in_the_one_account_forms_words():
    limits = dict(min=format_rubles(MIN_PAYMENT_KOPECKS), max=format_rubles(get_settings().max_payment_kopecks))
    assert amount_refusal("0,5") == texts.error_text("payment_amount_range", **limits)
    assert amount_refusal("") == ""
    assert amount_refusal("", required=True) == texts.error_text("payment_amount_required")
    assert amount_refusal("250") == ""


def test_every_chosen_empty_sum_is_marked_at_once_and_an_unchosen_one_is_not():
    rows = several_rows.with_amounts_checked([_row(1, ""), _row(2, "  "), _row(3, "", chosen=False), _row(4, "10")])
    assert [row.amount_error for row in rows] == [
        texts.error_text("payment_amount_required"),
        texts.error_text("payment_amount_required"),
        "",
        "",
    ]
    assert [row.amount for row in rows] == ["", "  ", "", "10"]  # nothing typed is lost


def test_only_chosen_accounts_are_sent_each_as_its_own_sum_with_readings_only_when_handed_in():
    rows = [
        _row(1, "100", meters=[_meter(11, value="1010")], with_readings=True),
        _row(2, "200", chosen=False, meters=[_meter(21, value="1010")], with_readings=True),
        _row(3, "300", meters=[_meter(31, value="1010")]),
    ]
    parts = several_rows.parts_of(rows)
    assert [(part.account_id, part.amount_text, part.purpose) for part in parts] == [
        (1, "100", PaymentPurpose.custom_amount),
        (3, "300", PaymentPurpose.custom_amount),
    ]
    assert [entry.meter_id for entry in parts[0].readings] == [11]
    assert parts[1].readings == ()


def test_a_reading_typed_finds_its_meter_in_whichever_account_and_previews_the_use():
    rows = several_rows.with_value([_row(1, "1", meters=[_meter(11)]), _row(2, "1", meters=[_meter(21)])], 21, "1010")
    assert rows[0].meters[0].value == ""
    assert rows[1].meters[0].value == "1010"
    assert "Расход 10" in rows[1].meters[0].preview


def test_a_refused_reading_is_marked_on_its_own_account_and_a_jump_asks_for_confirmation():
    rows = [
        _row(1, "1", meters=[_meter(11)], with_readings=True),
        _row(2, "1", meters=[_meter(21), _meter(22)], with_readings=True),
    ]
    rejected = ReadingsRejected({21: DomainError("reading_lower", last="1 000,000 м³")}, jumps={22: 5.0})
    marked = several_rows.with_readings_rejected(rows, 2, rejected)
    assert marked[1].meters[0].error and not marked[0].meters[0].error
    assert marked[1].meters[1].jump
    assert several_rows.jumps_of(marked) == frozenset({22})
    assert several_rows.first_refused(marked) == "reading-21"
    # Readings no longer handed in with the account: nothing to confirm.
    assert not several_rows.asks_about_jumps(several_rows.changed(marked, 2, with_readings=False))
    assert several_rows.cleared(marked)[1].meters[0].error == ""


def test_a_field_names_its_account():
    assert several_rows.account_of("amount:12") == ("amount", 12)
    assert several_rows.account_of("readings:7") == ("readings", 7)
    assert several_rows.account_of("accounts") == ("accounts", 0)
    assert several_rows.account_of("amount:x") == ("amount:x", 0)
