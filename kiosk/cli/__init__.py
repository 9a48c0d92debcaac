"""The `kiosk` command: the front door for residents' devices, staff, operators and the test rig.

Exit codes are in `common.EXIT_CODES_HELP` (and the README). With --json, errors are one JSON object on
stderr with a `code` field. No PIN, and no personal data, is ever printed or logged. Each command imports
its layers lazily (architecture.md: the front door).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from kiosk.cli import app, backend, calendar, card, config, doctor, issue, journal, printer, staff, verify
from kiosk.cli.common import EXIT_OTHER, EXIT_USAGE, Parser, UsageError, exit_code_for, report
from kiosk.errors import KioskError

__all__ = ["exit_code_for", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args_list
    _configure_logging(os.environ.get("KIOSK_LOG_LEVEL", "WARNING"))
    parser = _build_parser()
    try:
        args = parser.parse_args(args_list)
        if not hasattr(args, "run"):
            parser.print_usage(sys.stderr)
            return EXIT_USAGE
        return int(args.run(args))
    except UsageError as exc:
        report(as_json, {"code": "usage", "message": str(exc)}, sys.stderr)
        return EXIT_USAGE
    except KioskError as exc:
        report(as_json, exc.to_dict(), sys.stderr)
        return exit_code_for(exc)
    except OSError as exc:
        # A file the command had to write (a full disk, --out naming a file): errno and its text, no path.
        message = exc.strerror or type(exc).__name__
        report(as_json, {"code": "os-error", "errno": exc.errno, "message": message}, sys.stderr)
        return EXIT_OTHER
    except KeyboardInterrupt:
        return 130


def _configure_logging(level_name: str) -> None:
    """Logs go to stderr. DEBUG shows card traffic as INS, lengths and SW only, never APDU data."""
    level = logging.getLevelNamesMapping().get(level_name.upper(), logging.WARNING)
    # force: each main() call (tests run several in one process) logs to the stderr of its own moment.
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s", force=True
    )


def _build_parser() -> Parser:
    parser = Parser(prog="kiosk", description="Konbini certificate kiosk.")
    commands = parser.add_subparsers(title="commands")
    card.add_commands(commands)
    issue.add_commands(commands)
    backend.add_commands(commands)
    calendar.add_commands(commands)
    verify.add_commands(commands)
    printer.add_commands(commands)
    staff.add_commands(commands)
    app.add_commands(commands)
    config.add_commands(commands)
    journal.add_commands(commands)
    doctor.add_commands(commands)
    return parser
