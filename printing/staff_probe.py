"""The printer part of the staff status snapshot (kiosk/staff.py): CUPS lives here, so the probe does too."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.settings import PrinterSettings
from kiosk.staff import PrinterSummary
from printing.spool import ConnectionFactory, cups_connection_factory, printer_status

__all__ = ["NOT_CONFIGURED", "printer_probe_for"]

#: The summary's error code when the site config has no [printer] (a terminal that cannot print).
NOT_CONFIGURED = "printer-not-configured"


def printer_probe_for(
    settings: PrinterSettings | None, *, connection_factory: ConnectionFactory | None = None
) -> Callable[[], PrinterSummary]:
    """A probe of the configured queue for `gather_staff_status`. It raises PrinterUnavailableError when
    cupsd or the queue cannot be asked (the snapshot turns that into its code)."""

    def probe() -> PrinterSummary:
        if settings is None:
            return PrinterSummary.failed(NOT_CONFIGURED)
        factory = connection_factory or cups_connection_factory(settings.server)
        status = printer_status(settings.queue, connection_factory=factory)
        return PrinterSummary(
            state=status.state.name.lower(),
            reasons=status.reasons,
            needs_staff=status.needs_staff,
            accepting=status.accepting,
        )

    return probe
