"""The spooler against a real cupsd (tests/cups_rig.py): a fresh private cupsd per test, on loopback only,
with the scripted kiosktest printer. These tests never skip: without cupsd, lpadmin or root they fail
and name what is missing."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from printing.spool import (
    PrinterStatus,
    PrinterUnavailableError,
    PrintJob,
    PrintStatus,
    Spooler,
    cups_connection_factory,
    printer_status,
)
from tests.cups_rig import CupsRig

pytestmark = pytest.mark.integration

#: Stands in for the resident's data inside the document: it must reach the printer and nothing else.
MARKER = b"RESIDENT-DATA-7f3a9c"
JOB_NAME = "kiosk-T0001-000123"


def certificate_pdf() -> bytes:
    """A PDF-shaped document with binary content larger than one upload chunk."""
    content = b"BT /F1 12 Tf 72 720 Td (" + MARKER + b") Tj ET"
    noise = os.urandom(150 * 1024)
    return b"".join(
        [
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
            b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n",
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n",
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n",
            b"4 0 obj<</Length %d>>stream\n" % len(content) + content + b"\nendstream endobj\n",
            b"5 0 obj<</Length %d>>stream\n" % len(noise) + noise + b"\nendstream endobj\n",
            b"trailer<</Root 1 0 R>>\n%%EOF\n",
        ]
    )


@pytest.fixture
def rig(cupsd: CupsRig) -> CupsRig:
    """A fresh cupsd per test (tests/integration/conftest.py): printer-state-reasons such as a jam stay on a
    queue until the printer clears them, so one test's printer must not leak into the next."""
    return cupsd


def spooler(rig: CupsRig, **timers: float) -> Spooler:
    settings: dict[str, Any] = {
        "poll_interval": 0.05,
        "progress_timeout": 5.0,
        "staff_timeout": 10.0,
        **timers,
    }
    return Spooler(rig.queue, connection_factory=cups_connection_factory(rig.server), **settings)


def job_attributes(rig: CupsRig, job_id: int) -> dict[str, Any]:
    conn = cups_connection_factory(rig.server)()
    wanted = ["job-name", "job-state", "job-state-reasons", "copies", "document-format"]
    return conn.getJobAttributes(job_id, requested_attributes=wanted)


def wait_until(predicate: Any, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())


def files_containing(folder: Path, needle: bytes) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and needle in path.read_bytes()]


def assert_nothing_left(rig: CupsRig) -> None:
    """No job data in the spool, and the document's content nowhere in cupsd's folders."""
    assert rig.spool_documents() == []
    for folder in (rig.spool_dir, rig.cache_dir, rig.etc_dir, rig.state_dir, rig.log_dir):
        assert files_containing(folder, MARKER) == [], folder
    assert wait_until(lambda: rig.backend_pids() == []), "the backend was not stopped"


def test_completed_job_reaches_the_printer_byte_for_byte(rig: CupsRig) -> None:
    pdf = certificate_pdf()
    seen: list[PrinterStatus] = []
    outcome = spooler(rig).print_pdf(PrintJob(pdf=pdf, name=JOB_NAME, copies=3), on_status=seen.append)

    assert outcome.status is PrintStatus.COMPLETED
    assert outcome.copies == 3
    printed = rig.printed(outcome.job_id)
    assert printed.documents == (pdf, pdf, pdf)
    assert printed.copies == 3
    assert printed.title == JOB_NAME
    assert printed.content_type == "application/pdf"
    assert {"media=iso_a4_210x297mm", "PageSize=A4"} <= set(printed.options.split())
    attributes = job_attributes(rig, outcome.job_id)
    assert attributes["job-name"] == JOB_NAME
    assert attributes["job-state"] == 9
    assert attributes["copies"] == 3
    assert not any(status.needs_staff for status in seen)
    assert_nothing_left(rig)


