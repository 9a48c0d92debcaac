"""What the kiosk does with a card, as whole operations over a connection: its status, and authentication.

These are the units the CLI runs and the orchestrator will run on its card worker thread. They return
frozen values with only the fields the kiosk may show or send; nothing else read from the card leaves.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kiosk.card.apdu import digest_info_sha256
from kiosk.card.connection import CardConnection
from kiosk.card.jpki import JpkiSession
from kiosk.errors import MalformedResponseError

__all__ = [
    "SIGNATURE_ALGORITHM",
    "Authentication",
    "CardStatus",
    "CertificateSummary",
    "authenticate",
    "read_status",
]

SIGNATURE_ALGORITHM = "sha256WithRSAEncryption"


@dataclass(frozen=True)
class CertificateSummary:
    """The public facts of the authentication certificate (it carries no personal data)."""

    serial: str
    issuer: str
    subject: str
    not_before: str
    not_after: str
    sha256: str

    @classmethod
    def of(cls, der: bytes) -> CertificateSummary:
        cert = x509.load_der_x509_certificate(der)
        return cls(
            serial=f"{cert.serial_number:X}",
            issuer=cert.issuer.rfc4514_string(),
            subject=cert.subject.rfc4514_string(),
            not_before=cert.not_valid_before_utc.isoformat(),
            not_after=cert.not_valid_after_utc.isoformat(),
            sha256=hashlib.sha256(der).hexdigest(),
        )

    def to_dict(self) -> dict[str, str]:
        return {
            "serial": self.serial,
            "issuer": self.issuer,
            "subject": self.subject,
            "not_before": self.not_before,
            "not_after": self.not_after,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class CardStatus:
    reader: str
    atr: bytes
    auth_pin_tries_left: int
    auth_certificate: CertificateSummary

    def to_dict(self) -> dict[str, object]:
        return {
            "reader": self.reader,
            "atr": self.atr.hex().upper(),
            "applet": "jpki",
            "auth_pin_tries_left": self.auth_pin_tries_left,
            "auth_certificate": self.auth_certificate.to_dict(),
        }


@dataclass(frozen=True)
class Authentication:
    """The authentication certificate and its signature over DigestInfo(SHA-256(challenge))."""

    certificate: bytes
    signature: bytes
    algorithm: str = SIGNATURE_ALGORITHM


def read_status(connection: CardConnection, reader: str) -> CardStatus:
    """Select JPKI, read the authentication certificate and the PIN tries left (spending none)."""
    session = JpkiSession(connection)
    der = session.read_auth_certificate()
    return CardStatus(
        reader=reader,
        atr=connection.atr,
        auth_pin_tries_left=session.auth_pin_tries_left(),
        auth_certificate=CertificateSummary.of(der),
    )


def authenticate(
    connection: CardConnection, challenge: bytes, pin: bytearray, *, allow_last_try: bool = False
) -> Authentication:
    """Verify the PIN (zeroing it) and sign the challenge with the authentication key.

    The signature is checked against the certificate read from the same card before it is returned: a
    card that signs with a key other than its certificate's is caught here, not at the backend.
    """
    try:
        session = JpkiSession(connection)
        der = session.read_auth_certificate()
        session.verify_auth_pin(pin, allow_last_try=allow_last_try)
    finally:
        for index in range(len(pin)):
            pin[index] = 0
    signature = session.sign_with_auth_key(digest_info_sha256(challenge))
    _check_signature(der, signature, challenge)
    return Authentication(certificate=der, signature=signature)


def _check_signature(der: bytes, signature: bytes, challenge: bytes) -> None:
    public_key = x509.load_der_x509_certificate(der).public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise MalformedResponseError("certificate", "the authentication key is not RSA")
    try:
        public_key.verify(signature, challenge, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise MalformedResponseError("signature", "does not verify with the card's certificate") from None
