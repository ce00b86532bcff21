"""How a meter and its values read on a page: the kind's name and unit, a value with the dial's decimals."""

from __future__ import annotations

from cabinet import texts


def kind_label(kind: str) -> str:
    """«Холодная вода» for "cold_water"; an unknown kind as it is."""
    return texts.METER_KINDS.get(kind, (kind, ""))[0]


def kind_unit(kind: str) -> str:
    """«м³», «кВт·ч», «Гкал»."""
    return texts.METER_KINDS.get(kind, ("", ""))[1]


def thousandths_text(value: int, fraction_digits: int) -> str:
    """A use or a value with the dial's decimals, thousands grouped: «1 234,5»."""
    whole, rest = divmod(value, 1000)
    grouped = f"{whole:,}".replace(",", "\u00a0")
    if fraction_digits == 0:
        return grouped
    return f"{grouped},{str(rest).zfill(3)[:fraction_digits]}"


def reading_text(value: int, fraction_digits: int, kind: str) -> str:
    """«1 500,250 м³»: a meter's value or use with its unit, the one way pages and refusals write it."""
    return f"{thousandths_text(value, fraction_digits)} {kind_unit(kind)}".rstrip()
