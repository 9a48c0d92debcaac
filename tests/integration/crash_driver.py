"""A kiosk process that dies: one scripted transaction through the real orchestrator (software card in a
virtual reader, the reference backend over TLS, virtual coins, a folder or CUPS printer), whose journal
SIGKILLs the process the moment the row for CRASH_STEP is durably written.

    python -m tests.integration.crash_driver CONFIG CARD_PROFILE JOURNAL CRASH_STEP PDF_DIR [CUPS_SERVER]

Exit status: killed by SIGKILL when the step was reached; 0 when the transaction finished without reaching
it (the test then fails); 1 on anything else.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

from kiosk.backend.document import DocumentType
from kiosk.backend.http import BackendClient
from kiosk.calendar import ServiceCalendar
from kiosk.card.profile import load_profile
from kiosk.card.reader import VirtualCardReader
from kiosk.card.virtual import SoftwareJpkiCard
from kiosk.clock import SystemClock
from kiosk.flow import State
from kiosk.holidays import LibraryHolidays
from kiosk.journal import Journal, JournalEntry
from kiosk.orchestrator import DocumentPrinter, Orchestrator, Ports, View
from kiosk.payment import VirtualCoinDevice
from kiosk.service_gate import ServiceGate
from kiosk.settings import load_site_config
from printing.decorations import SecurityDecorator
from printing.file_printer import FolderPrinter
from printing.fonts import FontSet
from printing.kiosk_printer import CupsCertificatePrinter, FolderCertificatePrinter
from printing.render import Renderer
from printing.spool import Spooler, cups_connection_factory
from printing.wording import load_wording

WAIT = 60.0


class CrashingJournal(Journal):
    crash_step = ""

    def append(self, entry: JournalEntry) -> int:
        seq = super().append(entry)
        if str(entry.step) == self.crash_step:
            os.kill(os.getpid(), signal.SIGKILL)
        return seq


def main(argv: list[str]) -> int:
    config_path, profile, journal_path, crash_step, pdf_dir = argv[:5]
    cups_server = argv[5] if len(argv) > 5 else None
    clock = SystemClock()
    config = load_site_config(Path(config_path))
    journal = CrashingJournal.open(Path(journal_path), clock)
    journal.crash_step = crash_step
    wording = load_wording()
    fonts = FontSet.register()
    renderer = Renderer(fonts, wording, SecurityDecorator(fonts, wording))
    printer: DocumentPrinter
    if cups_server is not None:
        spooler = Spooler(
            "Kiosk", connection_factory=cups_connection_factory(cups_server), progress_timeout=30
        )
        printer = CupsCertificatePrinter(renderer, wording, spooler, lambda: b"")
    else:
        printer = FolderCertificatePrinter(renderer, wording, FolderPrinter(Path(pdf_dir)), lambda: b"")
    reader = VirtualCardReader()
    coins = VirtualCoinDevice()
    gate = ServiceGate(
        ServiceCalendar(config.calendar, LibraryHolidays()), clock, synchronised=lambda: True,
        require_synchronised=False,
    )  # fmt: skip
    changed = threading.Condition()
    current: list[View] = [View(state=State.IDLE)]

    def on_change(view: View) -> None:
        with changed:
            current[0] = view
            changed.notify_all()

    def wait_for(state: State) -> None:
        with changed:
            if not changed.wait_for(lambda: current[0].state is state, timeout=WAIT):
                raise SystemExit(f"stuck on {current[0].state.value} waiting for {state.value}")

    with BackendClient(config.backend, clock=clock) as backend:
        ports = Ports(
            reader=reader,
            backend=backend,
            terminal_id=config.terminal.id,
            municipal_key=config.municipal_key,
            gate=gate,
            payment=coins,
            printer=printer,
            journal=journal,
        )
        orchestrator = Orchestrator(ports, on_change=on_change)
        orchestrator.refresh_service()
        orchestrator.start()
        wait_for(State.LANGUAGE)
        orchestrator.choose_language()
        wait_for(State.PLACE_CARD)
        reader.insert(SoftwareJpkiCard(load_profile(Path(profile))))
        wait_for(State.PIN)
        for digit in "1234":
            orchestrator.pin_digit(int(digit))
        orchestrator.pin_submit()
        wait_for(State.REMOVE_CARD)
        reader.remove()
        wait_for(State.DOCUMENT)
        orchestrator.choose_document(DocumentType.JUMINHYO)
        wait_for(State.OPTIONS)
        orchestrator.options_done()
        wait_for(State.COPIES)
        orchestrator.copies_done()
        wait_for(State.FEE)
        orchestrator.accept_fee()
        wait_for(State.PAYMENT)
        owed = current[0].fee_yen
        while owed > 0:
            if coins.insert(100):
                owed -= 100
        wait_for(State.TAKE_ITEMS)
        orchestrator.acknowledge()
        wait_for(State.THANK_YOU)
        orchestrator.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
