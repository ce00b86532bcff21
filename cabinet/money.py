"""Money as integer kopecks: parsing what people type and showing it as «1 234,56 ₽»."""

from __future__ import annotations

import re

from cabinet.errors import DomainError

# A no-break space groups thousands the Russian way and never wraps a sum.
THOUSANDS_SEPARATOR = "\u00a0"
_AMOUNT = re.compile(r"^(?P<rubles>\d{1,9})(?:[.,](?P<kopecks>\d{1,2}))?$")


def format_rubles(kopecks: int, *, sign: bool = False) -> str:
    """12345678 -> «123 456,78 ₽»; `sign` adds «+» to positive sums."""
    prefix = "−" if kopecks < 0 else ("+" if sign and kopecks > 0 else "")
    rubles, rest = divmod(abs(kopecks), 100)
    grouped = f"{rubles:,}".replace(",", THOUSANDS_SEPARATOR)
    return f"{prefix}{grouped},{rest:02d}\u00a0₽"


def amount_field_text(kopecks: int) -> str:
    """12345678 -> «123 456,78»: a sum as an amount field shows it (parse_rubles reads it back), no «₽»."""
    return format_rubles(kopecks).removesuffix("\u00a0₽")


def parse_rubles(text: str) -> int:
    """«1 234,5» -> 123450 kopecks. Raises DomainError('amount_format') on anything else."""
    cleaned = re.sub(r"[\s\u00a0\u202f₽]|руб\.?", "", text.strip().lower())
    match = _AMOUNT.match(cleaned)
    if not match:
        raise DomainError("amount_format")
    kopecks = (match.group("kopecks") or "0").ljust(2, "0")
    return int(match.group("rubles")) * 100 + int(kopecks)


def kopecks_to_decimal_string(kopecks: int) -> str:
    """The «123.45» form payment APIs expect."""
    if kopecks < 0:
        raise ValueError("a payment amount is never negative")
    return f"{kopecks // 100}.{kopecks % 100:02d}"


def decimal_string_to_kopecks(value: str) -> int:
    """«123.45» (or «123.4», «123») from a payment API -> 12345."""
    match = re.fullmatch(r"(\d+)(?:\.(\d{1,2}))?", value.strip())
    if not match:
        raise ValueError(f"not an amount: {value!r}")
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
