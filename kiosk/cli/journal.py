"""`kiosk journal verify|export|prune`: the operator's side of the audit journal (docs/journal.md).

The journal is `--journal PATH`, else $KIOSK_JOURNAL, else /var/lib/kiosk/journal.db. `verify` and `export`
open it read-only and never create one; `prune` needs write access.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_NOT_VERIFIED, EXIT_OK, print_json, report

__all__ = ["add_commands"]



def add_commands(commands: Any) -> None:
    journal = commands.add_parser("journal", help="check, export and prune the audit journal")
    journal_commands = journal.add_subparsers(title="journal commands")

    verify = journal_commands.add_parser(
        "verify",
        help="check the hash chain: exit 0 when intact, 9 when a row was altered, removed or reordered",
    )
    _add_common(verify, "print the report (and errors) as JSON")
    verify.set_defaults(run=_run_verify)

    export = journal_commands.add_parser(
        "export", help="print the rows written since a time, with their hashes, oldest first"
    )
    export.add_argument(
        "--since",
        required=True,
        type=_aware_datetime,
        metavar="ISO8601",
        help="first instant to include, with its offset (2026-11-24T00:00:00+09:00, or Z for UTC)",
    )
    _add_common(export, "one JSON object per row (JSON lines; errors as JSON too); default: tab-separated")
    export.set_defaults(run=_run_export)

    prune = journal_commands.add_parser(
        "prune", help="retention: remove the rows older than DAYS (the rest still verifies)"
    )
    prune.add_argument("--older-than", required=True, type=_days, metavar="DAYS", help="age in days, >= 1")
    _add_common(prune, 'print {"removed": N} (and errors) as JSON')
    prune.set_defaults(run=_run_prune)


def _add_common(parser: argparse.ArgumentParser, json_help: str) -> None:
    parser.add_argument(
        "--journal",
        type=Path,
        metavar="PATH",
        help="the journal file (default: $KIOSK_JOURNAL, else /var/lib/kiosk/journal.db)",
    )
    parser.add_argument("--json", action="store_true", help=json_help)


def _aware_datetime(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError("the time needs an offset (+09:00, or Z for UTC)")
    return value


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {text!r}") from None
    if days < 1:
        raise argparse.ArgumentTypeError("must be at least 1 day")
    return days


def _journal_path(args: argparse.Namespace) -> Path:
    from kiosk.journal import default_journal_path

    path: Path | None = args.journal
    return path if path is not None else default_journal_path(os.environ)


def _run_verify(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from kiosk.journal import Journal, JournalTamperedError

    with Journal.open(_journal_path(args), SystemClock(), create=False, read_only=True) as journal:
        result = journal.verify()
    if not result.ok:
        report(args.json, JournalTamperedError(result).to_dict(), sys.stderr)
        return EXIT_NOT_VERIFIED
    if args.json:
        print_json(result.to_dict())
    else:
        print(f"journal intact: {result.rows} rows")
    return EXIT_OK


def _run_export(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from kiosk.journal import EXPORT_COLUMNS, Journal

    with Journal.open(_journal_path(args), SystemClock(), create=False, read_only=True) as journal:
        if not args.json:
            print("\t".join(EXPORT_COLUMNS))
        for row in journal.export(args.since):
            if args.json:
                sys.stdout.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
            else:
                print("\t".join("" if row[name] is None else str(row[name]) for name in EXPORT_COLUMNS))
    return EXIT_OK


def _run_prune(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from kiosk.journal import Journal

    with Journal.open(_journal_path(args), SystemClock(), create=False) as journal:
        removed = journal.prune(timedelta(days=args.older_than))
    if args.json:
        print_json({"removed": removed})
    else:
        print(f"removed {removed} rows")
    return EXIT_OK
