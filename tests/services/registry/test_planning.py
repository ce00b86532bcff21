"""The preview: rows that disagree however far apart, counts of new, changed and unchanged, nothing written;
unknown providers and files over REGISTRY_MAX_MB refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cabinet import texts
from cabinet.config import get_settings
from cabinet.errors import DomainError
from cabinet.models import Meter, ProviderAccount
from cabinet.services import registry
from cabinet.services.registry import results
from tests.factories import NOW
from tests.services.registry.files import GOOD, HEADER, count_rows, csv_text, import_text, preview_text


def test_repeated_account_fields_must_agree(session, provider):
    conflicting = GOOD[1].replace("1234.56", "1234.57")
    preview = preview_text(session, provider, csv_text(GOOD[0], GOOD[2], conflicting))
    assert [(error.line, error.column) for error in preview.errors] == [(4, "debt")]
    assert "строкой 2" in preview.errors[0].message


def test_the_same_figures_written_differently_are_no_conflict(session, provider):
    # GOOD[1] repeats GOOD[0]'s account as 1234.56 / 12.50 / 2026-11-01 / 1500 instead of 1234,56 / 12,5 / ...
    assert preview_text(session, provider, csv_text(GOOD[0], GOOD[1])).errors == []


def test_a_meter_twice_in_the_file_is_an_error(session, provider):
    preview = preview_text(session, provider, csv_text(GOOD[0], GOOD[0].replace("123,456", "124")))
    assert [(error.line, error.column) for error in preview.errors] == [(3, "meter_serial")]
    assert "строке 2" in preview.errors[0].message


def test_rows_that_disagree_far_apart_are_still_reported(session, provider, tmp_path):
    """The first row of an account or meter and its repeat 30 000 lines later: nothing is forgotten
    between them. A row that disagrees is not looked at for its meter; a row with errors of its own
    is not an account's first row."""
    path = tmp_path / "registry.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\r\n")
        out.write("100200300;адрес;;много;;01.11.2026;;;;;;;;;\r\n")  # line 2: its own error
        out.write(GOOD[0] + "\r\n")  # line 3: the account's first row
        for i in range(30_000):  # lines 4 … 30 003
            out.write(f"{200_000_000 + i};адрес {i};;{i},10;;01.11.2026;;;M{i};gas;;;;;\r\n")
        out.write(GOOD[0].replace("Иванов И. И.", "Петров П. П.").replace(";W1;", ";W7;") + "\r\n")  # 30 004
        out.write(GOOD[1].replace(";4821;", ";4822;") + "\r\n")  # 30 005: another PIN
        out.write(GOOD[0].replace("123,456", "1") + "\r\n")  # 30 006: meter W1 again
        out.write(GOOD[0].replace(";W1;", ";W7;") + "\r\n")  # 30 007: W7 is new, its earlier row disagreed
        out.write("200000005;адрес 5;;5,1;;01.11.2026;;;M5;gas;;;;;\r\n")  # 30 008: repeats line 9 exactly
    preview = registry.preview_registry(session, provider_id=provider.id, source=path)
    assert [(error.line, error.column, error.message) for error in preview.errors] == [
        (2, "debt", results.message("money_signed")),
        (30_004, "owner", results.message("conflict", first=3)),
        (30_005, "pin", results.message("conflict", first=3)),
        (30_006, "meter_serial", results.message("meter_repeated", first=3)),
        (30_008, "meter_serial", results.message("meter_repeated", first=9)),
    ]
    assert preview.rows == 30_007 and count_rows(session, ProviderAccount) == 0


def test_preview_counts_new_changed_unchanged_and_writes_nothing(session, provider):
    assert (preview_text(session, provider, csv_text(*GOOD)).accounts_new, count_rows(session, ProviderAccount)) == (
        2,
        0,
    )
    import_text(session, provider, csv_text(*GOOD))
    changed = [
        GOOD[0].replace("123,456", "130"),
        GOOD[1],
        GOOD[2].replace("-300.00", "0"),
        "100200302;адрес;;1;;01.11.2026;;;M;gas;;;;;",
    ]
    preview = preview_text(session, provider, csv_text(*changed))
    assert preview.counts() == {
        "accounts_new": 1,
        "accounts_changed": 1,
        "accounts_unchanged": 1,
        "meters_new": 1,
        "meters_changed": 1,
        "meters_unchanged": 1,
        "rows": 4,
    }
    assert (count_rows(session, ProviderAccount), count_rows(session, Meter)) == (2, 2)


def test_unknown_provider_and_too_large_file_are_refused(session, provider):
    with pytest.raises(DomainError, match="not_found"):
        registry.preview_registry(session, provider_id=provider.id + 1000, source=io.BytesIO(csv_text(*GOOD).encode()))
    with pytest.raises(DomainError, match="registry_too_large") as raised:
        registry.preview_registry(
            session, provider_id=provider.id, source=io.BytesIO(b"x" * (2 * 1024 * 1024 + 1)), max_bytes=2 * 1024 * 1024
        )
    assert raised.value.params == {"max_mb": 2}


@pytest.fixture
def registry_limit(monkeypatch):
    """Sets REGISTRY_MAX_MB for one test, as an operator would in the environment."""

    def set_limit(megabytes: int) -> None:
        monkeypatch.setenv("REGISTRY_MAX_MB", str(megabytes))
        get_settings.cache_clear()

    yield set_limit
    monkeypatch.undo()
    get_settings.cache_clear()


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as out:  # sparse: the size without the bytes
        out.truncate(size)
    return path


def test_the_size_limit_is_256_mb_by_default_and_checked_before_reading(session, provider, tmp_path):
    assert registry.size_limit() == 256 * 1024 * 1024
    path = _sparse(tmp_path / "huge.csv", 256 * 1024 * 1024 + 1)
    with pytest.raises(DomainError, match="registry_too_large") as raised:
        registry.import_registry(session, provider_id=provider.id, source=path, now=NOW)
    assert raised.value.params == {"max_mb": 256}


def test_the_size_limit_follows_registry_max_mb_and_names_it_in_russian(session, provider, tmp_path, registry_limit):
    registry_limit(1)
    over = _sparse(tmp_path / "over.csv", 1024 * 1024 + 1)
    for attempt in (
        lambda: registry.preview_registry(session, provider_id=provider.id, source=over),
        lambda: registry.import_registry(session, provider_id=provider.id, source=over, now=NOW),
    ):
        with pytest.raises(DomainError, match="registry_too_large") as raised:
            attempt()
        assert raised.value.params == {"max_mb": 1}
        assert (
            texts.error_text(raised.value.code, **raised.value.params) == "Файл больше 1 МБ. Разделите реестр на части."
        )
    # A file of exactly the limit is taken.
    exact = tmp_path / "exact.csv"
    exact.write_bytes((csv_text(*GOOD).encode() + b"\r\n" * (1024 * 1024))[: 1024 * 1024])
    assert _preview_path(session, provider, exact).accounts_new == 2
    registry_limit(300)
    huge = _sparse(tmp_path / "huge.csv", 256 * 1024 * 1024 + 1)
    # Over the default, under the operator's limit: read, and refused only for what it holds (NUL bytes).
    with pytest.raises(DomainError, match="registry_encoding"):
        registry.preview_registry(session, provider_id=provider.id, source=huge)


def _preview_path(session, provider, path: Path):
    return registry.preview_registry(session, provider_id=provider.id, source=path)
