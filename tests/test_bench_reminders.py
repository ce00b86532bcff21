"""The reminders benchmark runs end to end on PostgreSQL with a handful of residents (no timing is asserted)."""

from __future__ import annotations

from bench import reminders


def test_the_benchmark_reports_one_pass_and_an_empty_second_pass(capsys):
    report = reminders.main(["--residents", "40"])

    assert report["residents"] == 40
    assert report["accounts"] == 60
    assert report["rows"] > 0
    assert report["rows"] == sum(report["counts"].values()) == report["letters"]
    assert report["rows_without_letter"] == 0
    assert set(report["counts"]) == {
        "window_opens",
        "window_closing",
        "verification_soon",
        "verification_expired",
        "new_bill",
    }
    for figure in ("seconds", "rows_per_second", "plain_rows_per_second", "ratio", "peak_mb"):
        assert report[figure] > 0
    assert report["second_run_rows"] == 0
    assert "| rows |" in capsys.readouterr().out
