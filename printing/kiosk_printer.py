"""The orchestrator's printer: render a verified document, print it through CUPS (the demo: a folder).

`kiosk.orchestrator.DocumentPrinter` is the port; this is its one implementation. The PDF stays in memory
(the demo's folder printer writes it 0600, on purpose). While the job waits for a clerk, the orchestrator
hears the reasons through `on_staff_needed`; when its transaction is aborted (`cancelled` set), the next
status report raises, which makes the spooler cancel the job: it must never print later for someone else.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.backend.verify import VerifiedDocument
from printing.document import build_certificate
from printing.render import Renderer
from printing.spool import PrinterStatus, PrintFailedError, PrintJob, PrintStatus, Spooler
from printing.wording import Wording

__all__ = ["CupsCertificatePrinter", "FolderCertificatePrinter", "TransactionCancelledError"]


class TransactionCancelledError(Exception):
    """Raised inside the spooler's status callback so that it cancels the job of an aborted transaction."""


@dataclass(frozen=True)
class CupsCertificatePrinter:
    renderer: Renderer
    wording: Wording
    spooler: Spooler
    specimen: Callable[[], bytes]

    def print_document(
        self,
        document: VerifiedDocument,
        copies: int,
        *,
        on_staff_needed: Callable[[tuple[str, ...]], None],
        on_job_created: Callable[[int], None],
        cancelled: threading.Event,
    ) -> str:
        pdf = self.renderer.render(build_certificate(document, self.wording))
        seen: list[tuple[str, ...]] = [()]

        def on_status(status: PrinterStatus) -> None:
            if cancelled.is_set():
                raise TransactionCancelledError
            reasons = status.staff_reasons
            if reasons != seen[-1]:
                seen.append(reasons)
                on_staff_needed(reasons)

        outcome = self.spooler.print_pdf(
            PrintJob(pdf=pdf, name=f"kiosk-{document.content.serial}", copies=copies),
            on_status=on_status,
            on_created=on_job_created,
        )
        if outcome.status is not PrintStatus.COMPLETED:
            raise PrintFailedError(str(outcome.status), outcome.reasons)
        return f"cups:{self.spooler.queue}/{outcome.job_id}"

    def check_ready(self) -> None:
        """Built means ready: the fonts were registered and checked when the renderer was made."""

    def prepare(self) -> None:
        """Nothing left to load."""

    def test_print(self) -> str:
        outcome = self.spooler.print_pdf(PrintJob(pdf=self.specimen(), name="kiosk-test-print", copies=1))
        if outcome.status is not PrintStatus.COMPLETED:
            raise PrintFailedError(str(outcome.status), outcome.reasons)
        return f"cups:{self.spooler.queue}/{outcome.job_id}"


@dataclass(frozen=True)
class FolderCertificatePrinter:
    """The demo's printer: the PDF goes to a folder (0600), optionally after a simulated paper-out."""

    renderer: Renderer
    wording: Wording
    write: Callable[[bytes, str, int], str]
    specimen: Callable[[], bytes]
    #: Returns printer-state-reasons to simulate (e.g. ("media-empty",)) and clears them when staff fix it.
    faults: Callable[[], tuple[str, ...]] = lambda: ()
    staff_wait: Callable[[threading.Event], bool] = lambda _cancelled: True

    def print_document(
        self,
        document: VerifiedDocument,
        copies: int,
        *,
        on_staff_needed: Callable[[tuple[str, ...]], None],
        on_job_created: Callable[[int], None],
        cancelled: threading.Event,
    ) -> str:
        del on_job_created  # a folder has no jobs to cancel after a crash
        pdf = self.renderer.render(build_certificate(document, self.wording))
        reasons = self.faults()
        if reasons:
            on_staff_needed(reasons)
            if not self.staff_wait(cancelled) or cancelled.is_set():
                raise PrintFailedError(str(PrintStatus.FAILED), reasons)
            on_staff_needed(())
        if cancelled.is_set():
            raise PrintFailedError(str(PrintStatus.FAILED), ("job-canceled-by-kiosk",))
        return self.write(pdf, f"kiosk-{document.content.serial}", copies)

    def check_ready(self) -> None:
        """Built means ready."""

    def prepare(self) -> None:
        """Nothing left to load."""

    def test_print(self) -> str:
        return self.write(self.specimen(), f"kiosk-test-print-{uuid.uuid4().hex[:8]}", 1)
