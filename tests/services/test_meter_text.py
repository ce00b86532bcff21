"""How a meter reads: its kind's name and unit, values with the dial's decimals and grouped thousands."""

from __future__ import annotations

from cabinet.services import meter_text

NBSP = "\u00a0"


def test_kinds_have_a_name_and_a_unit():
    assert (meter_text.kind_label("electricity"), meter_text.kind_unit("electricity")) == ("Электроэнергия", "кВт·ч")
    # A kind the texts do not know yet shows as it is, without a unit.
    assert (meter_text.kind_label("steam"), meter_text.kind_unit("steam")) == ("steam", "")


def test_values_keep_the_dials_decimals_and_group_thousands():
    assert meter_text.thousandths_text(1_234_500, 3) == f"1{NBSP}234,500"
    assert meter_text.thousandths_text(1_234_500, 1) == f"1{NBSP}234,5"
    assert meter_text.thousandths_text(1_234_500, 0) == f"1{NBSP}234"
    assert meter_text.thousandths_text(5, 3) == "0,005"
