"""Headless issuance end to end: the reference backend over mutual TLS, cards over pcscd + vpcd.

Every sample resident is issued both documents through the real reader stack, and each answer is checked
against the registry's own listing: the right resident's document, or the right refusal code.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from kiosk.card.profile import load_profile, make_profile
from kiosk.card.virtual import SoftwareJpkiCard
from kiosk.clock import SystemClock
from municipal.pki import BackendPki
from municipal.registry import register_card
from tests.cups_rig import CupsRig
from tests.integration.backend_rig import Deployment, kiosk_command
from tests.kiosk_main import run_kiosk as run_main
from tests.rig import PcscdRig, wait_card_state

pytestmark = pytest.mark.integration

PIN = "1234\n"


def run_kiosk(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = PIN
) -> tuple[int, str, str]:
    return run_main(monkeypatch, capsys, *argv, stdin=stdin)


def make_card(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    deployment: Deployment,
    resident: str,
    out: Path,
    *flags: str,
) -> Path:
    status, _, err = run_kiosk(
        monkeypatch,
        capsys,
        "backend",
        "make-card",
        "--data",
        str(deployment.data),
        "--resident",
        resident,
        "--out",
        str(out),
        "--json",
        *flags,
        stdin="",
    )
    assert status == 0, err
    return out


def expected_refusal(resident: dict[str, Any], document: str) -> str | None:
    """The refusal rules written out again, independently of municipal/service.py."""
    if resident["status"] != "resident":
        return str(resident["status"])
    if resident["support_measures"]:
        return "support-measures"
    if document == "inkan" and resident["seal"] == "none":
        return "seal-not-registered"
    if document == "inkan" and resident["seal"] == "cancelled":
        return "seal-cancelled"
    return None


def printed_text(output: Path) -> str:
    """What the certificate PDF says, as poppler extracts it (the fonts' ToUnicode maps are made for this)."""
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(output), "-"], capture_output=True, check=True
    )
    # Line breaks removed: a long name or address wraps onto a second line of its box.
    return result.stdout.decode("utf-8").replace("\n", "")


