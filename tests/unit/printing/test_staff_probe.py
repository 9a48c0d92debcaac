"""The staff screen's printer probe (printing/staff_probe.py) against a scripted pycups connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cups
import pytest

from kiosk.settings import PrinterSettings
from kiosk.staff import BackendStatus, PrinterSummary, ReaderStatus, gather_staff_status
from printing.spool import PrinterUnavailableError
from printing.staff_probe import NOT_CONFIGURED, printer_probe_for

SETTINGS = PrinterSettings(queue="kiosk-printer")


class FakeConnection:
    def __init__(self, attributes: dict[str, Any] | BaseException) -> None:
        self.attributes = attributes
        self.asked: list[str] = []

    def getPrinterAttributes(self, name: str, requested_attributes: list[str]) -> dict[str, Any]:
        self.asked.append(name)
        if isinstance(self.attributes, BaseException):
            raise self.attributes
        return self.attributes


def test_an_idle_printer() -> None:
    connection = FakeConnection(
        {"printer-state": 3, "printer-state-reasons": ["none"], "printer-is-accepting-jobs": True}
    )
    probe = printer_probe_for(SETTINGS, connection_factory=lambda: connection)  # type: ignore[arg-type,return-value]
    assert probe() == PrinterSummary(state="idle", reasons=(), needs_staff=False, accepting=True)
    assert connection.asked == ["kiosk-printer"]


def test_a_printer_out_of_paper_needs_staff() -> None:
    connection = FakeConnection(
        {
            "printer-state": 5,
            "printer-state-reasons": ["media-empty-error", "offline-report"],
            "printer-is-accepting-jobs": True,
        }
    )
    probe = printer_probe_for(SETTINGS, connection_factory=lambda: connection)  # type: ignore[arg-type,return-value]
    assert probe() == PrinterSummary(
        state="stopped", reasons=("media-empty-error", "offline-report"), needs_staff=True, accepting=True
    )


def test_a_missing_queue_raises_and_the_snapshot_shows_its_code(tmp_path: Path) -> None:
    missing = cups.IPPError(cups.IPP_NOT_FOUND, "client-error-not-found")
    probe = printer_probe_for(SETTINGS, connection_factory=lambda: FakeConnection(missing))  # type: ignore[arg-type,return-value]
    with pytest.raises(PrinterUnavailableError) as caught:
        probe()
    assert caught.value.stage == "queue"
    status = gather_staff_status(
        reader_probe=lambda: ReaderStatus(None, False),
        printer_probe=probe,
        backend_probe=lambda: BackendStatus(True, 0.0),
        config_path=tmp_path / "kiosk.toml",
        counters={},
    )
    assert status.printer == PrinterSummary.failed("printer-unavailable")


def test_without_a_printer_section() -> None:
    assert printer_probe_for(None)() == PrinterSummary.failed(NOT_CONFIGURED)
