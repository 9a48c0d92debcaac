"""Checking a card's user-authentication (利用者証明用) certificate and its signature over the auth binding.

This is the backend's own implementation, independent of kiosk.card on purpose: a reference that reused the
kiosk's code would agree with the kiosk's mistakes.

The certificate is checked in an order that trusts nothing from it before its signature verifies: parse,
then issuer and signature (a forged certificate is always WRONG_CA, whatever else is wrong with it), then
its key, key usage, validity period and revocation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kiosk.backend.api import CertificateProblem
from kiosk.errors import KioskError

__all__ = [
    "MIN_RSA_BITS",
    "AuthSignatureInvalid",
    "CardCertificateRejected",
    "CheckedCard",
    "check_card_certificate",
    "verify_auth_signature",
]

#: JPKI auth keys are RSA-2048; anything weaker is not a card we issue documents against.
MIN_RSA_BITS = 2048


class CardCertificateRejected(KioskError):
    """The card's certificate cannot be trusted; `problem` is the protocol's detail code."""

    code = "certificate-rejected"
    reported = ("problem",)

    def __init__(self, problem: CertificateProblem) -> None:
        self.problem = problem
        super().__init__(f"card certificate rejected: {problem}")


class AuthSignatureInvalid(KioskError):
    """The card's signature does not verify over this session's auth binding."""

    code = "signature-invalid"

    def __init__(self) -> None:
        super().__init__("the card's signature does not verify over the auth binding")


_ISSUED_BY_CHECK = object()


@dataclass(frozen=True)
class CheckedCard:
    """A card certificate that passed every check; built only by `check_card_certificate`."""

    serial: int
    sha256: str
    public_key: rsa.RSAPublicKey = field(repr=False, compare=False)
    _token: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # verify_auth_signature trusts the key it is given, so only a checked certificate may supply one.
        if self._token is not _ISSUED_BY_CHECK:
            raise TypeError("CheckedCard is only made by municipal.cardcheck.check_card_certificate")


def check_card_certificate(
    der: bytes, *, auth_ca: x509.Certificate, crl: x509.CertificateRevocationList | None, now: datetime
) -> CheckedCard:
    """Accept `der` only if the auth CA issued it for signing, it is valid at `now` and not in `crl`.

    `crl` must come from a verified source (municipal.crl.CrlSource); its issuer is checked here again so a
    CRL of another CA can never make a revoked card look clean. `None` (no current CRL) is refused as
    revocation-unknown, after the certificate's own checks, so a forgery is still reported as wrong-ca.
    """
    cert = _parse(der)
    _check_issued_by(cert, auth_ca)
    public_key = _check_key(cert)
    _check_key_usage(cert)
    if now < cert.not_valid_before_utc:
        raise CardCertificateRejected(CertificateProblem.NOT_YET_VALID)
    if now > cert.not_valid_after_utc:
        raise CardCertificateRejected(CertificateProblem.EXPIRED)
    if crl is None or crl.issuer != auth_ca.subject:
        raise CardCertificateRejected(CertificateProblem.REVOCATION_UNKNOWN)
    if crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None:
        raise CardCertificateRejected(CertificateProblem.REVOKED)
    return CheckedCard(
        serial=cert.serial_number,
        sha256=hashlib.sha256(der).hexdigest(),
        public_key=public_key,
        _token=_ISSUED_BY_CHECK,
    )


def verify_auth_signature(card: CheckedCard, signature: bytes, binding: bytes) -> None:
    """RSASSA-PKCS1-v1_5 with SHA-256 over `binding`.

    The card signs DigestInfo(SHA-256(binding)) with its raw RSA operation, which is byte for byte a
    PKCS#1 v1.5 SHA-256 signature of `binding`, so the standard verification applies unchanged.
    """
    try:
        card.public_key.verify(signature, binding, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise AuthSignatureInvalid from None


def _parse(der: bytes) -> x509.Certificate:
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError:
        raise CardCertificateRejected(CertificateProblem.MALFORMED) from None


def _check_issued_by(cert: x509.Certificate, auth_ca: x509.Certificate) -> None:
    # Checks the issuer name, then the signature with the CA's key. TypeError: a CA key type that cannot sign.
    try:
        cert.verify_directly_issued_by(auth_ca)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        raise CardCertificateRejected(CertificateProblem.WRONG_CA) from None


def _check_key(cert: x509.Certificate) -> rsa.RSAPublicKey:
    try:
        key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        raise CardCertificateRejected(CertificateProblem.MALFORMED) from None
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < MIN_RSA_BITS:
        raise CardCertificateRejected(CertificateProblem.MALFORMED)
    return key


def _check_key_usage(cert: x509.Certificate) -> None:
    try:
        extensions = cert.extensions
    except ValueError:
        # Duplicate or undecodable extensions (only reachable if the CA itself signed such a thing).
        raise CardCertificateRejected(CertificateProblem.MALFORMED) from None
    try:
        usage = extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        raise CardCertificateRejected(CertificateProblem.WRONG_KEY_USAGE) from None
    if not usage.digital_signature or usage.key_cert_sign or usage.crl_sign:
        raise CardCertificateRejected(CertificateProblem.WRONG_KEY_USAGE)
    try:
        constraints = extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return
    if constraints.ca:
        raise CardCertificateRejected(CertificateProblem.WRONG_KEY_USAGE)
