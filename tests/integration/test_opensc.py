"""OpenSC 0.23, whose jpki driver works with real My Number cards, as independent evidence for our card.

The tools run as subprocesses against the rig's pcscd (PCSCLITE_CSOCK_NAME is inherited) with a private
OPENSC_CONF: file caching off (0.23's default anyway; its jpki emulator wrote no cache even with "yes") and
a cache dir under tmp_path that must stay absent, so no cached file can answer for the card. PINs are the
test profile's constants ("1234" auth, "ABC123" sign; tests/conftest.py, kiosk/card/profile.py).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import ssl
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from kiosk.card.profile import CardProfile, load_profile
from kiosk.card.virtual import SoftwareJpkiCard
from tests.integration.conftest import AttachedCard
from tests.rig import PcscdRig, wait_card_state

pytestmark = pytest.mark.integration

PKCS11_MODULE = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"
CONTACTLESS_ATR = "3B888001000005E0B381A1007F"
AUTH_PIN = "1234"
SIGN_PASSWORD = "ABC123"
WRONG_PIN = "9999"
SELECT_JPKI = bytes.fromhex("00A4040C0AD392F000260100000001")
SHA256_DIGEST_INFO = bytes.fromhex("3031300D060960864801650304020105000420")
SELECT_OK = (0xA4, 0x9000)

Run = Callable[..., subprocess.CompletedProcess[str]]
Argv = tuple[str, ...]


@pytest.fixture
def opensc(tmp_path: Path) -> Iterator[Run]:
    """run(*argv, driver=True) -> CompletedProcess; OPENSC_DRIVER=jpki unless driver=False."""
    if shutil.which("pkcs15-tool") is None or not Path(PKCS11_MODULE).exists():
        pytest.fail("the OpenSC cross-check needs opensc 0.23 (apt-get install opensc)", pytrace=False)
    cache, conf = tmp_path / "opensc-cache", tmp_path / "opensc.conf"
    conf.write_text(
        f'app default {{ file_cache_dir = "{cache}"; framework pkcs15 {{ use_file_caching = no; }} }}'
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENSC_")}
    base["OPENSC_CONF"] = str(conf)

    def run(*argv: str, driver: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**base, "OPENSC_DRIVER": "jpki"} if driver else base
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=30, check=False)

    yield run
    assert not cache.exists(), "OpenSC wrote a file cache despite use_file_caching = no"


def der(pem: str) -> bytes:
    return ssl.PEM_cert_to_DER_cert(pem)  # base64 decoded as is: no parse/re-encode between the two sides


def auth_public_key(profile: CardProfile) -> rsa.RSAPublicKey:
    key = x509.load_der_x509_certificate(profile.auth_cert_der).public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    return key


def pkcs11_sign(pin: str, data: Path, sig: Path) -> Argv:
    # Slot 0 = reader 0's auth-PIN token (OpenSC makes one PKCS#11 slot per PIN: 0 auth, 1 sign).
    login = ("pkcs11-tool", "--module", PKCS11_MODULE, "--slot", "0", "--login", "--pin", pin)
    return (*login, "--sign", "--id", "01", "-m", "SHA256-RSA-PKCS", "-i", str(data), "-o", str(sig))


def pkcs15_sign(pin: str, digest: Path, sig: Path) -> Argv:
    head = ("pkcs15-crypt", "-r", "0", "--sign", "-k", "01", "--sha-256", "--pkcs1", "--pin", pin)
    return (*head, "-i", str(digest), "-o", str(sig))


def record_apdus(monkeypatch: pytest.MonkeyPatch, card: SoftwareJpkiCard) -> list[bytes]:
    seen: list[bytes] = []  # every C-APDU the card gets; VERIFY cut to its header so no PIN is kept
    original = card.process

    def process(apdu: bytes | bytearray) -> bytes:
        raw = bytes(apdu)
        seen.append(raw[:5] if raw[1:2] == b"\x20" else raw)
        return original(apdu)

    monkeypatch.setattr(card, "process", process)
    return seen


def test_opensc_names_the_card_jpki(software_card: AttachedCard, opensc: Run) -> None:
    logs = {}
    for driver in (False, True):
        software_card.card.apdu_log.clear()
        result = opensc("opensc-tool", "-r", "0", "-n", driver=driver)
        assert (result.returncode, result.stdout.strip()) == (0, "jpki"), result.stderr
        logs[driver] = list(software_card.card.apdu_log)
    # The contact ATR is in jpki's ATR table: unforced, other drivers probe (refused), then jpki matches by
    # ATR without a SELECT AID. Forced, jpki_init fakes the MF and `-n` sends no APDU at all.
    assert logs[False] and SELECT_OK not in logs[False]
    assert logs[True] == []


def test_contactless_atr_is_matched_by_select_aid(
    pcscd_rig: PcscdRig, profile_factory: Callable[..., Path], opensc: Run
) -> None:
    card = SoftwareJpkiCard(load_profile(profile_factory(atr=CONTACTLESS_ATR)))
    reader = pcscd_rig.reader_name(1)
    link = pcscd_rig.attach(card, 1)
    try:
        wait_card_state(reader, present=True)
        result = opensc("opensc-tool", "-r", "1", "-n", driver=False)
        assert (result.returncode, result.stdout.strip()) == (0, "jpki"), result.stderr
        # Not in the ATR table: other drivers probed (and were refused), then jpki matched by SELECT AID.
        assert len(card.apdu_log) > 1 and card.apdu_log[-1] == SELECT_OK
        assert SELECT_OK not in card.apdu_log[:-1]
        forced = opensc("opensc-tool", "-r", "1", "-n")
        assert (forced.returncode, forced.stdout.strip()) == (0, "jpki"), forced.stderr
        assert link.errors == ()
    finally:
        link.stop()
        wait_card_state(reader, present=False)


def test_pkcs15_lists_four_certificates_and_two_pins(software_card: AttachedCard, opensc: Run) -> None:
    certs = opensc("pkcs15-tool", "--reader", "0", "--list-certificates")
    assert certs.returncode == 0, certs.stderr
    listed = {}
    for block in certs.stdout.split("X.509 Certificate")[1:]:
        pairs = (line.split(":", 1) for line in block.splitlines() if ":" in line)
        fields = {key.strip(): value.strip() for key, value in pairs}
        listed[fields["ID"]] = (fields["Path"], fields["Authority"], "private" in fields["Object Flags"])
    assert listed == {
        "01": ("000a", "no", False),
        "02": ("0001", "no", True),
        "03": ("000b", "yes", False),
        "04": ("0002", "yes", False),
    }

    pins = opensc("pkcs15-tool", "--reader", "0", "--list-pins")
    assert pins.returncode == 0, pins.stderr
    auth, sign = (" ".join(block.split()) for block in pins.stdout.split("PIN [")[1:])
    assert auth.startswith("User Authentication PIN]") and "min_len:4, max_len:4" in auth
    assert sign.startswith("Digital Signature PIN]") and "min_len:6, max_len:16" in sign
    assert ("Tries left : 3" in auth, "Tries left : 5" in sign) == (True, True)


@pytest.mark.parametrize(
    ("cert_id", "pem_name"), [("01", "auth_cert.pem"), ("03", "auth_ca.pem"), ("04", "sign_ca.pem")]
)
def test_public_certificates_read_byte_identical(
    software_card: AttachedCard, card_profile: CardProfile, opensc: Run, cert_id: str, pem_name: str
) -> None:
    result = opensc("pkcs15-tool", "--reader", "0", "--read-certificate", cert_id)
    assert result.returncode == 0, result.stderr
    assert der(result.stdout) == der((card_profile.directory / pem_name).read_text())


def test_sign_certificate_needs_the_sign_password(
    software_card: AttachedCard, card_profile: CardProfile, opensc: Run
) -> None:
    denied = opensc("pkcs15-tool", "--reader", "0", "--read-certificate", "02")
    assert denied.returncode != 0
    assert "BEGIN CERTIFICATE" not in denied.stdout
    assert "EF offset too large" in denied.stderr  # OpenSC 0.23's wording for a 6982 on the first chunk
    assert (0xB0, 0x6982) in software_card.card.apdu_log

    args = ("--verify-pin", "--auth-id", "02", "--pin", SIGN_PASSWORD)
    granted = opensc("pkcs15-tool", "--reader", "0", "--read-certificate", "02", *args)
    assert granted.returncode == 0, granted.stderr
    assert der(granted.stdout) == der((card_profile.directory / "sign_cert.pem").read_text())
    assert (0x20, 0x9000) in software_card.card.apdu_log
    assert software_card.card.sign_tries_left == 5


def test_pkcs15_crypt_signature_verifies(
    software_card: AttachedCard, card_profile: CardProfile, opensc: Run, tmp_path: Path
) -> None:
    digest = hashlib.sha256(b"konbini-kiosk challenge").digest()
    (tmp_path / "digest").write_bytes(digest)
    result = opensc(*pkcs15_sign(AUTH_PIN, tmp_path / "digest", tmp_path / "sig"))
    assert result.returncode == 0, result.stderr
    signature = (tmp_path / "sig").read_bytes()
    assert len(signature) == 256
    hashed = utils.Prehashed(hashes.SHA256())
    auth_public_key(card_profile).verify(signature, digest, padding.PKCS1v15(), hashed)
    assert (0x2A, 0x9000) in software_card.card.apdu_log
    assert software_card.card.auth_tries_left == 3


@pytest.mark.parametrize(
    ("build", "reported"),
    [(pkcs11_sign, "CKR_PIN_INCORRECT"), (pkcs15_sign, "PIN code or key incorrect")],
    ids=["pkcs11-tool", "pkcs15-crypt"],
)
def test_wrong_pin_costs_exactly_one_try(
    software_card: AttachedCard, opensc: Run, tmp_path: Path, build: Callable[..., Argv], reported: str
) -> None:
    (tmp_path / "in").write_bytes(bytes(32))
    assert software_card.card.auth_tries_left == 3
    result = opensc(*build(WRONG_PIN, tmp_path / "in", tmp_path / "sig"))
    assert result.returncode != 0
    assert reported in result.stderr
    assert software_card.card.auth_tries_left == 2
    assert software_card.card.apdu_log.count((0x20, 0x63C2)) == 1  # one failed VERIFY, no retry
    assert (0x2A, 0x9000) not in software_card.card.apdu_log
    assert not (tmp_path / "sig").exists()


def test_pkcs11_signature_verifies_and_apdus_are_as_documented(
    software_card: AttachedCard,
    card_profile: CardProfile,
    opensc: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = record_apdus(monkeypatch, software_card.card)
    data = b"konbini-kiosk challenge via PKCS#11"
    (tmp_path / "data").write_bytes(data)
    result = opensc(*pkcs11_sign(AUTH_PIN, tmp_path / "data", tmp_path / "sig"))
    assert result.returncode == 0, result.stderr
    signature = (tmp_path / "sig").read_bytes()
    auth_public_key(card_profile).verify(signature, data, padding.PKCS1v15(), hashes.SHA256())

    assert SELECT_JPKI in seen  # SELECT by DF name, P2=0C, no Le
    for fid in ("000A", "0018", "0017"):  # auth cert, auth PIN, auth key EFs
        assert bytes.fromhex("00A4020C02" + fid) in seen
    assert bytes.fromhex("00B0000004") in seen  # the 4-byte "30 82 LL LL" header read
    assert any(len(a) == 5 and a[:2] == b"\x00\xb0" and a[4] == 0 for a in seen)  # full chunks: Le=00
    assert bytes.fromhex("00200080") in seen  # status query, case 1
    assert bytes.fromhex("0020008004") in seen  # VERIFY with a 4-byte PIN (data not recorded)
    expected_sign = bytes.fromhex("802A008033") + SHA256_DIGEST_INFO + hashlib.sha256(data).digest() + b"\x00"
    assert expected_sign in seen  # DigestInfo built by OpenSC, Le=00; the card pads

    log = software_card.card.apdu_log
    for pair in (SELECT_OK, (0xB0, 0x9000), (0x20, 0x63C3), (0x20, 0x9000), (0x2A, 0x9000)):
        assert pair in log
