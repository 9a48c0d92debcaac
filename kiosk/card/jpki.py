"""The JPKI applet of the My Number card: certificates, the user-authentication PIN and signing.

Protocol facts and their sources are in card-protocol.md. The session guards the resident's PIN tries:
the PIN is checked locally before anything is sent, VERIFY is sent at most once per call and never
repeated, nothing is sent to a blocked PIN, and the last try is spent only when the caller says so.
"""

from __future__ import annotations

from enum import IntEnum

from cryptography import x509

from kiosk.card.apdu import SW, CommandApdu, ber_header
from kiosk.card.connection import CardConnection
from kiosk.errors import (
    LastTryRefusedError,
    MalformedPinError,
    MalformedResponseError,
    NotJpkiCardError,
    PinBlockedError,
    SecurityStatusError,
    StatusWordError,
    WrongPinError,
)

__all__ = [
    "AUTH_PIN_LENGTH",
    "AUTH_PIN_MAX_TRIES",
    "JPKI_AID",
    "JpkiFile",
    "JpkiSession",
    "check_pin_format",
]

JPKI_AID = bytes.fromhex("D392F000260100000001")
AUTH_PIN_MAX_TRIES = 3
AUTH_PIN_LENGTH = 4
#: RSA-2048 on every JPKI generation so far (OpenSC pkcs15-jpki.c, CA certificates measured).
SIGNATURE_LENGTH = 256
#: The largest DigestInfo the card can pad for a 2048-bit key (k - 11).
MAX_DIGEST_INFO_LENGTH = SIGNATURE_LENGTH - 11
#: Certificates on real cards are 1.3-2 KB; anything claiming more than this is a lying header.
MAX_CERTIFICATE_LENGTH = 8192
#: READ BINARY carries a 15-bit offset.
_MAX_OFFSET = 0x7FFF
_CHUNK = 256

_STATUS_BLOCKED = frozenset({SW.AUTHENTICATION_METHOD_BLOCKED, SW.REFERENCE_DATA_NOT_USABLE})


class JpkiFile(IntEnum):
    """Elementary files of the JPKI applet (OpenSC jpki.h, myna jpki.rs)."""

    SIGN_CERT = 0x0001
    SIGN_CA_CERT = 0x0002
    TOKEN = 0x0006
    AUTH_CERT = 0x000A
    AUTH_CA_CERT = 0x000B
    AUTH_KEY = 0x0017
    AUTH_PIN = 0x0018
    SIGN_KEY = 0x001A
    SIGN_PIN = 0x001B


def check_pin_format(pin: bytearray) -> None:
    """Raise MalformedPinError unless `pin` is exactly 4 ASCII digits. The reason never echoes the PIN."""
    if len(pin) != AUTH_PIN_LENGTH:
        raise MalformedPinError(f"must be exactly {AUTH_PIN_LENGTH} digits, got {len(pin)} characters")
    if not all(0x30 <= b <= 0x39 for b in pin):
        raise MalformedPinError("must contain only the digits 0-9")


