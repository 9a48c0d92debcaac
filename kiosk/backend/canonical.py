"""The exact bytes that get signed: the card's authentication binding and the municipality's document.

Auth binding (signed by the card as DigestInfo(SHA-256(binding))):

    b"konbini-kiosk/auth-binding/v1\\x00"
    || u32be(len(challenge))   || challenge            (32 raw bytes)
    || u32be(len(session_id))  || session_id UTF-8     (lowercase UUID text)
    || u32be(len(terminal_id)) || terminal_id UTF-8

Document (signed by the municipal key, Ed25519 or ECDSA P-256 with SHA-256): a short statement that names
the content by its hash, so that the printed certificate's QR code (statement + signature, no personal
data) can be checked on its own, and the content against it wherever the content is at hand:

    content_sha256 = hex(SHA-256(JCS(content)))
    b"konbini-kiosk/document/v1\\x00" || JCS({"algorithm": ..., "binding": {...}, "content_sha256": ...,
                                             "municipality": "<6-digit code>", "serial": ...})

JCS is RFC 8785: keys sorted, no whitespace, UTF-8 without escaping non-ASCII, no Unicode normalisation.
The payload is the models' JSON form (base64 for bytes, RFC 3339 for times, ISO dates) and may hold no
floats. The prefixes keep a signature made for one purpose from ever verifying as the other.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping, Sequence

import rfc8785

from kiosk.backend.document import DocumentContent, DocumentEnvelope
from kiosk.errors import MalformedBackendResponse

__all__ = [
    "AUTH_BINDING_PREFIX",
    "DOCUMENT_PREFIX",
    "auth_binding",
    "canonical_json",
    "content_sha256",
    "document_signing_bytes",
    "document_statement",
    "statement_signing_bytes",
]

AUTH_BINDING_PREFIX = b"konbini-kiosk/auth-binding/v1\x00"
DOCUMENT_PREFIX = b"konbini-kiosk/document/v1\x00"


def auth_binding(challenge: bytes, session_id: str, terminal_id: str) -> bytes:
    """What the card signs to prove it is present for this session at this terminal."""
    if len(challenge) != 32:
        raise ValueError("the challenge must be 32 bytes")
    parts = (challenge, session_id.encode("utf-8"), terminal_id.encode("utf-8"))
    return AUTH_BINDING_PREFIX + b"".join(struct.pack(">I", len(part)) + part for part in parts)


def canonical_json(value: object) -> bytes:
    """RFC 8785 bytes of dicts, lists, str, int, bool and None; a float (or anything else) is a TypeError."""
    _refuse_floats(value)
    try:
        return rfc8785.dumps(value)  # type: ignore[arg-type]  # shape checked by _refuse_floats
    except rfc8785.CanonicalizationError as error:
        raise ValueError(f"not canonicalisable: {type(error).__name__}") from None


def content_sha256(content: DocumentContent) -> str:
    """Lowercase hex SHA-256 of the content's canonical JSON: what the statement and the QR code carry."""
    try:
        return hashlib.sha256(canonical_json(content.model_dump(mode="json"))).hexdigest()
    except (TypeError, ValueError) as error:
        raise MalformedBackendResponse("document", str(error)) from None


def document_statement(envelope: DocumentEnvelope) -> dict[str, object]:
    """What the municipality signs about this document (no personal data: ids, codes and a hash)."""
    return {
        "algorithm": envelope.algorithm,
        "binding": envelope.binding.model_dump(mode="json"),
        "content_sha256": content_sha256(envelope.content),
        "municipality": envelope.content.municipality.code,
        "serial": envelope.content.serial,
    }


def statement_signing_bytes(statement: Mapping[str, object]) -> bytes:
    return DOCUMENT_PREFIX + canonical_json(statement)


def document_signing_bytes(envelope: DocumentEnvelope) -> bytes:
    """The bytes the municipality signs for this envelope: its statement (all but the signature)."""
    return statement_signing_bytes(document_statement(envelope))


def _refuse_floats(value: object) -> None:
    # Floats have several spellings and lossy round trips; money and counts are integers, so none belong here.
    if isinstance(value, float):
        raise TypeError("floats are not allowed in signed payloads")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("object keys must be strings")
            _refuse_floats(item)
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        for item in value:
            _refuse_floats(item)
    elif not isinstance(value, str | int | type(None)):
        raise TypeError(f"{type(value).__name__} is not a JSON value")
