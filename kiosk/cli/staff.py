"""`kiosk staff hash-pin [--json] < pin`: the `[staff] pin_hash` line for a new staff PIN.

The PIN is one line on stdin (echo off on a terminal, where it is asked twice), never argv or the
environment; what is printed is only the scrypt hash, ready to paste into the site config.
"""

from __future__ import annotations

import argparse
import hmac
import os
import sys
from typing import Any

from kiosk.cli.common import EXIT_OK, UsageError, print_json

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    staff = commands.add_parser("staff", help="staff (maintenance) mode set-up")
    staff_commands = staff.add_subparsers(title="staff commands")
    hash_pin = staff_commands.add_parser(
        "hash-pin",
        help="hash a staff PIN (one line on stdin, 4 to 16 digits) into the [staff] pin_hash config line",
    )
    hash_pin.add_argument("--json", action="store_true", help='print {"pin_hash": ...} (and errors) as JSON')
    hash_pin.set_defaults(run=_run_hash_pin)


def _run_hash_pin(args: argparse.Namespace) -> int:
    from kiosk.card.pin_entry import read_pin_line
    from kiosk.staff import hash_staff_pin

    pin = read_pin_line(sys.stdin)
    try:
        # Typed blind, a PIN is easy to get wrong once; on a terminal it is asked again. Piped in, it is not.
        if os.isatty(sys.stdin.fileno()):
            again = read_pin_line(sys.stdin)
            try:
                if not hmac.compare_digest(pin, again):
                    raise UsageError("the two PINs differ")
            finally:
                again[:] = bytes(len(again))
        pin_hash = hash_staff_pin(pin)
    finally:
        pin[:] = bytes(len(pin))
    if args.json:
        print_json({"pin_hash": pin_hash})
    else:
        print(f'pin_hash = "{pin_hash}"')
    return EXIT_OK
