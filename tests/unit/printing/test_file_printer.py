"""The demo folder printer: what it files, what it returns, and how a simulated fault is classified."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from printing.file_printer import FolderPrinter
from printing.spool import PrinterState, PrinterStatus, PrintFailedError, PrintStatus

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"


def test_files_the_pdf_once_privately_and_says_where(tmp_path: Path) -> None:
    folder = tmp_path / "printed"
    printer = FolderPrinter(folder)

    where = printer(PDF, "kiosk-R7-000123", 3)

    target = folder / "kiosk-R7-000123.pdf"
    assert where == f"folder:{target} (3 copies)"
    assert target.read_bytes() == PDF
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["kiosk-R7-000123.pdf"]  # no temporary left behind


def test_one_copy_is_singular(tmp_path: Path) -> None:
    assert FolderPrinter(tmp_path)(PDF, "kiosk-1", 1) == f"folder:{tmp_path / 'kiosk-1.pdf'} (1 copy)"


def test_has_the_call_shape_of_certificate_delivery_printer(tmp_path: Path) -> None:
    # The type CertificateDelivery.printer declares (mypy checks the assignment).
    printer: Callable[[bytes, str, int], str] = FolderPrinter(tmp_path)
    assert printer(PDF, "kiosk-1", 2).endswith("(2 copies)")


@pytest.mark.parametrize(
    ("pdf", "name", "copies"),
    [
        (b"not a pdf", "kiosk-1", 1),
        (PDF, "../escape", 1),
        (PDF, "a/b", 1),
        (PDF, "", 1),
        (PDF, "kiosk-1", 0),
        (PDF, "kiosk-1", 11),
        (PDF, "kiosk-1", True),
    ],
)
def test_refuses_what_the_spooler_refuses(tmp_path: Path, pdf: bytes, name: str, copies: int) -> None:
    with pytest.raises(ValueError):
        FolderPrinter(tmp_path / "out")(pdf, name, copies)
    assert not (tmp_path / "out").exists()


def test_ready_status_and_on_status(tmp_path: Path) -> None:
    seen: list[PrinterStatus] = []
    printer = FolderPrinter(tmp_path, on_status=seen.append)

    status = printer.status()
    assert status == PrinterStatus(PrinterState.IDLE, (), accepting=True, message="")
    assert not status.needs_staff
    assert printer.printer_status() == status
    printer(PDF, "kiosk-1", 1)
    assert seen == [status]


@pytest.mark.parametrize("reason", ["media-empty", "media-jam-error", "cover-open-report"])
def test_a_clerk_fault_fails_the_print_and_shows_as_needs_staff(tmp_path: Path, reason: str) -> None:
    seen: list[PrinterStatus] = []
    printer = FolderPrinter(tmp_path / "out", lambda: reason, on_status=seen.append)

    with pytest.raises(PrintFailedError) as caught:
        printer(PDF, "kiosk-1", 2)

    assert caught.value.status == PrintStatus.FAILED
    assert caught.value.reasons == (reason,)
    assert caught.value.to_dict()["code"] == "print-failed"
    assert not (tmp_path / "out").exists(), "nothing is filed when the print fails"
    assert len(seen) == 1
    assert seen[0].needs_staff
    assert seen[0].staff_reasons == (reason,)
    assert printer.status() == seen[0]
    assert printer.status().state is PrinterState.STOPPED


def test_an_offline_fault_fails_as_offline(tmp_path: Path) -> None:
    printer = FolderPrinter(tmp_path, lambda: "offline-report")
    with pytest.raises(PrintFailedError) as caught:
        printer(PDF, "kiosk-1", 1)
    assert caught.value.status == PrintStatus.OFFLINE
    assert caught.value.reasons == ("offline-report",)
    assert not printer.status().needs_staff


def test_a_fault_that_clears_lets_the_next_print_through(tmp_path: Path) -> None:
    condition: list[str | None] = ["media-empty"]
    printer = FolderPrinter(tmp_path, lambda: condition[0])

    with pytest.raises(PrintFailedError):
        printer(PDF, "kiosk-1", 1)
    assert printer.status().needs_staff
    condition[0] = None  # a clerk refilled the paper
    assert not printer.status().needs_staff
    assert printer(PDF, "kiosk-1", 1).startswith("folder:")


@pytest.mark.parametrize("answer", ["", "Media Empty", "紙切れ", "media\nempty"])
def test_a_malformed_fault_answer_is_refused(tmp_path: Path, answer: str) -> None:
    printer = FolderPrinter(tmp_path, lambda: answer)
    with pytest.raises(ValueError, match="fault must return") as caught:
        printer.status()
    assert answer not in str(caught.value) or not answer


def test_the_pdf_never_reaches_the_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    FolderPrinter(tmp_path)(PDF, "kiosk-1", 1)
    with pytest.raises(PrintFailedError) as caught:
        FolderPrinter(tmp_path, lambda: "media-empty")(PDF, "kiosk-2", 1)
    assert "%PDF" not in caplog.text
    assert "%PDF" not in str(caught.value)
