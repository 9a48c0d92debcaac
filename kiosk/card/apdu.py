"""APDU building, status words, response chaining and BER length headers (ISO 7816-4, short APDUs only).

The My Number card is driven with short APDUs only: no public client uses extended ones and whether the
card accepts them is unknown (card-protocol.md, "Quirks").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from kiosk.errors import MalformedResponseError

__all__ = [
    "INS",
    "SHA256_DIGEST_INFO_PREFIX",
    "SW",
    "CommandApdu",
    "RawTransmit",
    "ber_header",
    "digest_info_sha256",
    "resolve_response",
]

#: DER DigestInfo prefix for SHA-256 (AlgorithmIdentifier with NULL parameters, then the OCTET STRING header).
SHA256_DIGEST_INFO_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")

#: How many GET RESPONSE rounds a 61xx chain may take before the answer is called malformed (64 KiB).
_MAX_GET_RESPONSE_ROUNDS = 256


class SW(IntEnum):
    """Status words the kiosk tells apart."""

    OK = 0x9000
    END_OF_FILE_WARNING = 0x6282
    WRONG_LENGTH = 0x6700
    SECURITY_STATUS_NOT_SATISFIED = 0x6982
    AUTHENTICATION_METHOD_BLOCKED = 0x6983
    REFERENCE_DATA_NOT_USABLE = 0x6984
    CONDITIONS_NOT_SATISFIED = 0x6985
    COMMAND_NOT_ALLOWED = 0x6986
    WRONG_DATA = 0x6A80
    FUNCTION_NOT_SUPPORTED = 0x6A81
    FILE_NOT_FOUND = 0x6A82
    INCORRECT_P1P2 = 0x6A86
    REFERENCED_DATA_NOT_FOUND = 0x6A88
    WRONG_P1P2 = 0x6B00
    INS_NOT_SUPPORTED = 0x6D00
    CLA_NOT_SUPPORTED = 0x6E00
    UNKNOWN = 0x6F00


class INS(IntEnum):
    SELECT = 0xA4
    READ_BINARY = 0xB0
    VERIFY = 0x20
    CHANGE_REFERENCE_DATA = 0x24
    PSO_SIGN = 0x2A  # with CLA 80: the JPKI "compute signature" command
    GET_RESPONSE = 0xC0


#: A transport's raw exchange: complete APDU bytes in, (data, SW) out, with no 61xx/6Cxx handling.
RawTransmit = Callable[[bytes | bytearray], tuple[bytes, int]]


@dataclass(frozen=True)
class CommandApdu:
    """A short command APDU. `le` None means no Le field; 256 is encoded as 00."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            value = getattr(self, name)
            if not 0 <= value <= 0xFF:
                raise ValueError(f"{name} out of range: {value}")
        if len(self.data) > 255:
            raise ValueError(f"short APDU data is at most 255 bytes, got {len(self.data)}")
        if self.le is not None and not 1 <= self.le <= 256:
            raise ValueError(f"short APDU Le is 1..256, got {self.le}")

    def encode(self) -> bytes:
        out = bytearray((self.cla, self.ins, self.p1, self.p2))
        if self.data:
            out.append(len(self.data))
            out += self.data
        if self.le is not None:
            out.append(self.le & 0xFF)
        return bytes(out)


def resolve_response(raw: RawTransmit, apdu: bytes | bytearray) -> tuple[bytes, int]:
    """Send `apdu` through `raw`, following 61xx with GET RESPONSE and repeating once on 6Cxx.

    T=0 readers report "more data" (61xx) and "wrong Le, use xx" (6Cxx) instead of returning data; T=1
    and contactless readers do not. Handling both here keeps `jpki.py` transport-agnostic.
    """
    data, sw = raw(apdu)
    # Only a command that asked for data (it has an Le) is repeated: repeating a VERIFY because a card
    # answered 6Cxx would spend a second PIN try behind the caller's back.
    if sw >> 8 == 0x6C and _has_le(apdu):
        data, sw = raw(_with_le(apdu, sw & 0xFF))
    if sw >> 8 != 0x61:
        return data, sw
    collected = bytearray(data)
    for _ in range(_MAX_GET_RESPONSE_ROUNDS):
        chunk, sw = raw(bytes((apdu[0] & 0x03, INS.GET_RESPONSE, 0, 0, sw & 0xFF)))
        collected += chunk
        if sw >> 8 != 0x61:
            return bytes(collected), sw
    raise MalformedResponseError(
        "response chain", f"more than {_MAX_GET_RESPONSE_ROUNDS} GET RESPONSE rounds"
    )


def _has_le(apdu: bytes | bytearray) -> bool:
    """Short-APDU cases 2 (header + Le) and 4 (header + Lc + data + Le) carry an Le."""
    return len(apdu) == 5 or (len(apdu) > 5 and len(apdu) == 6 + apdu[4])


def _with_le(apdu: bytes | bytearray, le: int) -> bytes:
    """The same command with its Le replaced (or added): header, then Lc+data if present, then Le."""
    header, body = bytes(apdu[:4]), bytes(apdu[4:])
    if len(body) == 1:  # case 2: Le only
        return header + bytes((le,))
    return header + body[: 1 + body[0]] + bytes((le,))


def ber_header(data: bytes) -> tuple[int, int]:
    """Parse a BER tag and definite length at the start of `data`: (header length, content length).

    Handles multi-byte tags (the text AP's `FF 20`) and short, 81, 82 and 83 lengths, so a certificate is
    read by what its header says rather than by assuming `30 82 LL LL`.
    """
    if not data:
        raise MalformedResponseError("BER header", "empty")
    pos = 1
    if data[0] & 0x1F == 0x1F:  # high tag number: continuation bytes have bit 8 set
        while True:
            if pos >= len(data):
                raise MalformedResponseError("BER header", "tag runs past the bytes read")
            more = data[pos] & 0x80
            pos += 1
            if not more:
                break
            if pos > 4:
                raise MalformedResponseError("BER header", "tag longer than 4 bytes")
    if pos >= len(data):
        raise MalformedResponseError("BER header", "no length byte")
    first = data[pos]
    pos += 1
    if first < 0x80:
        return pos, first
    count = first & 0x7F
    if count == 0:
        raise MalformedResponseError("BER header", "indefinite length")
    if count > 3:
        raise MalformedResponseError("BER header", f"{count}-byte length field")
    if pos + count > len(data):
        raise MalformedResponseError("BER header", "length runs past the bytes read")
    length = int.from_bytes(data[pos : pos + count], "big")
    return pos + count, length


def digest_info_sha256(message: bytes) -> bytes:
    """DER DigestInfo(SHA-256(message)): what the card pads (PKCS#1 v1.5) and signs."""
    return SHA256_DIGEST_INFO_PREFIX + hashlib.sha256(message).digest()