class JpkiSession:
    """One conversation with the JPKI applet over a connected card.

    Construction selects the applet by AID: the ATR says nothing reliable about the card
    (card-protocol.md, "ATR is not an identifier"), so a card without the applet is refused here.
    """

    def __init__(self, connection: CardConnection) -> None:
        self._connection = connection
        self._selected: int | None = None
        _, sw = self._send(CommandApdu(0x00, 0xA4, 0x04, 0x0C, JPKI_AID))
        if sw != SW.OK:
            raise NotJpkiCardError(sw)

    # -- certificates -------------------------------------------------------------------------

    def read_auth_certificate(self) -> bytes:
        """The user-authentication certificate (利用者証明用電子証明書), DER, checked to parse as X.509."""
        return self._read_certificate(JpkiFile.AUTH_CERT)

    def read_auth_ca_certificate(self) -> bytes:
        """The certificate of the CA that issued the authentication certificate, DER."""
        return self._read_certificate(JpkiFile.AUTH_CA_CERT)

    # -- PIN ------------------------------------------------------------------------------------

    def auth_pin_tries_left(self) -> int:
        """Tries left on the authentication PIN, asked with a data-less VERIFY that spends none."""
        self._select_file(JpkiFile.AUTH_PIN)
        _, sw = self._send(CommandApdu(0x00, 0x20, 0x00, 0x80))
        if sw >> 4 == 0x63C:
            tries = sw & 0x0F
            if tries > AUTH_PIN_MAX_TRIES:
                raise MalformedResponseError(
                    "PIN status", f"{tries} tries left, more than {AUTH_PIN_MAX_TRIES}"
                )
            return tries
        if sw in _STATUS_BLOCKED:
            return 0
        if sw == SW.OK:
            # ISO 7816-4: already verified in this card session. A success resets the counter to full.
            return AUTH_PIN_MAX_TRIES
        raise StatusWordError("VERIFY (status)", sw)

    def verify_auth_pin(self, pin: bytearray, *, allow_last_try: bool = False) -> None:
        """Verify the authentication PIN, then zero `pin` (also on every error).

        Raises MalformedPinError (nothing sent), PinBlockedError (nothing sent, or the card just blocked
        it), LastTryRefusedError (one try left and `allow_last_try` is false; nothing sent) or
        WrongPinError with the tries left.
        """
        command = bytearray()
        try:
            check_pin_format(pin)
            tries = self.auth_pin_tries_left()
            if tries == 0:
                raise PinBlockedError()
            if tries == 1 and not allow_last_try:
                raise LastTryRefusedError()
            command += bytes((0x00, 0x20, 0x00, 0x80, len(pin)))
            command += pin
            _, sw = self._connection.transmit(command)
        finally:
            _zero(pin)
            _zero(command)
        if sw == SW.OK:
            return
        if sw >> 4 == 0x63C:
            left = sw & 0x0F
            if left == 0:
                raise PinBlockedError(sw)
            raise WrongPinError(left)
        if sw in _STATUS_BLOCKED:
            raise PinBlockedError(sw)
        raise StatusWordError("VERIFY", sw)

    # -- signing --------------------------------------------------------------------------------

    def sign_with_auth_key(self, digest_info: bytes) -> bytes:
        """RSA PKCS#1 v1.5 signature with the authentication key over a DER DigestInfo (the card pads).

        Needs the authentication PIN verified in this card session; otherwise SecurityStatusError.
        """
        if not 0 < len(digest_info) <= MAX_DIGEST_INFO_LENGTH:
            raise ValueError(f"DigestInfo must be 1..{MAX_DIGEST_INFO_LENGTH} bytes, got {len(digest_info)}")
        self._select_file(JpkiFile.AUTH_KEY)
        signature, sw = self._send(CommandApdu(0x80, 0x2A, 0x00, 0x80, digest_info, le=256))
        if sw == SW.SECURITY_STATUS_NOT_SATISFIED:
            raise SecurityStatusError("COMPUTE SIGNATURE", sw)
        if sw != SW.OK:
            raise StatusWordError("COMPUTE SIGNATURE", sw)
        if len(signature) != SIGNATURE_LENGTH:
            raise MalformedResponseError("signature", f"{len(signature)} bytes, expected {SIGNATURE_LENGTH}")
        return signature

    # -- internals ------------------------------------------------------------------------------

    def _send(self, command: CommandApdu) -> tuple[bytes, int]:
        return self._connection.transmit(command.encode())

    def _select_file(self, fid: JpkiFile) -> None:
        if self._selected == fid:
            return
        self._selected = None
        _, sw = self._send(CommandApdu(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big")))
        if sw != SW.OK:
            raise StatusWordError(f"SELECT EF {fid:04X}", sw)
        self._selected = fid

    def _read_binary(self, offset: int, length: int) -> bytes:
        data, sw = self._send(CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, le=length))
        # 6282: "end of file reached before Le bytes", the data is still good.
        if sw not in (SW.OK, SW.END_OF_FILE_WARNING):
            if sw == SW.SECURITY_STATUS_NOT_SATISFIED:
                raise SecurityStatusError("READ BINARY", sw)
            if sw == SW.WRONG_P1P2:
                raise MalformedResponseError("certificate", f"the file ends before offset {offset}")
            raise StatusWordError("READ BINARY", sw)
        if len(data) > length:
            raise MalformedResponseError("READ BINARY", f"{len(data)} bytes for Le {length}")
        return data

    def _read_certificate(self, fid: JpkiFile) -> bytes:
        """Read an EF holding one DER certificate, sized by its own BER header.

        The first read asks for a full chunk, which always covers the header: it saves the separate
        7-byte header read of myna and keeps a whole authentication within 12 APDUs.
        """
        self._select_file(fid)
        content = bytearray(self._read_binary(0, _CHUNK))
        header_length, body_length = ber_header(bytes(content[:8]))
        total = header_length + body_length
        if content[0] != 0x30:
            raise MalformedResponseError("certificate", f"starts with tag {content[0]:02X}, not a SEQUENCE")
        if total > MAX_CERTIFICATE_LENGTH:
            raise MalformedResponseError("certificate length header", f"claims {total} bytes")
        while len(content) < total:
            offset = len(content)
            if offset > _MAX_OFFSET:
                raise MalformedResponseError("certificate", f"offset {offset} beyond READ BINARY's range")
            chunk = self._read_binary(offset, min(_CHUNK, total - offset))
            if not chunk:
                raise MalformedResponseError("certificate", f"no data at offset {offset} of {total}")
            content += chunk
        der = bytes(content[:total])
        try:
            x509.load_der_x509_certificate(der)
        except ValueError as exc:
            raise MalformedResponseError("certificate", "not a DER X.509 certificate") from exc
        return der


def _zero(buffer: bytearray) -> None:
    for index in range(len(buffer)):
        buffer[index] = 0
