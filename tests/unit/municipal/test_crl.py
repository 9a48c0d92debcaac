from __future__ import annotations

import shutil
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.card.profile import ensure_test_ca
from municipal.crl import CrlProblem, CrlSource, CrlUnavailable, write_auth_crl
from municipal.pki import BackendPki, PkiFileError

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def jpki_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The JPKI-like test CAs, made once (RSA keys are slow) and copied into each test's PKI."""
    ca_dir = tmp_path_factory.mktemp("jpki")
    ensure_test_ca(ca_dir, now=NOW)
    return ca_dir


@pytest.fixture
def pki(tmp_path: Path, jpki_template: Path) -> BackendPki:
    pki = BackendPki(tmp_path / "pki")
    shutil.copytree(jpki_template, pki.jpki_dir)
    return pki


def _ca(pki: BackendPki) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pki.auth_ca_cert.read_bytes())


def _source(pki: BackendPki, **kwargs: float) -> CrlSource:
    return CrlSource(pki.auth_crl, _ca(pki), **kwargs)  # type: ignore[arg-type]


def _problem(source: CrlSource, now: datetime) -> CrlProblem:
    with pytest.raises(CrlUnavailable) as caught:
        source.current(now)
    return caught.value.reason


def _foreign_crl(subject: x509.Name, *, now: datetime = NOW) -> bytes:
    """A CRL naming `subject` as issuer but signed by an unrelated key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(subject)
        .last_update(now)
        .next_update(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return crl.public_bytes(serialization.Encoding.PEM)


# --------------------------------------------------------------------------------------------- writing


def test_written_crl(pki: BackendPki) -> None:
    revoked_at = NOW - timedelta(hours=2)
    write_auth_crl(pki, [(1234, revoked_at), (2**120 + 5, NOW)], now=NOW, valid_for=timedelta(hours=6))
    crl = x509.load_pem_x509_crl(pki.auth_crl.read_bytes())
    ca = _ca(pki)
    assert crl.issuer == ca.subject
    assert crl.is_signature_valid(ca.public_key())  # type: ignore[arg-type]
    assert isinstance(crl.signature_hash_algorithm, hashes.SHA256)
    assert crl.last_update_utc == NOW
    assert crl.next_update_utc == NOW + timedelta(hours=6)
    entry = crl.get_revoked_certificate_by_serial_number(1234)
    assert entry is not None
    assert entry.revocation_date_utc == revoked_at
    assert crl.get_revoked_certificate_by_serial_number(2**120 + 5) is not None
    assert len(crl) == 2
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 1
    aki = crl.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    assert [path.name for path in pki.jpki_dir.iterdir() if path.name.endswith(".tmp")] == []


def test_crl_numbers_increase(pki: BackendPki) -> None:
    numbers = []
    for step in range(3):
        write_auth_crl(pki, [], now=NOW + timedelta(minutes=step))
        crl = x509.load_pem_x509_crl(pki.auth_crl.read_bytes())
        numbers.append(crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number)
    assert numbers == [1, 2, 3]
    assert x509.load_pem_x509_crl(pki.auth_crl.read_bytes()).next_update_utc == NOW + timedelta(
        minutes=2, days=1
    )


def test_writing_needs_the_auth_ca(tmp_path: Path) -> None:
    with pytest.raises(PkiFileError) as caught:
        write_auth_crl(BackendPki(tmp_path), [], now=NOW)
    assert caught.value.problem == "missing"


def test_writing_refuses_a_key_of_another_ca(pki: BackendPki) -> None:
    shutil.copy(pki.jpki_dir / "sign_ca_key.pem", pki.auth_ca_key)
    with pytest.raises(PkiFileError, match="does not match"):
        write_auth_crl(pki, [], now=NOW)


# --------------------------------------------------------------------------------------------- reading


def test_current_crl(pki: BackendPki) -> None:
    write_auth_crl(pki, [(77, NOW)], now=NOW)
    source = _source(pki)
    crl = source.current(NOW + timedelta(hours=1))
    assert crl.get_revoked_certificate_by_serial_number(77) is not None
    # Valid from last_update to next_update inclusive.
    assert source.current(NOW) is crl
    assert source.current(NOW + timedelta(days=1)) is crl


def test_missing(pki: BackendPki) -> None:
    source = _source(pki)
    assert _problem(source, NOW) is CrlProblem.MISSING
    error = CrlUnavailable(CrlProblem.MISSING)
    assert error.to_dict() == {
        "code": "crl-unavailable",
        "message": "no current CRL: missing",
        "reason": "missing",
    }


def test_unparsable(pki: BackendPki) -> None:
    pki.auth_crl.write_bytes(b"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n")
    assert _problem(_source(pki), NOW) is CrlProblem.UNPARSABLE


def test_bad_signature(pki: BackendPki) -> None:
    # Same issuer name, different key: a forged CRL that would hide revocations.
    pki.auth_crl.write_bytes(_foreign_crl(_ca(pki).subject))
    assert _problem(_source(pki), NOW) is CrlProblem.BAD_SIGNATURE


def test_tampered_crl(pki: BackendPki) -> None:
    write_auth_crl(pki, [(77, NOW)], now=NOW)
    crl = x509.load_pem_x509_crl(pki.auth_crl.read_bytes())
    der = bytearray(crl.public_bytes(serialization.Encoding.DER))
    der[-1] ^= 0x01  # the last byte of the signature
    crl = x509.load_der_x509_crl(bytes(der))
    pki.auth_crl.write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    assert _problem(_source(pki), NOW) is CrlProblem.BAD_SIGNATURE


def test_wrong_issuer(pki: BackendPki) -> None:
    sign_ca = x509.load_pem_x509_certificate((pki.jpki_dir / "sign_ca.pem").read_bytes())
    pki.auth_crl.write_bytes(_foreign_crl(sign_ca.subject))
    assert _problem(_source(pki), NOW) is CrlProblem.WRONG_ISSUER


def test_stale_and_not_yet_valid(pki: BackendPki) -> None:
    write_auth_crl(pki, [], now=NOW, valid_for=timedelta(hours=1))
    source = _source(pki)
    assert _problem(source, NOW + timedelta(hours=1, seconds=1)) is CrlProblem.STALE
    assert _problem(source, NOW - timedelta(seconds=1)) is CrlProblem.NOT_YET_VALID
    source.current(NOW + timedelta(minutes=30))


def test_ca_must_be_rsa_or_ec(pki: BackendPki, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "ed25519 CA")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW)
        .not_valid_after(NOW + timedelta(days=1))
        .sign(key, None)
    )
    with pytest.raises(ValueError, match="RSA or EC"):
        CrlSource(pki.auth_crl, cert)


# --------------------------------------------------------------------------------------------- reloading


class FakeMonotonic:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


def test_reloads_when_the_file_changes(pki: BackendPki) -> None:
    write_auth_crl(pki, [], now=NOW)
    source = _source(pki, recheck_seconds=0)
    assert len(source.current(NOW)) == 0
    # Same size and most likely the same mtime tick as the first file: only the inode tells them apart.
    write_auth_crl(pki, [(5, NOW)], now=NOW)
    assert source.current(NOW).get_revoked_certificate_by_serial_number(5) is not None
    write_auth_crl(pki, [(5, NOW), (6, NOW)], now=NOW)
    assert len(source.current(NOW)) == 2


def test_a_bad_replacement_is_not_covered_by_the_old_crl(pki: BackendPki) -> None:
    write_auth_crl(pki, [], now=NOW)
    source = _source(pki, recheck_seconds=0)
    source.current(NOW)
    pki.auth_crl.write_bytes(_foreign_crl(_ca(pki).subject))
    assert _problem(source, NOW) is CrlProblem.BAD_SIGNATURE
    assert _problem(source, NOW) is CrlProblem.BAD_SIGNATURE, "the failure is remembered, not retried as ok"
    pki.auth_crl.unlink()
    assert _problem(source, NOW) is CrlProblem.MISSING
    write_auth_crl(pki, [(9, NOW)], now=NOW)
    assert source.current(NOW).get_revoked_certificate_by_serial_number(9) is not None


def test_checks_the_file_at_most_every_recheck_seconds(pki: BackendPki) -> None:
    write_auth_crl(pki, [], now=NOW)
    clock = FakeMonotonic()
    source = CrlSource(pki.auth_crl, _ca(pki), recheck_seconds=5.0, monotonic=clock)
    first = source.current(NOW)
    write_auth_crl(pki, [(5, NOW)], now=NOW)
    clock.value += 4.9
    assert source.current(NOW) is first, "not looked at again yet"
    clock.value += 0.1
    assert source.current(NOW).get_revoked_certificate_by_serial_number(5) is not None


def test_staleness_is_judged_on_every_call_even_when_cached(pki: BackendPki) -> None:
    write_auth_crl(pki, [], now=NOW, valid_for=timedelta(hours=1))
    clock = FakeMonotonic()
    source = CrlSource(pki.auth_crl, _ca(pki), recheck_seconds=3600, monotonic=clock)
    source.current(NOW)
    assert _problem(source, NOW + timedelta(hours=2)) is CrlProblem.STALE


def test_shared_across_threads(pki: BackendPki) -> None:
    write_auth_crl(pki, [], now=NOW)
    source = _source(pki, recheck_seconds=0)
    subject = _ca(pki).subject
    failures: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:
        try:
            while not done.is_set():
                crl = source.current(NOW)
                assert crl.issuer == subject
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for serial in range(1, 11):
            write_auth_crl(pki, [(serial, NOW)], now=NOW)
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=10)
    assert not failures
    assert source.current(NOW).get_revoked_certificate_by_serial_number(10) is not None
