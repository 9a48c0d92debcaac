"""A printer made on a background thread, so that the kiosk shows its first frame without waiting for it.

Registering IPAmj明朝 and building the renderer take about a second at start-up (pdf-fonts-printing.md);
nobody prints in the first second, so the window comes first. A printer that fails to build (a missing
font) fails `check_ready`, which the orchestrator asks before a transaction starts: a resident is never
taken through the card and the PIN for a certificate that cannot be printed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future

from kiosk.backend.verify import VerifiedDocument
from kiosk.orchestrator import DocumentPrinter

__all__ = ["DeferredPrinter"]

#: How long a caller waits for a printer still being built (the build takes about a second).
BUILD_TIMEOUT = 60.0


class DeferredPrinter:
    """Starts building on `prepare()` (the UI calls it once the first frame is up: the build holds the GIL
    for most of a second, which would otherwise slow the window) or on first use, if that is sooner."""

    def __init__(self, build: Callable[[], DocumentPrinter]) -> None:
        self._build = build
        self._future: Future[DocumentPrinter] = Future()
        self._started = threading.Lock()
        self._thread: threading.Thread | None = None

    def prepare(self) -> None:
        with self._started:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="printer-build", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            self._future.set_result(self._build())
        except BaseException as error:
            self._future.set_exception(error)  # handed to whoever asks for the printer

    def _printer(self) -> DocumentPrinter:
        self.prepare()
        return self._future.result(timeout=BUILD_TIMEOUT)

    def check_ready(self) -> None:
        self._printer().check_ready()

    def print_document(
        self,
        document: VerifiedDocument,
        copies: int,
        *,
        on_staff_needed: Callable[[tuple[str, ...]], None],
        on_job_created: Callable[[int], None],
        cancelled: threading.Event,
    ) -> str:
        return self._printer().print_document(
            document,
            copies,
            on_staff_needed=on_staff_needed,
            on_job_created=on_job_created,
            cancelled=cancelled,
        )

    def test_print(self) -> str:
        return self._printer().test_print()
