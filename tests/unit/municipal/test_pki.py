from __future__ import annotations

import hashlib
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kiosk.backend.canonical import document_signing_bytes
from kiosk.backend.document import DocumentAlgorithm, DocumentEnvelope
from kiosk.backend.verify import verify_document
from kiosk.errors import KioskError
from municipal.pki import (
    BackendPki,
    DocumentSigner,
    InvalidTerminalId,
    PkiAlreadyExists,
    PkiFileError,
    create_backend_pki,
    issue_terminal_certificate,
    load_document_public_key,
    load_document_signer,
    write_atomically,
)
from tests.unit.backend.samples import binding, expected, juminhyo

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
ALGORITHMS: tuple[DocumentAlgorithm, ...] = ("Ed25519", "ECDSA-P256-SHA256")


@pytest.fixture
def pki(tmp_path: Path) -> BackendPki:
    return create_backend_pki(tmp_path / "pki", now=NOW)


def _cert(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _eku(cert: x509.Certificate) -> list[x509.ObjectIdentifier]:
    return list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)


# --------------------------------------------------------------------------------------------- layout


def test_layout_and_permissions(pki: BackendPki) -> None:
    root = pki.root
    assert pki.deployment_ca_cert == root / "deployment_ca.pem"
    assert pki.deployment_ca_key == root / "deployment_ca_key.pem"
    assert pki.server_cert == root / "server.pem"
    assert pki.server_key == root / "server_key.pem"
    assert pki.document_key == root / "municipal_signing_key.pem"
    assert pki.document_public_key == root / "municipal_signing_pub.pem"
    assert pki.jpki_dir == root / "jpki"
    assert pki.auth_ca_cert == root / "jpki" / "auth_ca.pem"
    assert pki.auth_ca_key == root / "jpki" / "auth_ca_key.pem"
    assert pki.auth_crl == root / "jpki" / "auth_crl.pem"
    assert pki.terminal_cert("kiosk-001") == root / "terminals" / "kiosk-001.pem"
    assert pki.terminal_key("kiosk-001") == root / "terminals" / "kiosk-001.key"

    for key in (pki.deployment_ca_key, pki.server_key, pki.document_key):
        assert _mode(key) == 0o600, key
    for public in (pki.deployment_ca_cert, pki.server_cert, pki.document_public_key):
        assert _mode(public) == 0o644, public
    assert sorted(path.name for path in root.iterdir()) == sorted(
        [
            "deployment_ca.pem",
            "deployment_ca_key.pem",
            "server.pem",
            "server_key.pem",
            "municipal_signing_key.pem",
            "municipal_signing_pub.pem",
        ]
    ), "no temp files left behind"


def test_terminal_paths_never_collide() -> None:
    # With a "<tid>_key.pem" layout, terminal "a_key"'s certificate would be terminal "a"'s key.
    pki = BackendPki(Path("/pki"))
    ids = ["a", "a_key", "a.key", "a_key.pem", "a.pem", "A"]
    paths = [pki.terminal_cert(tid) for tid in ids] + [pki.terminal_key(tid) for tid in ids]
    assert len(set(paths)) == len(paths)


@pytest.mark.parametrize("bad", ["", ".hidden", "-x", "a/b", "../etc", "x" * 65, "ä", "a b", "a\n"])
def test_terminal_ids_are_checked(bad: str) -> None:
    pki = BackendPki(Path("/pki"))
    with pytest.raises(InvalidTerminalId) as caught:
        pki.terminal_cert(bad)
    assert caught.value.to_dict()["code"] == "invalid-terminal-id"
    with pytest.raises(InvalidTerminalId):
        pki.terminal_key(bad)


# --------------------------------------------------------------------------------------------- creating


def test_deployment_ca(pki: BackendPki) -> None:
    ca = _cert(pki.deployment_ca_cert)
    assert ca.subject == ca.issuer
    cn = ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert "TEST" in cn
    assert "never trust" in cn
    key = ca.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey)
    assert isinstance(key.curve, ec.SECP256R1)
    constraints = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical
    assert constraints.value.ca
    assert constraints.value.path_length == 0
    usage = ca.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert usage.value.key_cert_sign
    assert usage.value.crl_sign
    assert not usage.value.digital_signature
    assert ca.not_valid_after_utc - NOW == timedelta(days=3650)
    assert ca.not_valid_before_utc <= NOW
    ca.verify_directly_issued_by(ca)

    private = serialization.load_pem_private_key(pki.deployment_ca_key.read_bytes(), password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    assert private.public_key().public_numbers() == key.public_numbers()


def test_server_certificate(pki: BackendPki) -> None:
    ca = _cert(pki.deployment_ca_cert)
    server = _cert(pki.server_cert)
    server.verify_directly_issued_by(ca)
    sans = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["localhost"]
    assert [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)] == ["127.0.0.1", "::1"]
    assert _eku(server) == [ExtendedKeyUsageOID.SERVER_AUTH]
    assert not server.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert server.not_valid_after_utc - NOW == timedelta(days=730)
    private = serialization.load_pem_private_key(pki.server_key.read_bytes(), password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey)
    assert private.public_key().public_numbers() == server.public_key().public_numbers()  # type: ignore[union-attr]


