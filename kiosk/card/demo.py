"""The headless card demo: what the kiosk does with a card, step by step, on an in-process software card.

It needs no reader, no pcscd and no root, so a new machine can see the card flow work at once. The full
kiosk demo (screens, backend, printer) replaces this as later parts land.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import TextIO

from cryptography import x509

from kiosk.card.operations import authenticate, read_status
from kiosk.card.pin_entry import read_pin_line
from kiosk.card.profile import load_profile, make_profile
from kiosk.card.virtual import InProcessConnection, SoftwareJpkiCard
from kiosk.clock import Clock
from kiosk.errors import KioskError

__all__ = ["run_demo"]


def run_demo(data: Path, out: TextIO, clock: Clock, pin_source: TextIO | None = None) -> int:
    """Walk through one authentication. The PIN is asked on a terminal, else the test PIN is used."""
    profile_dir = data / "card"
    if not (profile_dir / "card.toml").exists():
        out.write(f"Creating a software My Number card and its test CA in {data} ...\n")
        make_profile(profile_dir, data / "ca", now=clock.now())
    profile = load_profile(profile_dir)
    card = SoftwareJpkiCard(profile)
    connection = InProcessConnection(card)

    out.write("1. Card placed (software card, in-process). Selecting the JPKI applet by AID.\n")
    status = read_status(connection, "software card (in-process)")
    out.write(
        f"2. Authentication certificate read: serial {status.auth_certificate.serial}, "
        f"valid until {status.auth_certificate.not_after}\n"
    )
    out.write(f"   PIN tries left: {status.auth_pin_tries_left} (asked without spending one)\n")

    pin = _ask_pin(pin_source, profile.pin)
    challenge = secrets.token_bytes(32)
    out.write(f"3. Challenge from the backend (stand-in): {challenge.hex()}\n")
    try:
        result = authenticate(connection, challenge, pin)
    except KioskError as exc:
        out.write(f"   refused: {exc}\n")
        return 3
    out.write(
        "4. PIN verified by the card; the challenge was signed with the authentication key and the\n"
        "   signature verifies with the card's certificate.\n"
    )

    ca = x509.load_pem_x509_certificate((profile_dir / "auth_ca.pem").read_bytes())
    x509.load_der_x509_certificate(result.certificate).verify_directly_issued_by(ca)
    out.write(f"5. The certificate chains to the test JPKI CA: {ca.subject.rfc4514_string()}\n")
    out.write("Done. Next steps of the real kiosk (backend, document, printing) arrive with later issues.\n")
    return 0


def _ask_pin(source: TextIO | None, default: str) -> bytearray:
    stream = source if source is not None else sys.stdin
    if not os.isatty(stream.fileno()):
        return bytearray(default.encode())
    sys.stderr.write(f"Enter the 4-digit PIN of the demo card (it is {default}).\n")
    return read_pin_line(stream)
