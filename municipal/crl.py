"""The JPKI-like auth CA's certificate revocation list: writing it, and serving a verified, current copy.

The backend refuses a card when it has no current CRL (CertificateProblem.REVOCATION_UNKNOWN) rather than
guess, so `CrlSource.current` either returns a CRL that is signed by the CA and not stale, or raises.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from kiosk.errors import KioskError
from municipal.pki import BackendPki, PkiFileError, write_atomically

__all__ = ["CrlProblem", "CrlSource", "CrlUnavailable", "write_auth_crl"]


class CrlProblem(StrEnum):
    MISSING = "missing"
    UNPARSABLE = "unparsable"
    WRONG_ISSUER = "wrong-issuer"
    BAD_SIGNATURE = "bad-signature"
    NOT_YET_VALID = "not-yet-valid"  # last_update is in the future: our clock or the CRL is wrong
    NO_NEXT_UPDATE = "no-next-update"  # a CRL that never goes stale cannot be judged current
    STALE = "stale"


class CrlUnavailable(KioskError):
    """No trustworthy, current CRL: the caller answers revocation-unknown instead of guessing."""

    code = "crl-unavailable"
    reported = ("reason",)

    def __init__(self, reason: CrlProblem) -> None:
        self.reason = reason
        super().__init__(f"no current CRL: {reason}")


# --------------------------------------------------------------------------------------------- writing


def write_auth_crl(
    pki: BackendPki,
    revoked: Iterable[tuple[int, datetime]],
    *,
    now: datetime,
    valid_for: timedelta = timedelta(days=1),
) -> None:
    """Sign a full CRL for the auth CA (SHA-256) listing `revoked` (serial, revocation date) pairs.

    The CRL number is one more than the current file's, so relying parties can tell newer from older.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    ca_cert, ca_key = _load_auth_ca(pki)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now)
        .next_update(now + valid_for)
        .add_extension(x509.CRLNumber(_previous_number(pki.auth_crl) + 1), critical=False)
        .add_extension(_authority_key_identifier(ca_cert), critical=False)
    )
    for serial, revoked_at in revoked:
        entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(revoked_at).build()
        builder = builder.add_revoked_certificate(entry)
    crl = builder.sign(ca_key, hashes.SHA256())
    write_atomically(pki.auth_crl, crl.public_bytes(serialization.Encoding.PEM))


def _load_auth_ca(pki: BackendPki) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    try:
        cert = x509.load_pem_x509_certificate(pki.auth_ca_cert.read_bytes())
    except FileNotFoundError:
        raise PkiFileError(pki.auth_ca_cert, "missing") from None
    except ValueError:
        raise PkiFileError(pki.auth_ca_cert, "not a PEM certificate") from None
    try:
        key = serialization.load_pem_private_key(pki.auth_ca_key.read_bytes(), password=None)
    except FileNotFoundError:
        raise PkiFileError(pki.auth_ca_key, "missing") from None
    except (ValueError, TypeError):
        raise PkiFileError(pki.auth_ca_key, "not an unencrypted PEM private key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise PkiFileError(pki.auth_ca_key, "not an RSA private key")
    if key.public_key().public_numbers() != cert.public_key().public_numbers():  # type: ignore[union-attr]
        raise PkiFileError(pki.auth_ca_key, "does not match auth_ca.pem")
    return cert, key


def _previous_number(path: Path) -> int:
    # An absent or unreadable previous CRL restarts at 1; it was never trustworthy, so nothing goes backwards.
    with contextlib.suppress(FileNotFoundError, ValueError, x509.ExtensionNotFound):
        crl = x509.load_pem_x509_crl(path.read_bytes())
        return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
    return 0


def _authority_key_identifier(ca_cert: x509.Certificate) -> x509.AuthorityKeyIdentifier:
    # RFC 5280 5.2.1: conforming CRL issuers include it; reuse the CA's own SKI when it has one.
    try:
        ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    except x509.ExtensionNotFound:
        return x509.AuthorityKeyIdentifier.from_issuer_public_key(_issuer_key(ca_cert))
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def _issuer_key(ca_cert: x509.Certificate) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    # The JPKI-like auth CA is RSA; EC is accepted so the same reader also fits an EC test CA.
    key = ca_cert.public_key()
    if isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        return key
    raise ValueError("the CA's key must be RSA or EC")


# --------------------------------------------------------------------------------------------- reading


# The outcome of loading one version of the file: a verified CRL, or why there is none.
_Loaded = x509.CertificateRevocationList | CrlProblem


# Identifies one version of the file. An atomic replace gives a new inode, so a rewrite is noticed even when
# it lands in the same mtime tick with the same size (same number of entries): mtime and size alone miss it.
_FileVersion = tuple[int, int, int, int, int]


class CrlSource:
    """The auth CA's CRL as on disk, verified once per file version; safe to share across threads."""

    def __init__(
        self,
        path: Path,
        ca_cert: x509.Certificate,
        *,
        recheck_seconds: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._path = path
        self._ca_subject = ca_cert.subject
        self._ca_key = _issuer_key(ca_cert)
        self._recheck_seconds = recheck_seconds
        # Only paces the stat() calls; validity is always judged against the caller's `now`.
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._version: _FileVersion | None = None
        self._loaded: _Loaded = CrlProblem.MISSING

    def current(self, now: datetime) -> x509.CertificateRevocationList:
        """The verified CRL if it is current at `now`; raises `CrlUnavailable` otherwise."""
        with self._lock:
            self._refresh()
            loaded = self._loaded
        if isinstance(loaded, CrlProblem):
            raise CrlUnavailable(loaded)
        return _check_times(loaded, now)

    def _refresh(self) -> None:
        clock = self._monotonic()
        if self._checked_at is not None and clock - self._checked_at < self._recheck_seconds:
            return
        self._checked_at = clock
        version = _file_version(self._path)
        if version is not None and version == self._version:
            return
        self._version = version
        # A new file that fails to verify replaces the old CRL too: the operator meant to change it.
        self._loaded = CrlProblem.MISSING if version is None else self._load()

    def _load(self) -> _Loaded:
        try:
            data = self._path.read_bytes()
        except FileNotFoundError:
            return CrlProblem.MISSING
        try:
            crl = x509.load_pem_x509_crl(data)
        except ValueError:
            return CrlProblem.UNPARSABLE
        if crl.issuer != self._ca_subject:
            return CrlProblem.WRONG_ISSUER
        if not crl.is_signature_valid(self._ca_key):
            return CrlProblem.BAD_SIGNATURE
        return crl


def _file_version(path: Path) -> _FileVersion | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _check_times(crl: x509.CertificateRevocationList, now: datetime) -> x509.CertificateRevocationList:
    if now < crl.last_update_utc:
        raise CrlUnavailable(CrlProblem.NOT_YET_VALID)
    next_update = crl.next_update_utc
    if next_update is None:
        raise CrlUnavailable(CrlProblem.NO_NEXT_UPDATE)
    if next_update < now:
        raise CrlUnavailable(CrlProblem.STALE)
    return crl
