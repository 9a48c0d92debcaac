"""`kiosk print FILE.pdf [--queue NAME]`: a staff test print through the configured (or named) CUPS queue."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_OK, UsageError, add_config_option, load_config, print_json

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    printer = commands.add_parser("print", help="print a PDF through CUPS and report how the job ended")
    printer.add_argument("file", type=Path, help="the PDF (a test page, or a 見本 sample)")
    printer.add_argument("--queue", help="CUPS queue (default: [printer] queue of the site config)")
    printer.add_argument("--copies", type=int, default=1)
    printer.add_argument("--json", action="store_true", help="print the result (and errors) as JSON")
    add_config_option(printer)
    printer.set_defaults(run=_run_print)


def _run_print(args: argparse.Namespace) -> int:
    from printing.spool import PrintJob, Spooler, cups_connection_factory

    if not 1 <= args.copies <= 10:
        raise UsageError("--copies must be 1..10")
    if not args.file.is_file():
        raise UsageError(f"no such file: {args.file}")
    config = load_config(args, required=args.queue is None)
    settings = config.printer if config is not None else None
    queue = args.queue or (settings.queue if settings is not None else None)
    if queue is None:
        raise UsageError("no --queue and no [printer] in the site config")
    server = settings.server if settings is not None else None
    spooler = Spooler(queue, connection_factory=cups_connection_factory(server))
    if settings is not None:
        spooler = Spooler(
            queue,
            connection_factory=cups_connection_factory(server),
            progress_timeout=settings.progress_timeout,
            staff_timeout=settings.staff_timeout,
        )
    outcome = spooler.print_pdf(
        PrintJob(pdf=args.file.read_bytes(), name="kiosk-test-print", copies=args.copies)
    )
    result = {
        "queue": queue,
        "job_id": outcome.job_id,
        "status": str(outcome.status),
        "reasons": list(outcome.reasons),
    }
    if args.json:
        print_json(result)
    else:
        print(f"{queue} job {outcome.job_id}: {outcome.status} {' '.join(outcome.reasons)}".rstrip())
    return EXIT_OK if outcome.status == "completed" else 1
