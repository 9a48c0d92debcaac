"""`kiosk card ...` as a user runs it, against cards in a real pcscd + vpcd reader.

Every test runs the installed command in a subprocess (argv, stdin, exit code, stdout, stderr) and checks
the result with cryptography. The same checks run against our software card and against an
independently written variant card, so the commands are not tuned to one implementation.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kiosk.card.profile import load_profile
from kiosk.card.virtual import SoftwareJpkiCard
from kiosk.card.vpcd import VirtualCard, VpcdLink
from tests.integration.other_cards import ForeignCard, VariantJpkiCard
from tests.rig import PcscdRig, wait_card_state

pytestmark = pytest.mark.integration

PIN = b"1234"
CHALLENGE = bytes(range(32))


def kiosk(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *argv],
        input=stdin.decode(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@dataclass
class Inserted:
    card: Any
    link: VpcdLink
    reader: str
    profile_dir: Path | None


@pytest.fixture
def insert(pcscd_rig: PcscdRig) -> Iterator[Callable[..., Inserted]]:
    """insert(card, profile_dir=None): put `card` into reader 0 and wait until PC/SC sees it."""
    links: list[VpcdLink] = []
    reader = pcscd_rig.reader_name(0)

    def put(card: VirtualCard, profile_dir: Path | None = None, **link_options: Any) -> Inserted:
        link = pcscd_rig.attach(card, 0, **link_options)
        links.append(link)
        wait_card_state(reader, present=True, timeout=5.0)
        return Inserted(card, link, reader, profile_dir)

    yield put
    for link in links:
        link.stop()
    wait_card_state(reader, present=False, timeout=5.0)


CARD_KINDS = ["software", "variant"]


def make_card(kind: str, profile_dir: Path, tries: int = 3) -> VirtualCard:
    profile = load_profile(profile_dir)
    if kind == "software":
        return SoftwareJpkiCard(profile)
    return VariantJpkiCard(profile, tries=tries)


@pytest.mark.parametrize("kind", CARD_KINDS)
def test_status(kind: str, insert, profile_factory) -> None:  # type: ignore[no-untyped-def]
    profile_dir = profile_factory() if kind == "software" else profile_factory(auth_tries_left=3)
    inserted = insert(make_card(kind, profile_dir), profile_dir)
    result = kiosk("card", "status", "--reader", "PCD 00 00", "--json")
    assert (result.returncode, result.stderr) == (0, "")
    status = json.loads(result.stdout)
    cert = x509.load_pem_x509_certificate((profile_dir / "auth_cert.pem").read_bytes())
    assert status["reader"] == inserted.reader
    assert status["atr"] == inserted.card.atr.hex().upper()
    assert status["applet"] == "jpki"
    assert status["auth_pin_tries_left"] == 3
    assert status["auth_certificate"]["serial"] == f"{cert.serial_number:X}"
    assert status["auth_certificate"]["issuer"] == cert.issuer.rfc4514_string()


@pytest.mark.parametrize("kind", CARD_KINDS)
def test_authenticate(kind: str, insert, profile_factory) -> None:  # type: ignore[no-untyped-def]
    profile_dir = profile_factory()
    insert(make_card(kind, profile_dir), profile_dir)
    result = kiosk("card", "authenticate", "--challenge", CHALLENGE.hex(), "--json", stdin=PIN + b"\n")
    assert (result.returncode, result.stderr) == (0, "")
    output = json.loads(result.stdout)
    der = base64.b64decode(output["certificate"])
    cert = x509.load_der_x509_certificate(der)
    assert cert == x509.load_pem_x509_certificate((profile_dir / "auth_cert.pem").read_bytes())
    key = cert.public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    key.verify(base64.b64decode(output["signature"]), CHALLENGE, padding.PKCS1v15(), hashes.SHA256())
    assert output["algorithm"] == "sha256WithRSAEncryption"
    assert "1234" not in result.stdout + result.stderr


@pytest.mark.parametrize("kind", CARD_KINDS)
def test_wrong_pin_then_last_try_guard_then_blocked(kind: str, insert, profile_factory) -> None:  # type: ignore[no-untyped-def]
    profile_dir = profile_factory()
    inserted = insert(make_card(kind, profile_dir), profile_dir)
    args = ("card", "authenticate", "--challenge", "01", "--json")

    first = kiosk(*args, stdin=b"9999\n")
    assert first.returncode == 3
    assert json.loads(first.stderr) | {"message": ""} == {"code": "wrong-pin", "tries_left": 2, "message": ""}
    second = kiosk(*args, stdin=b"9999\n")
    assert (second.returncode, json.loads(second.stderr)["tries_left"]) == (3, 1)

    guarded = kiosk(*args, stdin=b"9999\n")
    assert guarded.returncode == 4
    assert json.loads(guarded.stderr)["code"] == "last-try"
    tries = inserted.card.auth_tries_left if kind == "software" else inserted.card.tries
    assert tries == 1, "refusing the last try must not spend it"

    spent = kiosk(*args, "--allow-last-try", stdin=b"9999\n")
    assert spent.returncode == 4
    assert json.loads(spent.stderr)["code"] == "pin-blocked"

    blocked = kiosk(*args, "--allow-last-try", stdin=PIN + b"\n")
    assert blocked.returncode == 4
    assert json.loads(blocked.stderr)["code"] == "pin-blocked"
    status = kiosk("card", "status", "--json")
    assert json.loads(status.stdout)["auth_pin_tries_left"] == 0


def test_malformed_pin_sends_nothing(insert, profile_factory) -> None:  # type: ignore[no-untyped-def]
    inserted = insert(make_card("software", profile_factory()))
    for pin in (b"123\n", b"12345\n", b"abcd\n", b"\n"):
        result = kiosk("card", "authenticate", "--challenge", "01", "--json", stdin=pin)
        assert result.returncode == 2
        assert json.loads(result.stderr)["code"] == "malformed-pin"
    assert inserted.card.auth_tries_left == 3
    assert not [entry for entry in inserted.card.apdu_log if entry[0] == 0x20]


def test_not_a_jpki_card(insert) -> None:  # type: ignore[no-untyped-def]
    insert(ForeignCard())
    result = kiosk("card", "status", "--json")
    assert result.returncode == 6
    assert json.loads(result.stderr) | {"message": ""} == {"code": "not-jpki", "sw": "6A82", "message": ""}


def test_no_card_and_no_reader(pcscd_rig: PcscdRig) -> None:
    empty = kiosk("card", "status", "--reader", pcscd_rig.reader_name(1), "--wait", "0.5", "--json")
    assert empty.returncode == 5
    assert json.loads(empty.stderr)["code"] == "no-card"
    missing = kiosk("card", "status", "--reader", "no such reader", "--json")
    assert missing.returncode == 5
    assert json.loads(missing.stderr)["code"] == "no-reader"


def test_wait_for_a_card_placed_later(pcscd_rig: PcscdRig, profile_factory) -> None:  # type: ignore[no-untyped-def]
    card = SoftwareJpkiCard(load_profile(profile_factory()))
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "card", "status", "--wait", "20", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        link = pcscd_rig.attach(card, 0)
        try:
            out, err = process.communicate(timeout=30)
        finally:
            link.stop()
            wait_card_state(pcscd_rig.reader_name(0), present=False, timeout=5.0)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert (process.returncode, err) == (0, "")
    assert json.loads(out)["applet"] == "jpki"


def test_card_removed_between_apdus(insert, profile_factory) -> None:  # type: ignore[no-untyped-def]
    insert(make_card("software", profile_factory()), remove_after_apdus=3)
    result = kiosk("card", "status", "--json")
    assert result.returncode == 5
    assert json.loads(result.stderr)["code"] in {"card-removed", "reader-unavailable"}


def test_slow_card_against_the_command_timeout(insert, profile_factory) -> None:  # type: ignore[no-untyped-def]
    insert(make_card("software", profile_factory(apdu_delay_ms=1500)))
    result = kiosk("card", "status", "--timeout", "0.5", "--json")
    assert result.returncode == 1
    assert json.loads(result.stderr)["code"] == "card-timeout"


def test_slow_card_within_the_timeout(insert, profile_factory) -> None:  # type: ignore[no-untyped-def]
    insert(make_card("software", profile_factory(apdu_delay_ms=50)))
    result = kiosk("card", "status", "--timeout", "5", "--json")
    assert result.returncode == 0, result.stderr


def test_no_pin_left_in_logs_or_files(insert, profile_factory, pcscd_rig: PcscdRig, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The PIN reaches the card and nothing else: not the output, not pcscd's log, not a temp file."""
    insert(make_card("software", profile_factory()))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "card", "authenticate", "--challenge", "AA", "--json"],
        input="4791\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "TMPDIR": str(scratch), "KIOSK_LOG_LEVEL": "DEBUG"},
    )
    assert result.returncode == 3  # a wrong PIN: the card saw it, and it must still leave no trace
    assert "kiosk.card.traffic" in result.stderr, "the traffic log must be on for this test to mean anything"
    # As numbers of their own: pcscd stamps every line with 8-digit microseconds ("00479167 prothandler...")
    # and a plain substring search found the PIN inside one of them.
    traces = [re.compile(r"(?<![0-9A-Fa-f])(4791|34373931)(?![0-9A-Fa-f])"), re.compile("34 37 39 31")]
    log = pcscd_rig.log_path.read_text(errors="replace")
    for trace in traces:
        assert not trace.search(result.stdout + result.stderr)
        assert not trace.search(log), trace.search(log)
    assert list(scratch.iterdir()) == []


