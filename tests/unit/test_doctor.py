"""kiosk/doctor.py's checks with scripted probes: the faults the rig cannot make on demand (a skewed clock,
a full disk, an unwritable journal, a probe that breaks)."""

from __future__ import annotations

from pathlib import Path

from kiosk.doctor import (
    JournalHealth,
    Severity,
    check_backend,
    check_disk,
    check_journal,
    check_printer,
    check_reader,
    run_checks,
)
from kiosk.staff import BackendStatus, PrinterSummary, ReaderStatus


def test_a_skewed_clock_is_an_error_with_the_skew() -> None:
    (finding,) = check_backend(lambda: BackendStatus(True, 95.0, "clock-untrusted"))
    assert finding.code == "clock-skew" and finding.severity is Severity.ERROR
    assert "95 s" in finding.action
    (finding,) = check_backend(lambda: BackendStatus(True, -45.0, None))
    assert finding.code == "clock-skew"
    assert [f.code for f in check_backend(lambda: BackendStatus(True, 0.4, None))] == ["ok", "ok"]


def test_a_full_disk(tmp_path: Path) -> None:
    (finding,) = check_disk(tmp_path, min_free=2**62)
    assert finding.code == "disk-full" and finding.action
    assert check_disk(tmp_path, min_free=1)[0].code == "ok"


def test_a_journal_that_cannot_be_written_and_one_that_was_altered() -> None:
    findings = check_journal(lambda: JournalHealth(False, 7, "row-altered", "read-only", 0))
    assert [f.code for f in findings] == ["journal-tampered", "journal-unavailable"]
    assert "row 7" in findings[0].action and "read-only" in findings[1].action


def test_printer_reasons_become_what_to_do() -> None:
    (finding,) = check_printer(
        lambda: PrinterSummary("stopped", ("media-empty-error", "cover-open-report"), True, True)
    )
    assert finding.action == "Fix the printer: load paper, close the cover."
    unreachable = check_printer(lambda: PrinterSummary.failed("printer-unavailable"))
    assert unreachable[0].code == "printer-unreachable"


def test_a_missing_reader() -> None:
    assert check_reader(lambda: ReaderStatus(None, False))[0].code == "reader-missing"


def test_a_check_that_breaks_is_a_finding_not_a_crash() -> None:
    def broken() -> list:  # type: ignore[type-arg]
        raise RuntimeError("boom")

    (finding,) = run_checks([("printer", broken)])
    assert finding.code == "check-failed" and finding.detail == "RuntimeError"
    assert "printer check" in finding.action
