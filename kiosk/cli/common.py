"""What every `kiosk` command shares: exit codes, usage errors, JSON reporting, the --config option."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from kiosk.errors import (
    BackendError,
    BackendRefusedError,
    CardRemovedError,
    KioskError,
    LastTryRefusedError,
    MalformedPinError,
    NoCardError,
    NoReaderError,
    NotJpkiCardError,
    OfferRefusedError,
    PinBlockedError,
    ReaderUnavailableError,
    ServiceClosedError,
    WrongPinError,
)

if TYPE_CHECKING:
    from kiosk.settings import SiteConfig

__all__ = [
    "EXIT_CODES_HELP",
    "EXIT_OK",
    "EXIT_USAGE",
    "Parser",
    "UsageError",
    "add_config_option",
    "exit_code_for",
    "load_config",
    "print_json",
    "report",
]

EXIT_OK = 0
EXIT_OTHER = 1
EXIT_USAGE = 2
EXIT_WRONG_PIN = 3
EXIT_PIN_BLOCKED = 4
EXIT_NO_CARD = 5
EXIT_NOT_JPKI = 6
EXIT_REFUSED = 7
EXIT_BACKEND = 8
EXIT_NOT_VERIFIED = 9

EXIT_CODES_HELP = """exit codes:
  0  ok
  1  anything else (timeouts, malformed card answers, bad profile or config)
  2  usage error or malformed PIN (nothing sent to the card)
  3  wrong PIN (the JSON error carries tries_left)
  4  PIN blocked, or last try refused without --allow-last-try
  5  no reader or no card (also: card removed, reader gone)
  6  the card is not a My Number (JPKI) card
  7  refused: by the municipality, closed by the service calendar, or a registered character the
     certificate font cannot print (go to the counter); the JSON error carries the reason
  8  the backend is unreachable, untrusted or sent something that failed verification
  9  kiosk verify: the certificate is not what the municipality issued (the JSON error says why)
"""


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors become exceptions so that --json can report them as JSON."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def exit_code_for(error: KioskError) -> int:
    if isinstance(error, MalformedPinError):
        return EXIT_USAGE
    if isinstance(error, WrongPinError):
        return EXIT_WRONG_PIN
    if isinstance(error, PinBlockedError | LastTryRefusedError):
        return EXIT_PIN_BLOCKED
    if isinstance(error, NoReaderError | NoCardError | CardRemovedError | ReaderUnavailableError):
        return EXIT_NO_CARD
    if isinstance(error, NotJpkiCardError):
        return EXIT_NOT_JPKI
    if isinstance(error, OfferRefusedError | ServiceClosedError) or (
        isinstance(error, BackendRefusedError) and error.error_code == "refused"
    ):
        return EXIT_REFUSED
    if isinstance(error, BackendError):
        return EXIT_BACKEND
    # printing.fonts.MissingGlyphError: a registered name the certificate font cannot print exactly; the
    # resident is sent to the counter, like any refusal. Matched by code: the core does not import printing.
    if error.code == "missing-glyph":
        return EXIT_REFUSED
    # printing.verification.VerificationError, matched by code for the same reason.
    if error.code == "not-verified":
        return EXIT_NOT_VERIFIED
    return EXIT_OTHER


def report(as_json: bool, error: Mapping[str, object], stream: TextIO) -> None:
    if as_json:
        stream.write(json.dumps(error, ensure_ascii=False) + "\n")
    else:
        stream.write(f"kiosk: {error['message']}\n")


def print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False))


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="site config (default: $KIOSK_CONFIG, else /etc/kiosk/kiosk.toml)",
    )


def load_config(args: argparse.Namespace, *, required: bool) -> SiteConfig | None:
    """The site config named by --config or $KIOSK_CONFIG or the default path.

    Commands that can run without one (card diagnostics) pass required=False: then only an explicitly named
    file is loaded.
    """
    from kiosk.settings import default_config_path, load_site_config

    if args.config is not None:
        return load_site_config(args.config)
    if not required and "KIOSK_CONFIG" not in os.environ:
        return None
    return load_site_config(default_config_path(os.environ))
