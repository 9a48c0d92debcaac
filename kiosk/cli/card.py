"""`kiosk card ...`: the My Number card over PC/SC, and the software card (`kiosk card demo`)."""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.card.connection import CardConnection
from kiosk.cli.common import EXIT_CODES_HELP, EXIT_OK, UsageError, add_config_option, load_config

__all__ = ["add_card_source", "add_commands", "open_card"]

_DEFAULT_TIMEOUT = 10.0
_VPCD_DEFAULT_PORT = 35963


def add_commands(commands: Any) -> None:
    card = commands.add_parser(
        "card",
        help="My Number card (JPKI) over PC/SC, and the software card",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    card_commands = card.add_subparsers(title="card commands")

    status = card_commands.add_parser(
        "status",
        help="show the card's JPKI applet, PIN tries left and authentication certificate",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_card_source(status)
    status.set_defaults(run=_run_status)

    auth = card_commands.add_parser(
        "authenticate",
        help="verify the PIN (one line on stdin) and sign a challenge with the authentication key",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    auth.add_argument("--challenge", required=True, help="the challenge bytes, in hex")
    auth.add_argument(
        "--allow-last-try", action="store_true", help="spend the PIN's last try (otherwise refused, exit 4)"
    )
    add_card_source(auth)
    auth.set_defaults(run=_run_authenticate)

    emulate = card_commands.add_parser("emulate", help="attach a software card to vpcd until stopped")
    emulate.add_argument("--profile", required=True, type=Path, help="software card profile directory")
    emulate.add_argument(
        "--vpcd-port",
        type=int,
        default=_VPCD_DEFAULT_PORT,
        help="connect to vpcd listening on 127.0.0.1:PORT (Debian's default reader.conf: 35963)",
    )
    add_config_option(emulate)
    emulate.set_defaults(run=_run_emulate)

    make = card_commands.add_parser("make-profile", help="create a software card profile signed by a test CA")
    make.add_argument("--out", required=True, type=Path, help="profile directory to create")
    make.add_argument(
        "--ca-dir", type=Path, help="test JPKI CA directory (created if absent; default: OUT/../ca)"
    )
    make.add_argument("--pin", default="1234", help="the test card's authentication PIN (test data only)")
    make.add_argument("--json", action="store_true", help="print the result as JSON")
    add_config_option(make)
    make.set_defaults(run=_run_make_profile)

    demo = card_commands.add_parser(
        "demo", help="a walk through the card flow alone with an in-process software card"
    )
    demo.add_argument("--data", type=Path, default=Path(".demo"), help="where the demo keeps its test PKI")
    add_config_option(demo)
    demo.set_defaults(run=_run_demo)


def add_card_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reader", help="use the first reader whose name contains TEXT")
    parser.add_argument(
        "--wait", type=float, default=0.0, metavar="SECONDS", help="wait this long for a card"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=_DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up when the card does not answer one command within this (default {_DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--software-card",
        type=Path,
        metavar="PROFILE",
        help="talk to an in-process software card instead of PC/SC (tests, demo)",
    )
    parser.add_argument("--json", action="store_true", help="print the result (and errors) as JSON")
    add_config_option(parser)


@contextlib.contextmanager
def open_card(args: argparse.Namespace) -> Iterator[tuple[str, CardConnection]]:
    """The card named by the options: --software-card, else the reader from --reader or the config."""
    if args.wait < 0 or args.timeout <= 0:
        raise UsageError("--wait must be >= 0 and --timeout > 0")
    if args.software_card is not None:
        from kiosk.card.profile import load_profile
        from kiosk.card.virtual import InProcessConnection, SoftwareJpkiCard

        yield (
            "software card (in-process)",
            InProcessConnection(SoftwareJpkiCard(load_profile(args.software_card))),
        )
        return
    from kiosk.card.pcsc import PcscContext

    config = load_config(args, required=False)
    wanted = args.reader if args.reader is not None or config is None else config.card.reader
    with PcscContext() as context:
        reader = context.pick_reader(wanted)
        context.wait_for_card(reader, args.wait)
        connection = context.connect(reader, transmit_timeout=args.timeout)
        try:
            yield reader, connection
        finally:
            connection.close()


def _run_status(args: argparse.Namespace) -> int:
    from kiosk.card.operations import read_status

    with open_card(args) as (reader, connection):
        status = read_status(connection, reader)
    result = status.to_dict()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        cert = status.auth_certificate
        print(f"reader:               {status.reader}")
        print(f"ATR:                  {result['atr']}")
        print("applet:               JPKI (公的個人認証)")
        print(f"auth PIN tries left:  {status.auth_pin_tries_left}")
        print(f"auth certificate:     serial {cert.serial}")
        print(f"  issuer:             {cert.issuer}")
        print(f"  subject:            {cert.subject}")
        print(f"  valid:              {cert.not_before} .. {cert.not_after}")
        print(f"  sha256:             {cert.sha256}")
    return EXIT_OK


def _run_authenticate(args: argparse.Namespace) -> int:
    from kiosk.card.operations import authenticate

    try:
        challenge = bytes.fromhex(args.challenge)
    except ValueError:
        raise UsageError("--challenge must be hex") from None
    if not challenge:
        raise UsageError("--challenge must not be empty")
    from kiosk.card.pin_entry import read_pin_line

    pin = read_pin_line(sys.stdin)
    try:
        with open_card(args) as (_, connection):
            result = authenticate(connection, challenge, pin, allow_last_try=args.allow_last_try)
    finally:
        pin[:] = bytes(len(pin))
    output = {
        "certificate": base64.b64encode(result.certificate).decode(),
        "signature": base64.b64encode(result.signature).decode(),
        "algorithm": result.algorithm,
    }
    if args.json:
        print(json.dumps(output))
    else:
        print(f"certificate: {output['certificate']}")
        print(f"signature:   {output['signature']}")
        print(f"algorithm:   {output['algorithm']}")
    return EXIT_OK


def _run_emulate(args: argparse.Namespace) -> int:
    from kiosk.card.profile import load_profile
    from kiosk.card.virtual import SoftwareJpkiCard
    from kiosk.card.vpcd import VpcdLink

    card = SoftwareJpkiCard(load_profile(args.profile))
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    # vpcd 0.8 (Debian 12) crashes pcscd in its "reversed" mode when a card is pulled, so the card is
    # always the client of a listening vpcd.
    with VpcdLink(card, args.vpcd_port, listen=False):
        sys.stderr.write(
            f"software card attached to vpcd at 127.0.0.1:{args.vpcd_port}; stop with Ctrl-C or SIGTERM\n"
        )
        sys.stderr.flush()
        stop.wait()
    return EXIT_OK


def _run_make_profile(args: argparse.Namespace) -> int:
    from kiosk.card.operations import CertificateSummary
    from kiosk.card.profile import make_profile
    from kiosk.clock import SystemClock

    ca_dir = args.ca_dir if args.ca_dir is not None else args.out.parent / "ca"
    profile = make_profile(args.out, ca_dir, now=SystemClock().now(), pin=args.pin)

    summary = {
        "profile": str(args.out),
        "ca_dir": str(ca_dir),
        "auth_certificate": CertificateSummary.of(profile.auth_cert_der).to_dict(),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(f"software card profile written to {args.out} (test CA in {ca_dir})")
    return EXIT_OK


def _run_demo(args: argparse.Namespace) -> int:
    from kiosk.card.demo import run_demo
    from kiosk.clock import SystemClock

    return run_demo(args.data, sys.stdout, SystemClock())