def test_server_names_are_configurable(tmp_path: Path) -> None:
    pki = create_backend_pki(tmp_path, now=NOW, server_names=("backend.example.test", "10.0.0.5"))
    sans = _cert(pki.server_cert).extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["backend.example.test"]
    assert [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)] == ["10.0.0.5"]


@pytest.mark.parametrize("names", [(), ("bäckend.test",), ("",)])
def test_bad_server_names_are_refused(tmp_path: Path, names: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="server"):
        create_backend_pki(tmp_path, now=NOW, server_names=names)
    assert not (tmp_path / "deployment_ca_key.pem").exists()


def test_refuses_to_replace_existing_keys(pki: BackendPki) -> None:
    before = {path: path.read_bytes() for path in pki.root.iterdir()}
    with pytest.raises(PkiAlreadyExists) as caught:
        create_backend_pki(pki.root, now=NOW)
    assert isinstance(caught.value, FileExistsError)
    assert isinstance(caught.value, KioskError)
    assert caught.value.to_dict()["path"] == str(pki.deployment_ca_key)
    assert {path: path.read_bytes() for path in pki.root.iterdir()} == before


def test_refuses_when_only_the_document_key_exists(tmp_path: Path) -> None:
    pki = BackendPki(tmp_path)
    pki.document_key.write_bytes(b"an existing key")
    with pytest.raises(PkiAlreadyExists):
        create_backend_pki(tmp_path, now=NOW)
    assert not pki.deployment_ca_key.exists()
    assert pki.document_key.read_bytes() == b"an existing key"


def test_naive_now_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="aware"):
        create_backend_pki(tmp_path, now=datetime(2026, 11, 23, 3, 0))  # naive on purpose


# --------------------------------------------------------------------------------------------- terminals


def test_terminal_certificate(pki: BackendPki) -> None:
    credentials = issue_terminal_certificate(pki, "kiosk-001", now=NOW)
    assert credentials.terminal_id == "kiosk-001"
    assert credentials.cert_path == pki.terminal_cert("kiosk-001")
    assert credentials.key_path == pki.terminal_key("kiosk-001")
    assert _mode(credentials.key_path) == 0o600
    assert _mode(credentials.cert_path) == 0o644

    cert = _cert(credentials.cert_path)
    der = cert.public_bytes(serialization.Encoding.DER)
    assert credentials.certificate_sha256 == hashlib.sha256(der).hexdigest()
    cert.verify_directly_issued_by(_cert(pki.deployment_ca_cert))
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "kiosk-001"
    assert _eku(cert) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert not usage.key_cert_sign
    key = serialization.load_pem_private_key(credentials.key_path.read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    assert isinstance(key.curve, ec.SECP256R1)
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()  # type: ignore[union-attr]


def test_reissuing_replaces_the_terminal_files(pki: BackendPki) -> None:
    first = issue_terminal_certificate(pki, "kiosk-001", now=NOW)
    second = issue_terminal_certificate(pki, "kiosk-001", now=NOW + timedelta(days=1))
    assert first.certificate_sha256 != second.certificate_sha256
    der = _cert(second.cert_path).public_bytes(serialization.Encoding.DER)
    assert hashlib.sha256(der).hexdigest() == second.certificate_sha256
    assert sorted(path.name for path in pki.terminals_dir.iterdir()) == ["kiosk-001.key", "kiosk-001.pem"]


def test_terminal_needs_the_deployment_ca(tmp_path: Path) -> None:
    with pytest.raises(PkiFileError) as caught:
        issue_terminal_certificate(BackendPki(tmp_path), "kiosk-001", now=NOW)
    assert caught.value.problem == "missing"


def test_terminal_id_is_checked_before_anything_is_written(pki: BackendPki) -> None:
    with pytest.raises(InvalidTerminalId):
        issue_terminal_certificate(pki, "../server", now=NOW)
    assert not pki.terminals_dir.exists()


# --------------------------------------------------------------------------------------------- documents


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_signer_meets_the_kiosk_rules(tmp_path: Path, algorithm: DocumentAlgorithm) -> None:
    pki = create_backend_pki(tmp_path, now=NOW, document_algorithm=algorithm)
    assert _mode(pki.document_key) == 0o600
    signer = load_document_signer(pki)
    assert signer.algorithm == algorithm
    public_key = load_document_public_key(pki.document_public_key)

    unsigned = DocumentEnvelope(
        content=juminhyo(), binding=binding(), algorithm=algorithm, signature=bytes(64)
    )
    signature = signer.sign(document_signing_bytes(unsigned))
    assert len(signature) == 64
    envelope = unsigned.model_copy(update={"signature": signature})
    received = DocumentEnvelope.model_validate_json(envelope.model_dump_json())
    verified = verify_document(received, municipal_key=public_key, expected=expected())
    assert verified.content == juminhyo()


def test_ecdsa_signatures_are_raw_r_and_s(tmp_path: Path) -> None:
    pki = create_backend_pki(tmp_path, now=NOW, document_algorithm="ECDSA-P256-SHA256")
    signer = load_document_signer(pki)
    public_key = load_document_public_key(pki.document_public_key)
    assert isinstance(public_key, ec.EllipticCurvePublicKey)
    # Never DER, never shorter: the padding of a short r or s is pinned by test_short_r_and_s_are_left_padded.
    for index in range(64):
        message = index.to_bytes(4, "big")
        signature = signer.sign(message)
        assert len(signature) == 64
        r = int.from_bytes(signature[:32], "big")
        s = int.from_bytes(signature[32:], "big")
        public_key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))


