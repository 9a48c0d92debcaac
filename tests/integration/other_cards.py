"""Cards that are not our software card, for the kiosk to meet on the real stack.

`VariantJpkiCard` is a second JPKI card written independently from card-protocol.md, choosing the other
side of every point the protocol leaves open: the contactless ATR, response chaining with 61xx and GET
RESPONSE, fixed-size EFs padded with FF, short reads answered 6282, 6983 for a blocked PIN (also to the
status query). The kiosk must work with it exactly as with ours. `ForeignCard` has no JPKI applet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

from kiosk.card.profile import CardProfile

CONTACTLESS_ATR = bytes.fromhex("3B888001000005E0B381A1007F")
_AID = bytes.fromhex("D392F000260100000001")
_SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")
_EF_SIZE = 2048


def _sw(value: int) -> bytes:
    return value.to_bytes(2, "big")


@dataclass
class VariantJpkiCard:
    profile: CardProfile
    tries: int = 3
    atr: bytes = CONTACTLESS_ATR
    _applet: bool = False
    _ef: int | None = None
    _verified: bool = False
    _pending: bytes = b""
    log: list[str] = field(default_factory=list)

    def power_on(self) -> None:
        self.reset()

    def power_off(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._applet, self._ef, self._verified, self._pending = False, None, False, b""

    def process(self, apdu: bytes | bytearray) -> bytes:
        apdu = bytes(apdu)
        self.log.append(apdu[:2].hex().upper())
        cla, ins, p1, p2 = apdu[:4]
        if ins == 0xC0:  # GET RESPONSE hands out what the previous command left pending
            data, self._pending = self._pending[: apdu[4] or 256], self._pending[apdu[4] or 256 :]
            return data + (_sw(0x6100 | min(len(self._pending), 255)) if self._pending else _sw(0x9000))
        self._pending = b""
        if ins == 0xA4 and p1 == 0x04 and apdu[5:] == _AID:
            self._applet, self._ef, self._verified = True, None, False
            return _sw(0x9000)
        if not self._applet:
            return _sw(0x6A82)
        if ins == 0xA4 and p1 == 0x02:
            self._ef = int.from_bytes(apdu[5:7], "big")
            return _sw(0x9000 if self._ef in (0x0A, 0x0B, 0x17, 0x18) else 0x6A82)
        if ins == 0xB0:
            return self._read(((p1 << 8) | p2), apdu[4] or 256)
        if ins == 0x20 and self._ef == 0x18:
            return self._verify(apdu[5:] if len(apdu) > 4 else None)
        if ins == 0x2A and cla == 0x80 and self._ef == 0x17:
            if not self._verified:
                return _sw(0x6982)
            return self._chain(self._sign(apdu[5 : 5 + apdu[4]]))
        return _sw(0x6D00)

    def _read(self, offset: int, le: int) -> bytes:
        der = self.profile.auth_cert_der if self._ef == 0x0A else self.profile.auth_ca_der
        content = der.ljust(_EF_SIZE, b"\xff")
        if self._ef not in (0x0A, 0x0B):
            return _sw(0x6986)
        if offset >= len(content):
            return _sw(0x6B00)
        chunk = content[offset : offset + le]
        if len(chunk) < le:
            return chunk + _sw(0x6282)
        return self._chain(chunk)

    def _chain(self, data: bytes) -> bytes:
        """T=0 style: announce the data with 61xx and hand it out on GET RESPONSE."""
        self._pending = data
        return _sw(0x6100 | (len(data) & 0xFF))

    def _verify(self, pin: bytes | None) -> bytes:
        if self.tries == 0:
            return _sw(0x6983)
        if pin is None:
            return _sw(0x63C0 | self.tries)
        if pin == self.profile.pin.encode():
            self.tries, self._verified = 3, True
            return _sw(0x9000)
        self.tries -= 1
        return _sw(0x6983) if self.tries == 0 else _sw(0x63C0 | self.tries)

    def _sign(self, digest_info: bytes) -> bytes:
        assert digest_info.startswith(_SHA256_PREFIX), "this variant signs SHA-256 DigestInfos only"
        key: rsa.RSAPrivateKey = self.profile.auth_key
        return key.sign(
            digest_info[len(_SHA256_PREFIX) :], padding.PKCS1v15(), utils.Prehashed(hashes.SHA256())
        )


@dataclass
class ForeignCard:
    """A card with no JPKI applet (a transit or bank card): every SELECT answers 6A82."""

    atr: bytes = bytes.fromhex("3B8F8001804F0CA000000306030001000000006A")

    def power_on(self) -> None:
        pass

    def power_off(self) -> None:
        pass

    def reset(self) -> None:
        pass

    def process(self, apdu: bytes | bytearray) -> bytes:
        return _sw(0x6A82 if apdu[1] == 0xA4 else 0x6D00)