def test_every_sample_resident_and_both_documents_over_pcscd(
    deployment: Deployment,
    pcscd_rig: PcscdRig,
    cupsd: CupsRig,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    reader = pcscd_rig.reader_name(0)
    config = deployment.config_with_printer(cupsd.server, "matrix")  # printed through cupsd, and kept
    problems: list[str] = []
    issued = 0
    for resident in deployment.residents:
        profile = make_card(
            monkeypatch, capsys, deployment, resident["id"], tmp_path / "cards" / resident["id"]
        )
        link = pcscd_rig.attach(SoftwareJpkiCard(load_profile(profile)), 0)
        try:
            wait_card_state(reader, present=True, timeout=5.0)
            for document in ("juminhyo", "inkan"):
                out = tmp_path / "out" / resident["id"] / document
                status, stdout, stderr = run_kiosk(
                    monkeypatch,
                    capsys,
                    "issue",
                    "--config",
                    str(config),
                    "--document",
                    document,
                    "--reader",
                    reader,
                    "--out",
                    str(out),
                    "--json",
                )
                refusal = expected_refusal(resident, document)
                where = f"{resident['id']} {document}"
                if refusal is not None:
                    error = json.loads(stderr)
                    if status != 7 or error.get("reason") != refusal:
                        problems.append(f"{where}: expected refusal {refusal}, got {status} {error}")
                    if out.exists() and any(out.iterdir()):
                        problems.append(f"{where}: refused but something was written")
                    continue
                if status != 0:
                    problems.append(f"{where}: exit {status}: {stderr}")
                    continue
                result = json.loads(stdout)
                assert set(result) == {"request_id", "document_type", "serial", "output"}
                # "DIR/SERIAL.pdf cups:Kiosk/JOB": kept for these checks, and printed.
                parts = result["output"].split()
                kept, printed_job = sorted(parts, key=lambda part: part.startswith("cups:"))
                output = Path(kept)
                if cupsd.printed(int(printed_job.rsplit("/", 1)[1])).documents != (output.read_bytes(),):
                    problems.append(f"{where}: the printer did not receive exactly the certificate")
                text = printed_text(output)
                others = [r["name"] for r in deployment.residents if r["household"] != resident["household"]]
                if resident["name"] not in text or any(name in text for name in others):
                    problems.append(f"{where}: the document does not name exactly this resident")
                if stat.S_IMODE(output.stat().st_mode) != 0o600:
                    problems.append(f"{where}: output readable by others")
                issued += 1
        finally:
            link.stop()
            wait_card_state(reader, present=False, timeout=5.0)
    assert problems == []
    assert issued >= 30  # 31 sample residents; most may have both documents


def test_household_copy_lists_exactly_the_living_members(
    deployment: Deployment,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    by_household: dict[str, list[dict[str, Any]]] = {}
    for resident in deployment.residents:
        by_household.setdefault(resident["household"], []).append(resident)
    checked = 0
    for members in by_household.values():
        applicant = next((m for m in members if expected_refusal(m, "juminhyo") is None), None)
        if applicant is None or len(members) == 1:
            continue
        card = make_card(monkeypatch, capsys, deployment, applicant["id"], tmp_path / applicant["id"])
        out = tmp_path / "out" / applicant["id"]
        status, stdout, stderr = run_kiosk(
            monkeypatch,
            capsys,
            "issue",
            "--config",
            str(deployment.config),
            "--document",
            "juminhyo",
            "--option",
            "members=all",
            "--option",
            "honseki=include",
            "--virtual-card",
            str(card),
            "--out",
            str(out),
            "--json",
        )
        assert status == 0, stderr
        text = printed_text(Path(json.loads(stdout)["output"]))
        for member in members:
            # 消除者 (moved out, deceased) are never printed; everyone living in the household is.
            assert (member["name"] in text) == (member["status"] == "resident"), member["id"]
        checked += 1
    assert checked >= 5


def test_the_command_as_a_user_runs_it_leaks_nothing(
    deployment: Deployment,
    pcscd_rig: PcscdRig,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A subprocess with DEBUG logging over pcscd: the PIN and all names stay out of logs and temp files."""
    resident = next(r for r in deployment.residents if r["id"] == "R0008")  # 辻 with a variation selector
    profile = make_card(monkeypatch, capsys, deployment, resident["id"], tmp_path / "card")
    reader = pcscd_rig.reader_name(0)
    temp = tmp_path / "tmp"
    temp.mkdir()
    link = pcscd_rig.attach(SoftwareJpkiCard(load_profile(profile)), 0)
    try:
        wait_card_state(reader, present=True, timeout=5.0)
        env = {**os.environ, "KIOSK_LOG_LEVEL": "DEBUG", "TMPDIR": str(temp)}
        result = kiosk_command(
            "issue",
            "--config",
            str(deployment.config),
            "--document",
            "inkan",
            "--reader",
            reader,
            "--out",
            str(tmp_path / "out"),
            "--json",
            stdin="1234\n",
            env=env,
        )
    finally:
        link.stop()
        wait_card_state(reader, present=False, timeout=5.0)
    assert result.returncode == 0, result.stderr
    output = Path(json.loads(result.stdout)["output"])
    assert resident["name"] in printed_text(output)
    assert "\U000e0102" in resident["name"]
    secrets_ = [resident["name"] for resident in deployment.residents] + ["1234"]
    haystacks = {
        "kiosk stderr": result.stderr,
        "kiosk stdout": result.stdout,
        "backend log": deployment.backend.log(),
    }
    for path in temp.rglob("*"):
        if path.is_file():
            haystacks[str(path)] = path.read_text(errors="replace")
    # The PIN as a number of its own: the backend log is full of request UUIDs ("...-0afe1234d387").
    pin = re.compile(r"(?<![0-9A-Za-z])1234(?![0-9A-Za-z])")
    for where, text in haystacks.items():
        for secret in secrets_[:-1]:
            assert secret not in text, f"{where} contains personal data"
        assert not pin.search(text), f"{where} contains the PIN"
    assert "DEBUG" in result.stderr  # the scan looked at real debug output


@pytest.mark.parametrize(
    ("flags", "detail"),
    [(("--expired",), "expired"), (("--revoked",), "revoked")],
)
def test_expired_and_revoked_cards_are_refused_and_nothing_is_issued(
    deployment: Deployment,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    flags: tuple[str, ...],
    detail: str,
) -> None:
    card = make_card(monkeypatch, capsys, deployment, "R0001", tmp_path / "card", *flags)
    before = request_count(deployment)
    status, _, stderr = run_kiosk(
        monkeypatch,
        capsys,
        "issue",
        "--config",
        str(deployment.config),
        "--document",
        "juminhyo",
        "--virtual-card",
        str(card),
        "--out",
        str(tmp_path / "out"),
        "--json",
    )
    error = json.loads(stderr)
    assert status == 8
    assert (error["code"], error["error_code"], error["detail"]) == (
        "backend-refused",
        "certificate-rejected",
        detail,
    )
    assert request_count(deployment) == before
    assert not (tmp_path / "out").exists()


def request_count(deployment: Deployment) -> int:
    db = deployment.database()
    try:
        return int(db.connection().execute("SELECT COUNT(*) FROM requests").fetchone()[0])
    finally:
        db.close()


def not_yet_valid(deployment: Deployment, out: Path) -> bytes:
    later = SystemClock().now() + timedelta(days=2)
    return make_profile(
        out, BackendPki(deployment.data / "pki").jpki_dir, now=later, sign_password=None
    ).auth_cert_der


def from_another_ca(deployment: Deployment, out: Path) -> bytes:
    return make_profile(
        out, out.parent / "another-ca", now=SystemClock().now(), sign_password=None
    ).auth_cert_der


def without_digital_signature(deployment: Deployment, out: Path) -> bytes:
    """Issued by the real auth CA, same key, but key usage nonRepudiation only (a signing certificate's)."""
    pki = BackendPki(deployment.data / "pki")
    profile = make_profile(out, pki.jpki_dir, now=SystemClock().now(), sign_password=None)
    ca_cert = x509.load_pem_x509_certificate(pki.auth_ca_cert.read_bytes())
    ca_key = serialization.load_pem_private_key(pki.auth_ca_key.read_bytes(), password=None)
    original = x509.load_der_x509_certificate(profile.auth_cert_der)
    usage = x509.KeyUsage(False, True, False, False, False, False, False, False, False)
    builder = (
        x509.CertificateBuilder()
        .subject_name(original.subject)
        .issuer_name(ca_cert.subject)
        .public_key(original.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(original.not_valid_before_utc)
        .not_valid_after(original.not_valid_after_utc)
        .add_extension(usage, critical=True)
    )
    certificate = builder.sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    (out / "auth_cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate.public_bytes(serialization.Encoding.DER)


@pytest.mark.parametrize(
    ("make", "detail"),
    [
        (not_yet_valid, "not-yet-valid"),
        (from_another_ca, "wrong-ca"),
        (without_digital_signature, "wrong-key-usage"),
    ],
)
def test_certificates_the_backend_must_not_trust_are_refused_and_nothing_is_issued(
    deployment: Deployment,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Deployment, Path], bytes],
    detail: str,
) -> None:
    card = tmp_path / "card"
    der = make(deployment, card)
    db = deployment.database()
    try:
        register_card(db, der, "R0001", now=SystemClock().now())  # registered: only the checks can refuse it
    finally:
        db.close()
    before = request_count(deployment)
    status, _, stderr = run_kiosk(
        monkeypatch, capsys, "issue", "--config", str(deployment.config), "--document", "juminhyo",
        "--virtual-card", str(card), "--out", str(tmp_path / "out"), "--json",
    )  # fmt: skip
    error = json.loads(stderr)
    assert status == 8
    assert (error["error_code"], error["detail"]) == ("certificate-rejected", detail)
    assert request_count(deployment) == before
    assert not (tmp_path / "out").exists()