def test_ed25519_signature(pki: BackendPki) -> None:
    signer = load_document_signer(pki)
    assert signer.algorithm == "Ed25519"
    public_key = load_document_public_key(pki.document_public_key)
    assert isinstance(public_key, Ed25519PublicKey)
    signature = signer.sign(b"message")
    assert len(signature) == 64
    public_key.verify(signature, b"message")
    assert "Ed25519PrivateKey" not in repr(signer)


def test_document_key_problems(tmp_path: Path) -> None:
    pki = BackendPki(tmp_path)
    with pytest.raises(PkiFileError) as missing:
        load_document_signer(pki)
    assert missing.value.to_dict() == {
        "code": "pki-file",
        "message": f"{pki.document_key}: missing",
        "path": str(pki.document_key),
        "problem": "missing",
    }
    pki.document_key.write_bytes(b"-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n")
    with pytest.raises(PkiFileError, match="not an unencrypted PEM private key"):
        load_document_signer(pki)
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pki.document_key.write_bytes(
        rsa_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(PkiFileError, match="not an Ed25519 or ECDSA P-256 private key"):
        load_document_signer(pki)
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    pki.document_public_key.write_bytes(
        p384.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(PkiFileError, match="not an Ed25519 or ECDSA P-256 public key"):
        load_document_public_key(pki.document_public_key)
    pki.document_public_key.write_bytes(b"junk")
    with pytest.raises(PkiFileError, match="not a PEM public key"):
        load_document_public_key(pki.document_public_key)


# --------------------------------------------------------------------------------------------- files


def test_write_atomically(tmp_path: Path) -> None:
    target = tmp_path / "file.pem"
    write_atomically(target, b"one", private=True)
    assert target.read_bytes() == b"one"
    assert _mode(target) == 0o600
    write_atomically(target, b"two")
    assert target.read_bytes() == b"two"
    assert _mode(target) == 0o644
    with pytest.raises(FileExistsError):
        write_atomically(target, b"three", replace=False)
    assert target.read_bytes() == b"two"
    assert [path.name for path in tmp_path.iterdir()] == ["file.pem"]


class _ShortSignatureKey:
    """Stands in for a P-256 key whose signature happens to have tiny r and s."""

    def sign(self, message: bytes, algorithm: object) -> bytes:
        return encode_dss_signature(1, 2**200)


def test_short_r_and_s_are_left_padded() -> None:
    signer = DocumentSigner("ECDSA-P256-SHA256", _ShortSignatureKey())  # type: ignore[arg-type]
    signature = signer.sign(b"message")
    assert signature == (1).to_bytes(32, "big") + (2**200).to_bytes(32, "big")
