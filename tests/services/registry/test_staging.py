"""The staging tables: each preview or import drops its own, so calls can follow one another in a transaction."""

from __future__ import annotations

import pytest

from cabinet.errors import DomainError
from tests.services.registry.files import GOOD, csv_text, import_text, preview_text


def test_a_refused_import_then_a_preview_in_the_same_transaction(session, provider):
    """What `python -m cabinet import-registry` does with a bad file; each call cleans up after itself."""
    bad = csv_text(*GOOD, "oops;;;;;;;;;;;;;;")
    with pytest.raises(DomainError, match="registry_has_errors"):
        import_text(session, provider, bad)
    assert len(preview_text(session, provider, bad).errors) == 4
    assert import_text(session, provider, csv_text(*GOOD)).accounts_new == 2
    assert preview_text(session, provider, csv_text(*GOOD)).accounts_unchanged == 2
