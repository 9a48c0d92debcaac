"""`kiosk issue`: one whole transaction, headless, through the configured reader and backend."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_CODES_HELP, EXIT_OK, UsageError, add_config_option, load_config, print_json

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    issue = commands.add_parser(
        "issue",
        help="issue a document headless: PIN on stdin, card, backend, verify, render the certificate PDF",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    issue.add_argument("--document", required=True, choices=("juminhyo", "inkan"))
    issue.add_argument(
        "--option", action="append", default=[], metavar="KEY=VALUE", help="document option (repeatable)"
    )
    issue.add_argument("--copies", type=int, default=1)
    issue.add_argument(
        "--out",
        type=Path,
        help="also keep the certificate PDF (SERIAL.pdf) here, for testing; required without [printer]",
    )
    issue.add_argument(
        "--virtual-card",
        type=Path,
        metavar="PROFILE_DIR",
        help="use the in-process software card instead of PC/SC",
    )
    issue.add_argument("--reader", help="use the first reader whose name contains TEXT (default from config)")
    issue.add_argument("--wait", type=float, default=0.0, metavar="SECONDS", help="wait this long for a card")
    issue.add_argument("--allow-last-try", action="store_true", help="spend the PIN's last try")
    issue.add_argument("--json", action="store_true", help="print the result (and errors) as JSON")
    add_config_option(issue)
    issue.set_defaults(run=_run_issue)


def _options(pairs: list[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key or not value or key in options:
            raise UsageError(f"--option must be KEY=VALUE, each key once (got {pair!r})")
        options[key] = value
    return options


def _run_issue(args: argparse.Namespace) -> int:
    from kiosk.backend.document import DocumentType
    from kiosk.backend.http import BackendClient
    from kiosk.calendar import ServiceCalendar
    from kiosk.card.pin_entry import read_pin_line
    from kiosk.clock import SystemClock
    from kiosk.clock_trust import system_clock_synchronised
    from kiosk.holidays import LibraryHolidays
    from kiosk.issue import IssueOrder, issue_document
    from kiosk.service_gate import ServiceGate
    from printing.decorations import SecurityDecorator
    from printing.delivery import CertificateDelivery
    from printing.fonts import FontSet
    from printing.render import Renderer
    from printing.wording import load_wording

    if not 1 <= args.copies <= 10:
        raise UsageError("--copies must be 1..10")
    if args.wait < 0:
        raise UsageError("--wait must be >= 0")
    order = IssueOrder(DocumentType(args.document), _options(args.option), args.copies)
    config = load_config(args, required=True)
    assert config is not None  # noqa: S101 - required=True never returns None
    if args.out is None and config.printer is None:
        raise UsageError("--out is required when the site config has no [printer]")
    clock = SystemClock()
    gate = ServiceGate(
        ServiceCalendar(config.calendar, LibraryHolidays()),
        clock,
        synchronised=system_clock_synchronised,
        require_synchronised=config.calendar.require_synchronised_clock,
    )
    gate.check_start()  # before the PIN is read or the card opened; issue_document asks again
    wording = load_wording()
    # Fonts are registered before the card is touched: a missing font must not cost the resident a PIN try.
    fonts = FontSet.register()
    renderer = Renderer(fonts, wording, SecurityDecorator(fonts, wording))
    delivery = CertificateDelivery(renderer, wording, out_dir=args.out, printer=_printer(config))
    pin = read_pin_line(sys.stdin)
    try:
        with _card(args, config) as connection, BackendClient(config.backend, clock=clock) as backend:
            result = issue_document(
                connection=connection,
                backend=backend,
                terminal_id=config.terminal.id,
                municipal_key=config.municipal_key,
                pin=pin,
                order=order,
                deliver=delivery.deliver,
                allow_last_try=args.allow_last_try,
                gate=gate,
            )
    finally:
        pin[:] = bytes(len(pin))
    if args.json:
        print_json(result.to_dict())
    else:
        print(
            f"issued {result.document_type} serial {result.serial} "
            f"(request {result.request_id}): {result.output}"
        )
    return EXIT_OK


def _card(args: argparse.Namespace, config: Any) -> Any:
    from kiosk.card.pcsc import PcscContext
    from kiosk.card.profile import load_profile
    from kiosk.card.virtual import InProcessConnection, SoftwareJpkiCard

    @contextlib.contextmanager
    def opened() -> Any:
        if args.virtual_card is not None:
            yield InProcessConnection(SoftwareJpkiCard(load_profile(args.virtual_card)))
            return
        with PcscContext() as context:
            reader = context.pick_reader(args.reader if args.reader is not None else config.card.reader)
            context.wait_for_card(reader, args.wait)
            connection = context.connect(reader, transmit_timeout=config.card.timeout)
            try:
                yield connection
            finally:
                connection.close()

    return opened()


def _printer(config: Any) -> Any:
    """`print_or_raise` bound to the configured queue, or None when the site has no printer."""
    if config.printer is None:
        return None
    import functools

    from printing.spool import Spooler, cups_connection_factory, print_or_raise

    settings = config.printer
    spooler = Spooler(
        settings.queue,
        connection_factory=cups_connection_factory(settings.server),
        progress_timeout=settings.progress_timeout,
        staff_timeout=settings.staff_timeout,
    )
    return functools.partial(print_or_raise, spooler)
