"""The `kiosk card` commands on the in-process software card: documented output, exit codes, JSON errors."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kiosk.cli import main


@pytest.fixture
def stdin_pin(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """set(text): the next command reads `text` from a real pipe on stdin, as from a shell."""
    opened: list[object] = []

    def set_stdin(text: bytes) -> None:
        read_fd, write_fd = os.pipe()
        os.write(write_fd, text)
        os.close(write_fd)
        stream = open(read_fd, encoding="ascii")  # noqa: SIM115 - closed by the fixture
        opened.append(stream)
        monkeypatch.setattr("sys.stdin", stream)

    yield set_stdin
    for stream in opened:
        stream.close()  # type: ignore[attr-defined]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_status_json(profile_factory, capsys) -> None:  # type: ignore[no-untyped-def]
    profile = profile_factory()
    code, out, err = run(capsys, "card", "status", "--software-card", str(profile), "--json")
    assert (code, err) == (0, "")
    status = json.loads(out)
    assert set(status) == {"reader", "atr", "applet", "auth_pin_tries_left", "auth_certificate"}
    assert status["applet"] == "jpki"
    assert status["atr"] == "3BE000FF8131FE4514"
    assert status["auth_pin_tries_left"] == 3
    cert = x509.load_pem_x509_certificate((profile / "auth_cert.pem").read_bytes())
    assert set(status["auth_certificate"]) == {
        "serial",
        "issuer",
        "subject",
        "not_before",
        "not_after",
        "sha256",
    }
    assert status["auth_certificate"]["serial"] == f"{cert.serial_number:X}"
    assert status["auth_certificate"]["subject"] == cert.subject.rfc4514_string()


def test_status_human(profile_factory, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "card", "status", "--software-card", str(profile_factory()))
    assert code == 0
    assert "auth PIN tries left:  3" in out


def test_authenticate_signs_the_challenge(profile_factory, capsys, stdin_pin) -> None:  # type: ignore[no-untyped-def]
    profile = profile_factory()
    stdin_pin(b"1234\n")
    code, out, err = run(
        capsys, "card", "authenticate", "--challenge", "00ff" * 16, "--software-card", str(profile), "--json"
    )
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["algorithm"] == "sha256WithRSAEncryption"
    der = base64.b64decode(result["certificate"])
    pem_cert = x509.load_pem_x509_certificate((profile / "auth_cert.pem").read_bytes())
    assert der == pem_cert.public_bytes(serialization.Encoding.DER)
    key = x509.load_der_x509_certificate(der).public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    key.verify(
        base64.b64decode(result["signature"]), bytes.fromhex("00ff" * 16), padding.PKCS1v15(), hashes.SHA256()
    )
    assert "1234" not in out


@pytest.mark.parametrize(
    ("settings", "pin", "code", "error"),
    [
        ({}, b"9999\n", 3, {"code": "wrong-pin", "tries_left": 2}),
        ({}, b"12345\n", 2, {"code": "malformed-pin"}),
        ({}, b"12a4\n", 2, {"code": "malformed-pin"}),
        ({}, b"", 2, {"code": "malformed-pin"}),
        ({"auth_tries_left": 1}, b"1234\n", 4, {"code": "last-try", "tries_left": 1}),
        ({"auth_tries_left": 0}, b"1234\n", 4, {"code": "pin-blocked", "tries_left": 0}),
        ({"auth_tries_left": 1}, b"0000\n", 4, {"code": "last-try"}),
    ],
)
def test_authenticate_errors(  # type: ignore[no-untyped-def]
    profile_factory, capsys, stdin_pin, settings, pin, code, error
) -> None:
    stdin_pin(pin)
    profile = profile_factory(**settings)
    rc, out, err = run(
        capsys, "card", "authenticate", "--challenge", "01", "--software-card", str(profile), "--json"
    )
    assert rc == code
    assert out == ""
    reported = json.loads(err)
    assert error.items() <= reported.items()
    assert pin.strip().decode() not in err or not pin.strip()


def test_last_try_spent_with_permission(profile_factory, capsys, stdin_pin) -> None:  # type: ignore[no-untyped-def]
    stdin_pin(b"1234\r\n")
    profile = profile_factory(auth_tries_left=1)
    rc, _, err = run(
        capsys,
        "card",
        "authenticate",
        "--challenge",
        "01",
        "--allow-last-try",
        "--software-card",
        str(profile),
    )
    assert (rc, err) == (0, "")


def test_missing_software_card_profile(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A profile directory that is not there is a typed error naming it (exit 6 is tested on the rig)."""
    rc, _, err = run(capsys, "card", "status", "--software-card", str(tmp_path / "missing"), "--json")
    assert rc == 1
    assert json.loads(err)["code"] == "bad-profile"


@pytest.mark.parametrize(
    "argv",
    [
        ["card", "authenticate", "--challenge", "zz", "--json"],
        ["card", "authenticate", "--challenge", "", "--json"],
        ["card", "status", "--wait", "-1", "--json"],
        ["card", "status", "--bogus", "--json"],
        ["card", "authenticate", "--json"],
    ],
)
def test_usage_errors_are_json(argv: list[str], capsys, stdin_pin) -> None:  # type: ignore[no-untyped-def]
    stdin_pin(b"1234\n")
    rc, out, err = run(capsys, *argv)
    assert rc == 2
    assert out == ""
    assert json.loads(err)["code"] == "usage"


def test_no_command_prints_usage(capsys) -> None:  # type: ignore[no-untyped-def]
    rc, _, err = run(capsys)
    assert rc == 2
    assert "usage: kiosk" in err


def test_make_profile(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    rc, out, _ = run(capsys, "card", "make-profile", "--out", str(tmp_path / "card"), "--json")
    assert rc == 0
    summary = json.loads(out)
    assert summary["ca_dir"] == str(tmp_path / "ca")
    assert (tmp_path / "ca" / "auth_ca.pem").exists()
    for name in ("auth_cert.pem", "auth_key.pem", "auth_ca.pem", "card.toml"):
        assert (tmp_path / "card" / name).exists()
    assert oct((tmp_path / "card" / "auth_key.pem").stat().st_mode & 0o777) == "0o600"


def test_demo_runs_headless(tmp_path: Path, capsys, stdin_pin) -> None:  # type: ignore[no-untyped-def]
    stdin_pin(b"")
    rc, out, _ = run(capsys, "card", "demo", "--data", str(tmp_path))
    assert rc == 0
    assert "chains to the test JPKI CA" in out