def test_emulate_attaches_a_profile_until_stopped(pcscd_rig: PcscdRig, profile_factory) -> None:  # type: ignore[no-untyped-def]
    """`kiosk card emulate`, run inside the rig's network namespace (where its vpcd listens)."""
    profile_dir = profile_factory()
    reader = pcscd_rig.reader_name(0)
    emulator = subprocess.Popen(
        [
            "nsenter",
            f"--net=/proc/{pcscd_rig.pid}/ns/net",
            sys.executable,
            "-m",
            "kiosk",
            "card",
            "emulate",
            "--profile",
            str(profile_dir),
            "--vpcd-port",
            str(pcscd_rig.ports[0]),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_card_state(reader, present=True, timeout=15.0)
        status = kiosk("card", "status", "--reader", reader, "--json")
        assert status.returncode == 0, status.stderr
        cert = x509.load_pem_x509_certificate((profile_dir / "auth_cert.pem").read_bytes())
        assert json.loads(status.stdout)["auth_certificate"]["serial"] == f"{cert.serial_number:X}"
        emulator.terminate()
        _, err = emulator.communicate(timeout=15)
        assert emulator.returncode == 0
        assert "attached to vpcd" in err
        wait_card_state(reader, present=False, timeout=5.0)
    finally:
        if emulator.poll() is None:
            emulator.kill()
            emulator.wait()
