"""The reference backend's test PKI: deployment CA, TLS server and terminal certificates, document key.

Everything lives under one directory (``DATA_DIR/pki``)::

    deployment_ca.pem, deployment_ca_key.pem   ECDSA P-256 CA that issues the server and terminal certs
    server.pem, server_key.pem                 the backend's TLS server certificate (serverAuth)
    terminals/<tid>.pem, terminals/<tid>.key   one client certificate (clientAuth) and key per terminal
    municipal_signing_key.pem                  the key that signs documents (Ed25519 or ECDSA P-256)
    municipal_signing_pub.pem                  its public key, which kiosks pin
    jpki/auth_ca.pem, jpki/auth_ca_key.pem     the JPKI-like test CAs (written by the CLI through
    jpki/sign_ca.pem, jpki/sign_ca_key.pem     kiosk.card.profile.ensure_test_ca; only paths here)
    jpki/auth_crl.pem                          the auth CA's CRL (municipal.crl)

A terminal key is ``<tid>.key``, not ``<tid>_key.pem``: terminal ids may contain ``_`` and ``.``, so with
``_key.pem`` the certificate of terminal ``a_key`` and the key of terminal ``a`` would be the same file.

Private keys are PKCS#8 PEM files created 0600 and put in place by rename, so a reader never sees half a key
and a key is never readable by others, not even for a moment. Everything is clearly labelled TEST.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kiosk.backend.document import DocumentAlgorithm
from kiosk.errors import KioskError

__all__ = [
    "DEPLOYMENT_CA_LIFETIME",
    "SERVER_CERT_LIFETIME",
    "TERMINAL_CERT_LIFETIME",
    "BackendPki",
    "DocumentPublicKey",
    "DocumentSigner",
    "InvalidTerminalId",
    "PkiAlreadyExists",
    "PkiFileError",
    "TerminalCredentials",
    "create_backend_pki",
    "issue_terminal_certificate",
    "load_document_public_key",
    "load_document_signer",
    "write_atomically",
]

DEPLOYMENT_CA_LIFETIME = timedelta(days=3650)
SERVER_CERT_LIFETIME = timedelta(days=730)
TERMINAL_CERT_LIFETIME = timedelta(days=730)
#: Certificates start a little in the past so a terminal whose clock lags slightly still accepts them.
_BACKDATE = timedelta(minutes=5)

# The wire Identifier pattern (kiosk.backend.fields): also safe as a file name (no "/", never "." or "..").
_TERMINAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_TEST_ORG = "konbini-kiosk TEST"

DocumentPublicKey = Ed25519PublicKey | ec.EllipticCurvePublicKey


# --------------------------------------------------------------------------------------------- errors


class PkiAlreadyExists(KioskError, FileExistsError):
    """`create_backend_pki` found existing key material and refuses to replace it (also a FileExistsError)."""

    code = "pki-exists"
    reported = ("path",)

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        super().__init__(f"{path} already exists; refusing to replace existing keys")


class InvalidTerminalId(KioskError):
    """A terminal id that does not match the protocol's identifier pattern (so it is no safe file name)."""

    code = "invalid-terminal-id"
    reported = ("terminal_id",)

    def __init__(self, terminal_id: str) -> None:
        self.terminal_id = terminal_id
        super().__init__("terminal ids are 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit")