def test_paper_out_calls_staff_then_completes_once_paper_is_loaded(rig: CupsRig) -> None:
    rig.set_mode("paper-out")
    seen: list[PrinterStatus] = []
    refill: list[threading.Timer] = []

    def on_status(status: PrinterStatus) -> None:
        seen.append(status)
        if status.needs_staff and not refill:
            # The clerk needs longer than progress_timeout: waiting for staff must not count as offline.
            refill.append(threading.Timer(1.5, rig.set_mode, ("ok",)))
            refill[0].start()

    outcome = spooler(rig, progress_timeout=1.0).print_pdf(
        PrintJob(pdf=certificate_pdf(), name=JOB_NAME), on_status=on_status
    )
    refill[0].join()

    assert outcome.status is PrintStatus.COMPLETED
    assert {"media-empty-error", "media-needed-error"} <= set(outcome.reasons)
    staff = [status for status in seen if status.needs_staff]
    assert staff
    assert set(staff[0].staff_reasons) == {"media-empty-error", "media-needed-error"}
    assert not seen[-1].needs_staff
    assert rig.printed_jobs() == [outcome.job_id]
    assert_nothing_left(rig)


def test_jam_fails_the_job_and_leaves_the_printer_calling_staff(rig: CupsRig) -> None:
    rig.set_mode("jam")
    outcome = spooler(rig).print_pdf(PrintJob(pdf=certificate_pdf(), name=JOB_NAME))

    assert outcome.status is PrintStatus.FAILED
    assert "media-jam-error" in outcome.staff_reasons
    assert job_attributes(rig, outcome.job_id)["job-state"] == 8  # aborted (printer-error-policy=abort-job)
    assert rig.printed_jobs() == []
    status = printer_status(rig.queue, connection_factory=cups_connection_factory(rig.server))
    assert status.needs_staff, "the jam stays on the queue for the staff screen"
    assert status.accepting
    assert_nothing_left(rig)


def test_printer_off_is_offline_and_the_job_is_cancelled(rig: CupsRig) -> None:
    rig.set_mode("off")
    started = time.monotonic()
    outcome = spooler(rig, progress_timeout=1.0).print_pdf(PrintJob(pdf=certificate_pdf(), name=JOB_NAME))
    elapsed = time.monotonic() - started

    assert outcome.status is PrintStatus.OFFLINE
    assert 1.0 < elapsed < 3.0
    attributes = job_attributes(rig, outcome.job_id)
    assert (
        attributes["job-state"] == 7
    )  # canceled: right after Cancel-Job cupsd still says processing-to-stop-point
    assert rig.printed_jobs() == []
    assert_nothing_left(rig)


def test_no_clerk_within_staff_timeout_cancels_and_fails(rig: CupsRig) -> None:
    rig.set_mode("paper-out")
    outcome = spooler(rig, staff_timeout=1.0).print_pdf(PrintJob(pdf=certificate_pdf(), name=JOB_NAME))

    assert outcome.status is PrintStatus.FAILED
    assert {"media-empty-error", "media-needed-error"} <= set(outcome.staff_reasons)
    assert job_attributes(rig, outcome.job_id)["job-state"] == 7
    assert rig.printed_jobs() == []
    assert_nothing_left(rig)


def test_missing_queue_and_unreachable_cupsd_are_printer_unavailable(rig: CupsRig) -> None:
    job = PrintJob(pdf=certificate_pdf(), name=JOB_NAME)
    with pytest.raises(PrinterUnavailableError) as missing:
        Spooler("NoSuchQueue", connection_factory=cups_connection_factory(rig.server)).print_pdf(job)
    assert missing.value.stage == "queue"

    rig.stop()
    with pytest.raises(PrinterUnavailableError) as unreachable:
        spooler(rig).print_pdf(job)
    assert unreachable.value.stage == "connect"
    assert unreachable.value.to_dict()["queue"] == rig.queue


def test_cupsd_listens_on_loopback_only(rig: CupsRig) -> None:
    assert rig.tcp_listeners() == [rig.server]
    assert rig.udp_sockets() == []
    assert rig.socket_path.is_socket()
