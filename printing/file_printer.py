"""A demo printer that files each certificate as a PDF in a folder instead of sending it to CUPS.

`FolderPrinter` has the call shape `CertificateDelivery.printer` expects (that of
`printing.spool.print_or_raise` bound to a spooler): `printer(pdf, name, copies) -> where`, raising
`PrintFailedError` when nothing printed. The PDF is written once as `<name>.pdf` (0600, whole or not at all,
through `write_private_file`) whatever the number of copies: the copies only appear in the returned
description, "folder:<path> (N copies)".

For demos and tests a `fault` hook stands for the printer's condition: it is asked before every print and by
`status()`, and returns None when the printer is ready or a printer-state-reasons keyword ("media-empty",
"media-jam-error", "cover-open", "offline-report", ...). A faulty printer files nothing and raises the same
`PrintFailedError` the CUPS path raises for that condition: "offline" for an offline-* reason (the spooler's
no-progress give-up), "failed" for anything else; a clerk-fixable reason (`is_staff_reason`) is reported to
`on_status` first as a `PrinterStatus` whose `needs_staff` is true, as the spooler does while a job waits.

The PDF holds a resident's data: it never appears in a log line, a repr or an error.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

from printing.delivery import write_private_file
from printing.spool import PrinterState, PrinterStatus, PrintFailedError, PrintJob, PrintStatus

__all__ = ["FolderPrinter"]

_log = logging.getLogger(__name__)

#: Reasons that mean the printer cannot be reached at all: the spooler gives such a job up as offline.
_OFFLINE_PREFIX = "offline"
#: An IPP keyword (RFC 8011 §5.1.4): lower-case ASCII letters, digits, '-', '_', '.'.
_KEYWORD = re.compile(r"[a-z][a-z0-9._-]{0,254}")


class FolderPrinter:
    """Writes `<name>.pdf` into `folder` and returns "folder:<path> (N copies)".

    fault: asked before each print and by `status()`; None means ready, a printer-state-reasons keyword means
    the printer has that condition now (it should describe a state, not count calls: `status()` asks it too).
    on_status: gets the printer's status before each print, like `Spooler.print_pdf`'s `on_status`.
    """

    def __init__(
        self,
        folder: Path,
        fault: Callable[[], str | None] | None = None,
        *,
        on_status: Callable[[PrinterStatus], None] | None = None,
    ) -> None:
        self._folder = folder
        self._fault = fault
        self._on_status = on_status

    @property
    def folder(self) -> Path:
        return self._folder

    def __call__(self, pdf: bytes, name: str, copies: int) -> str:
        """File the PDF and say where it went, or raise PrintFailedError (nothing filed)."""
        job = PrintJob(pdf=pdf, name=name, copies=copies)  # the spooler's own checks of all three
        reason = self._current_fault()
        status = _status_for(reason)
        if self._on_status is not None:
            self._on_status(status)
        if reason is not None:
            outcome = PrintStatus.OFFLINE if reason.startswith(_OFFLINE_PREFIX) else PrintStatus.FAILED
            _log.info("demo printer: %s %s", outcome, reason)
            raise PrintFailedError(str(outcome), (reason,))
        path = write_private_file(self._folder, f"{job.name}.pdf", job.pdf)
        _log.info("demo printer: filed %s (%d copies)", path.name, job.copies)
        return f"folder:{path} ({job.copies} {'copy' if job.copies == 1 else 'copies'})"

    def status(self) -> PrinterStatus:
        """The printer as the staff screen sees it: idle and accepting, or stopped with the fault's reason."""
        return _status_for(self._current_fault())

    def printer_status(self) -> PrinterStatus:
        """Same as `status()`, under `Spooler.printer_status`'s name."""
        return self.status()

    def _current_fault(self) -> str | None:
        if self._fault is None:
            return None
        reason = self._fault()
        if reason is not None and _KEYWORD.fullmatch(str(reason)) is None:
            # Checked at run time: the hook may be untyped, and the reason reaches logs and the staff screen.
            raise ValueError("fault must return None or a printer-state-reasons keyword")
        return reason


def _status_for(reason: str | None) -> PrinterStatus:
    if reason is None:
        return PrinterStatus(state=PrinterState.IDLE, reasons=(), accepting=True, message="")
    return PrinterStatus(state=PrinterState.STOPPED, reasons=(reason,), accepting=True, message="")
