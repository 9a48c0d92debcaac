"""Bounded field types shared by the wire models.

Every field a backend can send has a size bound, so that a hostile or broken answer is refused at parsing
instead of growing memory or a printed page. Binary values travel as standard base64 with padding
(RFC 4648 section 4) and are `bytes` once parsed.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

__all__ = [
    "UUID_PATTERN",
    "Challenge",
    "IdempotencyKey",
    "Identifier",
    "LongText",
    "Name",
    "PngImage",
    "RsaSignature",
    "Sha256Hex",
    "ShortText",
    "Signature64",
    "Timestamp",
    "Uuid",
    "X509Der",
]

#: Lowercase canonical UUID text: ids are compared as strings in bindings, so one spelling only.
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

# No control characters: they have no place on a certificate and could smuggle line breaks into a layout.
# Everything else passes untouched (no normalisation): 𠮷, or 辻 + a selector, come out as they went in.
_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"

Uuid = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
IdempotencyKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{16,64}$")]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=_PRINTABLE)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=256, pattern=_PRINTABLE)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=512, pattern=_PRINTABLE)]


def _from_base64(max_bytes: int) -> Callable[[object], object]:
    limit = 4 * ((max_bytes + 2) // 3)

    def decode(value: object) -> object:
        # Python callers (the reference backend) build models from bytes; only text is base64.
        if not isinstance(value, str):
            return value
        if len(value) > limit:
            raise ValueError(f"base64 text longer than {limit} characters")
        try:
            return base64.b64decode(value.encode("ascii"), validate=True)
        except (UnicodeEncodeError, binascii.Error):
            raise ValueError("not standard padded base64") from None

    return decode


def _to_base64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


_AS_BASE64 = PlainSerializer(_to_base64, return_type=str, when_used="json")


def _base64_schema(max_bytes: int) -> WithJsonSchema:
    return WithJsonSchema(
        {"type": "string", "contentEncoding": "base64", "maxLength": 4 * ((max_bytes + 2) // 3)}
    )


Challenge = Annotated[
    bytes,
    BeforeValidator(_from_base64(32)),
    Field(min_length=32, max_length=32),
    _AS_BASE64,
    _base64_schema(32),
]
X509Der = Annotated[
    bytes,
    BeforeValidator(_from_base64(8192)),
    Field(min_length=1, max_length=8192),
    _AS_BASE64,
    _base64_schema(8192),
]
#: RSA-2048 (the card's key) is 256 bytes; 512 leaves room for 4096-bit keys and no more.
RsaSignature = Annotated[
    bytes,
    BeforeValidator(_from_base64(512)),
    Field(min_length=128, max_length=512),
    _AS_BASE64,
    _base64_schema(512),
]
#: Ed25519 and ECDSA P-256 in IEEE P1363 form (r || s) are both exactly 64 bytes.
Signature64 = Annotated[
    bytes,
    BeforeValidator(_from_base64(64)),
    Field(min_length=64, max_length=64),
    _AS_BASE64,
    _base64_schema(64),
]

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_MAX_PNG = 256 * 1024


def _is_png(value: bytes) -> bytes:
    if not value.startswith(_PNG_MAGIC):
        raise ValueError("not a PNG image")
    return value


PngImage = Annotated[
    bytes,
    BeforeValidator(_from_base64(_MAX_PNG)),
    Field(min_length=len(_PNG_MAGIC) + 1, max_length=_MAX_PNG),
    AfterValidator(_is_png),
    _AS_BASE64,
    _base64_schema(_MAX_PNG),
]


def _whole_minute_offset(value: datetime) -> datetime:
    offset = value.utcoffset()
    # RFC 3339 offsets are hours and minutes; isoformat() would print seconds for odd zones (LMT).
    if offset is None or offset % timedelta(minutes=1):
        raise ValueError("the UTC offset must be whole minutes")
    return value


def _rfc3339(value: datetime) -> str:
    return value.isoformat()


#: Timezone-aware; written as RFC 3339 with its offset (`2026-04-01T09:30:00+09:00`), fractions only if any.
Timestamp = Annotated[
    AwareDatetime,
    AfterValidator(_whole_minute_offset),
    PlainSerializer(_rfc3339, return_type=str, when_used="json"),
]
