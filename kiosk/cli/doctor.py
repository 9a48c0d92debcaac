"""`kiosk doctor [--json]`: every check of the terminal, each finding with what staff should do.

Exit 0 when nothing is an error (warnings such as a card left on the reader do not fail it), 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_OK, EXIT_OTHER, add_config_option, print_json

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    doctor = commands.add_parser(
        "doctor", help="check the reader, printer, backend and clock, config, disk and journal"
    )
    doctor.add_argument(
        "--journal", type=Path, help="the audit journal (default $KIOSK_JOURNAL or /var/lib/kiosk)"
    )
    doctor.add_argument("--json", action="store_true", help="print the findings as JSON")
    add_config_option(doctor)
    doctor.set_defaults(run=_run_doctor)


def _run_doctor(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from kiosk.doctor import (
        Finding,
        Severity,
        check_backend,
        check_config,
        check_disk,
        check_journal,
        check_printer,
        check_reader,
        run_checks,
    )
    from kiosk.journal import default_journal_path
    from kiosk.settings import default_config_path, load_site_config

    clock = SystemClock()
    config_path = args.config if args.config is not None else default_config_path(os.environ)
    journal_path = args.journal if args.journal is not None else default_journal_path(os.environ)
    loaded: list[Any] = []

    def load() -> str:
        config = load_site_config(config_path)
        loaded.append(config)
        return str(config.version)

    checks: list[tuple[str, Any]] = [("config", lambda: check_config(load))]
    findings: list[Finding] = run_checks(checks)
    if loaded:
        config = loaded[0]
        findings += run_checks(
            [
                ("reader", lambda: check_reader(_reader_probe(config))),
                ("printer", lambda: check_printer(_printer_probe(config))),
                ("backend", lambda: check_backend(_backend_probe(config, clock))),
            ]
        )
    findings += run_checks(
        [
            ("disk", lambda: check_disk(journal_path.parent if journal_path.parent.exists() else Path("/"))),
            ("journal", lambda: check_journal(_journal_probe(journal_path, clock))),
        ]
    )
    failed = any(finding.severity is Severity.ERROR for finding in findings)
    if args.json:
        print_json({"ok": not failed, "findings": [finding.to_dict() for finding in findings]})
    else:
        for finding in findings:
            line = f"{finding.severity.value.upper():7} {finding.check:8} {finding.code}"
            if finding.detail:
                line += f" ({finding.detail})"
            if finding.action:
                line += f": {finding.action}"
            sys.stdout.write(line + "\n")
    return EXIT_OTHER if failed else EXIT_OK


def _reader_probe(config: Any) -> Any:
    from kiosk.errors import KioskError
    from kiosk.staff import ReaderStatus, reader_probe_for

    def open_context() -> Any:
        from kiosk.card.pcsc import PcscContext

        return PcscContext()

    probe = reader_probe_for(config.card, open_context)

    def safe() -> ReaderStatus:
        try:
            return probe()
        except KioskError as error:
            return ReaderStatus(None, False, error.code)

    return safe


def _printer_probe(config: Any) -> Any:
    from kiosk.errors import KioskError
    from kiosk.staff import PrinterSummary
    from printing.staff_probe import printer_probe_for

    probe = printer_probe_for(config.printer)

    def safe() -> PrinterSummary:
        try:
            return probe()
        except KioskError as error:
            return PrinterSummary.failed(error.code)

    return safe


def _backend_probe(config: Any, clock: Any) -> Any:
    from kiosk.errors import KioskError
    from kiosk.staff import BackendStatus, backend_probe_for

    probe = backend_probe_for(config.backend, clock)

    def safe() -> BackendStatus:
        try:
            return probe()
        except KioskError as error:
            return BackendStatus(False, None, error.code)

    return safe


def _journal_probe(path: Path, clock: Any) -> Any:
    from kiosk.doctor import JournalHealth
    from kiosk.errors import KioskError
    from kiosk.journal import Journal

    def probe() -> JournalHealth:
        try:
            journal = Journal.open(path, clock, create=False)
        except KioskError as error:
            reason = getattr(error, "reason", error.code)
            return JournalHealth(True, None, None, str(reason), 0)
        with journal:
            report = journal.verify()
            try:
                journal.check_writable()
                writable_error = None
            except KioskError as error:
                writable_error = str(getattr(error, "reason", error.code))
            return JournalHealth(
                report.ok, report.first_bad_seq, report.problem, writable_error, len(journal.unfinished())
            )

    return probe