class PkiFileError(KioskError):
    """A PKI file is missing or does not hold what it should; `problem` is fixed text, never file content."""

    code = "pki-file"
    reported = ("path", "problem")

    def __init__(self, path: Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


# --------------------------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class BackendPki:
    """Where each file of the backend PKI lives; nothing is read or checked until it is used."""

    root: Path

    @property
    def deployment_ca_cert(self) -> Path:
        return self.root / "deployment_ca.pem"

    @property
    def deployment_ca_key(self) -> Path:
        return self.root / "deployment_ca_key.pem"

    @property
    def server_cert(self) -> Path:
        return self.root / "server.pem"

    @property
    def server_key(self) -> Path:
        return self.root / "server_key.pem"

    @property
    def terminals_dir(self) -> Path:
        return self.root / "terminals"

    def terminal_cert(self, terminal_id: str) -> Path:
        return self.terminals_dir / f"{_checked_terminal_id(terminal_id)}.pem"

    def terminal_key(self, terminal_id: str) -> Path:
        return self.terminals_dir / f"{_checked_terminal_id(terminal_id)}.key"

    @property
    def jpki_dir(self) -> Path:
        return self.root / "jpki"

    @property
    def auth_ca_cert(self) -> Path:
        return self.jpki_dir / "auth_ca.pem"

    @property
    def auth_ca_key(self) -> Path:
        return self.jpki_dir / "auth_ca_key.pem"

    @property
    def auth_crl(self) -> Path:
        return self.jpki_dir / "auth_crl.pem"

    @property
    def document_key(self) -> Path:
        return self.root / "municipal_signing_key.pem"

    @property
    def document_public_key(self) -> Path:
        return self.root / "municipal_signing_pub.pem"


def _checked_terminal_id(terminal_id: str) -> str:
    if not _TERMINAL_ID.fullmatch(terminal_id):
        raise InvalidTerminalId(terminal_id)
    return terminal_id


# --------------------------------------------------------------------------------------------- creating


def create_backend_pki(
    root: Path,
    *,
    now: datetime,
    document_algorithm: DocumentAlgorithm = "Ed25519",
    server_names: Sequence[str] = ("localhost", "127.0.0.1", "::1"),
) -> BackendPki:
    """Create the deployment CA, the server certificate and the document key pair under `root`.

    Refuses with `PkiAlreadyExists` when any of those files exists, so running init twice never replaces
    keys that terminals already trust or pin.
    """
    _require_aware(now)
    if not server_names:
        raise ValueError("the server certificate needs at least one name")
    sans = [_general_name(name) for name in server_names]
    pki = BackendPki(root)
    targets = (
        pki.deployment_ca_key,
        pki.deployment_ca_cert,
        pki.server_key,
        pki.server_cert,
        pki.document_key,
        pki.document_public_key,
    )
    for path in targets:
        if path.exists():
            raise PkiAlreadyExists(path)
    root.mkdir(parents=True, exist_ok=True)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _deployment_ca(ca_key, now)
    # The CA key is claimed first and without replacement: two concurrent inits cannot both win.
    write_atomically(pki.deployment_ca_key, _private_pem(ca_key), private=True, replace=False)
    write_atomically(pki.deployment_ca_cert, ca_cert.public_bytes(serialization.Encoding.PEM), replace=False)

    server_key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(f"{_TEST_ORG} municipal backend")
    server_cert = _leaf(
        _Issuer(ca_cert, ca_key),
        server_key.public_key(),
        subject,
        now=now,
        lifetime=SERVER_CERT_LIFETIME,
        usage=ExtendedKeyUsageOID.SERVER_AUTH,
        sans=sans,
    )
    write_atomically(pki.server_key, _private_pem(server_key), private=True, replace=False)
    write_atomically(pki.server_cert, server_cert.public_bytes(serialization.Encoding.PEM), replace=False)

    document_key = _new_document_key(document_algorithm)
    public_pem = document_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    write_atomically(pki.document_key, _private_pem(document_key), private=True, replace=False)
    write_atomically(pki.document_public_key, public_pem, replace=False)
    return pki


@dataclass(frozen=True)
class TerminalCredentials:
    """Where a newly issued terminal certificate and key were written, and the certificate's fingerprint."""

    terminal_id: str
    cert_path: Path
    key_path: Path
    certificate_sha256: str


def issue_terminal_certificate(pki: BackendPki, terminal_id: str, *, now: datetime) -> TerminalCredentials:
    """Issue a client certificate (CN = terminal id, clientAuth) signed by the deployment CA.

    Re-issuing replaces the terminal's files (a renewal); whether the old certificate is still accepted is the
    backend's decision (it registers terminals by certificate fingerprint), not the file system's.
    """
    _require_aware(now)
    cert_path = pki.terminal_cert(terminal_id)
    key_path = pki.terminal_key(terminal_id)
    issuer = _load_deployment_ca(pki)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _leaf(
        issuer,
        key.public_key(),
        _name(terminal_id),
        now=now,
        lifetime=TERMINAL_CERT_LIFETIME,
        usage=ExtendedKeyUsageOID.CLIENT_AUTH,
        sans=[],
    )
    pki.terminals_dir.mkdir(parents=True, exist_ok=True)
    # Key first: whoever sees the new certificate can rely on its key being there already.
    write_atomically(key_path, _private_pem(key), private=True)
    der = cert.public_bytes(serialization.Encoding.DER)
    write_atomically(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return TerminalCredentials(
        terminal_id=terminal_id,
        cert_path=cert_path,
        key_path=key_path,
        certificate_sha256=hashlib.sha256(der).hexdigest(),
    )


# --------------------------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class DocumentSigner:
    """Signs document bytes with the municipal key; the signature is always 64 bytes (see `sign`)."""

    algorithm: DocumentAlgorithm
    _key: Ed25519PrivateKey | ec.EllipticCurvePrivateKey = field(repr=False)

    def sign(self, message: bytes) -> bytes:
        """Ed25519: the 64-byte signature. ECDSA P-256/SHA-256: r || s, each 32 bytes big-endian.

        Raw r || s (not DER) because the envelope's signature field is fixed at 64 bytes for both algorithms.
        """
        if isinstance(self._key, Ed25519PrivateKey):
            return self._key.sign(message)
        r, s = decode_dss_signature(self._key.sign(message, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def load_document_signer(pki: BackendPki) -> DocumentSigner:
    path = pki.document_key
    key = _load_private_key(path)
    if isinstance(key, Ed25519PrivateKey):
        return DocumentSigner("Ed25519", key)
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return DocumentSigner("ECDSA-P256-SHA256", key)
    raise PkiFileError(path, "not an Ed25519 or ECDSA P-256 private key")


def load_document_public_key(path: Path) -> DocumentPublicKey:
    data = _read(path)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise PkiFileError(path, "not a PEM public key") from None
    if isinstance(key, Ed25519PublicKey):
        return key
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return key
    raise PkiFileError(path, "not an Ed25519 or ECDSA P-256 public key")


def _new_document_key(algorithm: DocumentAlgorithm) -> Ed25519PrivateKey | ec.EllipticCurvePrivateKey:
    if algorithm == "Ed25519":
        return Ed25519PrivateKey.generate()
    if algorithm == "ECDSA-P256-SHA256":
        return ec.generate_private_key(ec.SECP256R1())
    raise ValueError(f"unknown document algorithm {algorithm!r}")


# --------------------------------------------------------------------------------------------- files


def write_atomically(path: Path, data: bytes, *, private: bool = False, replace: bool = True) -> None:
    """Write `data` to a temp file beside `path`, flush it to disk, then move it into place.

    Private files are 0600 from creation (mkstemp) and public ones become 0644. With `replace=False` the
    file is put in place with link(2), which fails with FileExistsError instead of replacing anything.
    """
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            if not private:
                os.fchmod(handle.fileno(), 0o644)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PkiFileError(path, "missing") from None


def _load_private_key(path: Path) -> PrivateKeyTypes:
    data = _read(path)
    try:
        return serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        # Never chain the parser's error: some messages quote input bytes, and these are private keys.
        raise PkiFileError(path, "not an unencrypted PEM private key") from None


def _private_pem(key: ec.EllipticCurvePrivateKey | Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _require_aware(now: datetime) -> None:
    # cryptography reads a naive datetime as UTC, which silently shifts validity by the local offset.
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")


# --------------------------------------------------------------------------------------------- certificates


@dataclass(frozen=True)
class _Issuer:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey = field(repr=False)


def _load_deployment_ca(pki: BackendPki) -> _Issuer:
    try:
        cert = x509.load_pem_x509_certificate(_read(pki.deployment_ca_cert))
    except ValueError:
        raise PkiFileError(pki.deployment_ca_cert, "not a PEM certificate") from None
    key = _load_private_key(pki.deployment_ca_key)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise PkiFileError(pki.deployment_ca_key, "not an ECDSA private key")
    if key.public_key().public_numbers() != cert.public_key().public_numbers():  # type: ignore[union-attr]
        raise PkiFileError(pki.deployment_ca_key, "does not match deployment_ca.pem")
    return _Issuer(cert, key)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _TEST_ORG),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _general_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        pass
    if not name or not name.isascii():
        raise ValueError(f"server name {name!r} is not an IP address or an ASCII DNS name")
    return x509.DNSName(name)


def _key_usage(*, digital_signature: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _deployment_ca(key: ec.EllipticCurvePrivateKey, now: datetime) -> x509.Certificate:
    name = _name("konbini-kiosk deployment CA - TEST - never trust")
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + DEPLOYMENT_CA_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(digital_signature=False, ca=True), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )


def _leaf(
    issuer: _Issuer,
    public_key: ec.EllipticCurvePublicKey,
    subject: x509.Name,
    *,
    now: datetime,
    lifetime: timedelta,
    usage: x509.ObjectIdentifier,
    sans: Sequence[x509.GeneralName],
) -> x509.Certificate:
    issuer_ski = issuer.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        # A leaf never outlives its CA: verifiers would reject the tail end anyway.
        .not_valid_after(min(now + lifetime, issuer.cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True, ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski), critical=False
        )
    )
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    return builder.sign(issuer.key, hashes.SHA256())
