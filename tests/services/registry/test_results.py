"""Row errors reported: the first ones by line, all of them counted."""

from __future__ import annotations

import pytest

from cabinet.errors import DomainError
from cabinet.services.registry import results
from tests.services.registry.files import GOOD, csv_text, import_text, preview_text


def test_a_file_wrong_on_every_line_keeps_the_first_errors_and_counts_all(session, provider, monkeypatch):
    monkeypatch.setattr(results, "MAX_REPORTED_ERRORS", 50)
    conflict = [GOOD[2], GOOD[2].replace(";;-300.00", ";Петров П. П.;-300.00")]
    wrong = [f"12{i:04d};Адрес;Житель;10,00;;01.11.2026;;;;;;;;;" for i in range(400)]
    text = csv_text(*conflict, *wrong)
    preview = preview_text(session, provider, text)
    assert preview.error_count == 401
    # The conflict (line 3) is found after the rows are read, yet comes first: errors are by line.
    assert [error.line for error in preview.errors] == list(range(3, 53))
    assert preview.errors[0].column == "owner"
    with pytest.raises(DomainError) as raised:
        import_text(session, provider, text)
    assert raised.value.params["count"] == 401
