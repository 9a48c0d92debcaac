"""Checking a received document before anything renders it (domain.md section 8: never print another's).

`verify_document` is the only producer of `VerifiedDocument`, and rendering code accepts nothing else, so no
path reaches the printer with a document whose signature or binding was not checked.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from kiosk.backend.canonical import document_statement, statement_signing_bytes
from kiosk.backend.document import Binding, DocumentAlgorithm, DocumentContent, DocumentEnvelope
from kiosk.errors import DocumentBindingError, DocumentSignatureError

__all__ = [
    "ExpectedBinding",
    "MunicipalKey",
    "VerifiedDocument",
    "algorithm_for",
    "verify_document",
    "verify_statement",
]

MunicipalKey = Ed25519PublicKey | ec.EllipticCurvePublicKey

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ExpectedBinding:
    """The kiosk's own view of the transaction, from its session, its request, its config and the card."""

    session_id: str
    request_id: str
    terminal_id: str
    card_certificate_sha256: str

    def __post_init__(self) -> None:
        if not _SHA256_HEX.fullmatch(self.card_certificate_sha256):
            raise ValueError("card_certificate_sha256 must be 64 lowercase hex digits")

    @classmethod
    def for_certificate(
        cls, *, session_id: str, request_id: str, terminal_id: str, certificate_der: bytes
    ) -> ExpectedBinding:
        return cls(
            session_id=session_id,
            request_id=request_id,
            terminal_id=terminal_id,
            card_certificate_sha256=hashlib.sha256(certificate_der).hexdigest(),
        )


_ISSUED_BY_VERIFY = object()


@dataclass(frozen=True)
class VerifiedDocument:
    """A document whose signature and binding have been checked; built only by `verify_document`."""

    content: DocumentContent
    binding: Binding
    algorithm: DocumentAlgorithm
    signature: bytes  # the municipality's, over the statement: printed in the verification QR code
    _token: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Types keep honest callers on the path; this keeps a hasty one from constructing it by hand.
        if self._token is not _ISSUED_BY_VERIFY:
            raise TypeError("VerifiedDocument is only made by kiosk.backend.verify.verify_document")


def algorithm_for(key: MunicipalKey) -> DocumentAlgorithm:
    """The only envelope algorithm a pinned key may verify (so a document cannot choose its own check)."""
    if isinstance(key, Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key.curve, ec.SECP256R1):
        return "ECDSA-P256-SHA256"
    raise DocumentSignatureError("the pinned municipal key is not Ed25519 or P-256")


def verify_statement(
    statement: Mapping[str, object], signature: bytes, *, municipal_key: MunicipalKey
) -> None:
    """Check the municipality's signature over a document statement (kiosk.backend.canonical) with `key`."""
    if statement.get("algorithm") != algorithm_for(municipal_key):
        raise DocumentSignatureError("the algorithm does not match the pinned key")
    if len(signature) != 64:
        raise DocumentSignatureError("the signature is not 64 bytes")
    message = statement_signing_bytes(statement)
    try:
        if isinstance(municipal_key, Ed25519PublicKey):
            municipal_key.verify(signature, message)
        else:
            r = int.from_bytes(signature[:32], "big")
            s = int.from_bytes(signature[32:], "big")
            municipal_key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise DocumentSignatureError("does not verify with the pinned key") from None


def verify_document(
    envelope: DocumentEnvelope, *, municipal_key: MunicipalKey, expected: ExpectedBinding
) -> VerifiedDocument:
    """Check the signature with the pinned key, then every binding field against this transaction."""
    verify_statement(document_statement(envelope), envelope.signature, municipal_key=municipal_key)
    binding = envelope.binding
    for name, got, want in (
        ("session_id", binding.session_id, expected.session_id),
        ("request_id", binding.request_id, expected.request_id),
        ("terminal_id", binding.terminal_id, expected.terminal_id),
        ("card_certificate_sha256", binding.card_certificate_sha256, expected.card_certificate_sha256),
    ):
        if got != want:
            raise DocumentBindingError(name)
    return VerifiedDocument(
        content=envelope.content,
        binding=binding,
        algorithm=envelope.algorithm,
        signature=envelope.signature,
        _token=_ISSUED_BY_VERIFY,
    )
