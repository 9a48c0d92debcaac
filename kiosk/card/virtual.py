"""A software My Number card (JPKI-AP only) built to card-protocol.md part 1, and an in-process connection.

The card answers exact bytes so tests can pin down status words; where real-card behaviour is unknown the
profile makes it a knob (blocked-PIN SWs) and the choice made here is commented. It never imports pyscard:
`kiosk demo` and the unit tests run it without pcscd, and `VpcdLink` (re-exported from `kiosk.card.vpcd`)
puts it on a real PC/SC stack.
"""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from kiosk.card.profile import AUTH_PIN_MAX_TRIES, SIGN_PASSWORD_MAX_TRIES, CardProfile, load_profile
from kiosk.card.vpcd import VpcdLink
from kiosk.errors import CardRemovedError, ReaderUnavailableError

__all__ = [
    "JPKI_AID",
    "CardProfile",
    "InProcessConnection",
    "SoftwareJpkiCard",
    "VpcdLink",
    "load_profile",
    "pkcs1_sign",
    "pkcs1_sign_raw",
]

JPKI_AID = bytes.fromhex("D392F000260100000001")

# EF identifiers under the JPKI-AP (card-protocol.md, "JPKI-AP files").
_EF_SIGN_CERT = 0x0001
_EF_SIGN_CA = 0x0002
_EF_TOKEN = 0x0006
_EF_AUTH_CERT = 0x000A
_EF_AUTH_CA = 0x000B
_EF_AUTH_KEY = 0x0017
_EF_AUTH_PIN = 0x0018
_EF_SIGN_KEY = 0x001A
_EF_SIGN_PIN = 0x001B
_KEY_TO_PIN = {_EF_AUTH_KEY: _EF_AUTH_PIN, _EF_SIGN_KEY: _EF_SIGN_PIN}
_PIN_MAX = {_EF_AUTH_PIN: AUTH_PIN_MAX_TRIES, _EF_SIGN_PIN: SIGN_PASSWORD_MAX_TRIES}

# GUESS: the token EF's text is not published (card-protocol.md); clients only read 0x20 ASCII bytes.
_TOKEN = b"JPKIAPICCTOKEN2".ljust(32, b" ")

_OK = 0x9000
_WRONG_LENGTH = 0x6700
_SECURITY = 0x6982
_NOT_ALLOWED = 0x6986
_WRONG_DATA = 0x6A80
_FUNC_NOT_SUPPORTED = 0x6A81
_NOT_FOUND = 0x6A82
_BAD_P1P2 = 0x6A86
_OFFSET = 0x6B00
_INS_UNKNOWN = 0x6D00
_CLA_UNKNOWN = 0x6E00

# The CLA each known INS is defined for: JPKI signing is proprietary (80), the rest ISO (00).
_INS_CLA = {0xA4: 0x00, 0xB0: 0x00, 0x20: 0x00, 0x2A: 0x80}

# DER DigestInfo prefixes (RFC 8017 §9.2 note 1) with their hash, for the Prehashed signing path.
_DIGEST_PREFIXES: tuple[tuple[bytes, hashes.HashAlgorithm], ...] = (
    (bytes.fromhex("3021300906052b0e03021a05000414"), hashes.SHA1()),  # noqa: S303 - cards still get SHA-1 DIs
    (bytes.fromhex("3031300d060960864801650304020105000420"), hashes.SHA256()),
    (bytes.fromhex("3041300d060960864801650304020205000430"), hashes.SHA384()),
    (bytes.fromhex("3051300d060960864801650304020305000440"), hashes.SHA512()),
)


@dataclass(frozen=True)
class _Apdu:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes
    le: int | None  # None = no Le field; 256 for Le=00


def _parse(apdu: bytes | bytearray) -> _Apdu | None:
    """Split a short APDU into its fields; None for anything malformed or extended (the card answers 6700)."""
    if len(apdu) < 4:
        return None
    cla, ins, p1, p2 = apdu[:4]
    body = apdu[4:]
    if not body:
        return _Apdu(cla, ins, p1, p2, b"", None)
    if len(body) == 1:
        return _Apdu(cla, ins, p1, p2, b"", body[0] or 256)
    lc = body[0]
    if lc == 0:  # extended length: no public client uses it and real-card support is unknown
        return None
    if len(body) == 1 + lc:
        return _Apdu(cla, ins, p1, p2, bytes(body[1:]), None)
    if len(body) == 2 + lc:
        return _Apdu(cla, ins, p1, p2, bytes(body[1:-1]), body[-1] or 256)
    return None


def pkcs1_sign(key: rsa.RSAPrivateKey, digest_info: bytes) -> bytes:
    """What the card's 80 2A does: PKCS#1 v1.5 type-1 pad the DigestInfo, then the RSA private operation.

    A DigestInfo of a known hash goes through cryptography's Prehashed path (constant-time, blinded); anything
    else (unknown OID, odd length) is padded and exponentiated by hand, as the card does not parse its input.
    """
    for prefix, algorithm in _DIGEST_PREFIXES:
        if digest_info.startswith(prefix) and len(digest_info) == len(prefix) + algorithm.digest_size:
            return key.sign(digest_info[len(prefix) :], PKCS1v15(), Prehashed(algorithm))
    return pkcs1_sign_raw(key, digest_info)


def pkcs1_sign_raw(key: rsa.RSAPrivateKey, digest_info: bytes) -> bytes:
    """EMSA-PKCS1-v1_5 block 00 01 FF..FF 00 || DI, then RSA with CRT; ValueError if DI is over k-11 bytes."""
    k = (key.key_size + 7) // 8
    if len(digest_info) > k - 11:
        raise ValueError("DigestInfo too long for the key")
    block = b"\x00\x01" + b"\xff" * (k - 3 - len(digest_info)) + b"\x00" + digest_info
    numbers = key.private_numbers()
    m = int.from_bytes(block, "big")
    m1 = pow(m, numbers.dmp1, numbers.p)
    m2 = pow(m, numbers.dmq1, numbers.q)
    h = (numbers.iqmp * (m1 - m2)) % numbers.p
    return (m2 + h * numbers.q).to_bytes(k, "big")


class SoftwareJpkiCard:
    """The JPKI applet of a My Number card. `process` is thread-safe: the vpcd link calls it from a thread."""

    def __init__(self, profile: CardProfile) -> None:
        self._profile = profile
        self._lock = threading.Lock()
        self._files: dict[int, bytes] = {
            _EF_AUTH_CERT: profile.auth_cert_der,
            _EF_AUTH_CA: profile.auth_ca_der,
            _EF_TOKEN: _TOKEN,
        }
        self._keys: dict[int, rsa.RSAPrivateKey] = {_EF_AUTH_KEY: profile.auth_key}
        self._pins: dict[int, bytes] = {_EF_AUTH_PIN: profile.pin.encode("ascii")}
        self._tries: dict[int, int] = {_EF_AUTH_PIN: profile.auth_tries_left}
        sign_cert, sign_ca = profile.sign_cert_der, profile.sign_ca_der
        if profile.sign_key is not None and sign_cert is not None and sign_ca is not None:
            self._files[_EF_SIGN_CERT] = sign_cert
            self._files[_EF_SIGN_CA] = sign_ca
            self._keys[_EF_SIGN_KEY] = profile.sign_key
            self._pins[_EF_SIGN_PIN] = (profile.sign_password or "").encode("ascii")
            self._tries[_EF_SIGN_PIN] = profile.sign_tries_left
        self._delay = profile.apdu_delay_ms / 1000.0
        self._powered = False
        self._jpki_selected = False
        self._ef: int | None = None
        self._verified: set[int] = set()
        #: (INS, SW) of every processed APDU, for tests; never the data (it may hold a PIN).
        self.apdu_log: list[tuple[int, int]] = []

    @property
    def atr(self) -> bytes:
        return self._profile.atr

    @property
    def profile(self) -> CardProfile:
        return self._profile

    @property
    def powered(self) -> bool:
        return self._powered

    @property
    def auth_tries_left(self) -> int:
        return self._tries[_EF_AUTH_PIN]

    @property
    def sign_tries_left(self) -> int | None:
        return self._tries.get(_EF_SIGN_PIN)

    def power_on(self) -> None:
        with self._lock:
            self._clear_session()
            self._powered = True

    def power_off(self) -> None:
        with self._lock:
            self._clear_session()
            self._powered = False

    def reset(self) -> None:
        """Warm reset: selection and PIN verification are volatile; try counters are in EEPROM and persist."""
        with self._lock:
            self._clear_session()
            self._powered = True

    def _clear_session(self) -> None:
        self._jpki_selected = False
        self._ef = None
        self._verified.clear()

    def process(self, apdu: bytes | bytearray) -> bytes:
        """One C-APDU in, one R-APDU (data || SW1 SW2) out."""
        if self._delay:
            time.sleep(self._delay)
        with self._lock:
            data, sw = self._dispatch(apdu)
            self.apdu_log.append((apdu[1] if len(apdu) > 1 else -1, sw))
        return data + sw.to_bytes(2, "big")

    def _dispatch(self, raw: bytes | bytearray) -> tuple[bytes, int]:
        if len(raw) < 4:
            return b"", _WRONG_LENGTH
        cla, ins = raw[0], raw[1]
        if cla not in (0x00, 0x80):
            return b"", _CLA_UNKNOWN
        if ins not in _INS_CLA:
            return b"", _INS_UNKNOWN
        if _INS_CLA[ins] != cla:
            return b"", _CLA_UNKNOWN
        apdu = _parse(raw)
        if apdu is None:
            return b"", _WRONG_LENGTH
        if ins == 0xA4:
            return b"", self._select(apdu)
        if ins == 0xB0:
            return self._read_binary(apdu)
        if ins == 0x20:
            return b"", self._verify(apdu)
        return self._sign(apdu)

    def _select(self, apdu: _Apdu) -> int:
        if apdu.le is not None:  # P2=0C asks for no FCI, so an Le makes no sense
            return _WRONG_LENGTH
        if (apdu.p1, apdu.p2) == (0x04, 0x0C):
            if apdu.data != JPKI_AID:
                return _NOT_FOUND
            # Re-selecting the AP is how newer OpenSC logs out, so the PIN state goes with it.
            self._clear_session()
            self._jpki_selected = True
            return _OK
        if (apdu.p1, apdu.p2) == (0x02, 0x0C):
            if len(apdu.data) != 2:
                return _WRONG_LENGTH
            fid = int.from_bytes(apdu.data, "big")
            if not self._jpki_selected or not (fid in self._files or fid in self._keys or fid in self._pins):
                return _NOT_FOUND
            self._ef = fid
            return _OK
        return _BAD_P1P2

    def _read_binary(self, apdu: _Apdu) -> tuple[bytes, int]:
        if apdu.p1 & 0x80:  # short-EF-identifier addressing: no client uses it with this card
            return b"", _FUNC_NOT_SUPPORTED
        if apdu.data or apdu.le is None:
            return b"", _WRONG_LENGTH
        if self._ef is None or self._ef not in self._files:  # nothing selected, or a key/PIN EF
            return b"", _NOT_ALLOWED
        if self._ef == _EF_SIGN_CERT and _EF_SIGN_PIN not in self._verified:
            return b"", _SECURITY
        content = self._files[self._ef]
        offset = (apdu.p1 << 8) | apdu.p2
        if offset >= len(content):
            return b"", _OFFSET
        return content[offset : offset + apdu.le], _OK

    def _verify(self, apdu: _Apdu) -> int:
        if (apdu.p1, apdu.p2) != (0x00, 0x80):
            return _BAD_P1P2
        if apdu.le is not None:
            return _WRONG_LENGTH
        # CHOICE: VERIFY without a selected PIN EF is "command not allowed" (ISO has no better fit).
        if self._ef not in self._pins:
            return _NOT_ALLOWED
        pin_ef = self._ef
        tries = self._tries[pin_ef]
        if not apdu.data:  # case 1: status query, spends nothing
            return self._profile.status_sw_when_blocked if tries == 0 else 0x63C0 | tries
        if tries == 0:
            return self._profile.blocked_sw
        if hmac.compare_digest(apdu.data, self._pins[pin_ef]):
            self._tries[pin_ef] = _PIN_MAX[pin_ef]
            self._verified.add(pin_ef)
            return _OK
        self._tries[pin_ef] = tries - 1
        self._verified.discard(pin_ef)
        return 0x63C0 | (tries - 1)

    def _sign(self, apdu: _Apdu) -> tuple[bytes, int]:
        if (apdu.p1, apdu.p2) != (0x00, 0x80):
            return b"", _BAD_P1P2
        if not apdu.data:
            return b"", _WRONG_LENGTH
        # CHOICE: no key EF selected is "command not allowed"; a key whose PIN is not verified is 6982.
        if self._ef not in self._keys:
            return b"", _NOT_ALLOWED
        key_ef = self._ef
        pin_ef = _KEY_TO_PIN[key_ef]
        if pin_ef not in self._verified:
            return b"", _SECURITY
        key = self._keys[key_ef]
        if len(apdu.data) > key.key_size // 8 - 11:
            return b"", _WRONG_DATA
        signature = pkcs1_sign(key, apdu.data)
        if key_ef == _EF_SIGN_KEY:  # user consent: the signature password covers exactly one signature
            self._verified.discard(pin_ef)
        return signature, _OK


class InProcessConnection:
    """`CardConnection` straight to a `SoftwareJpkiCard`, with a scripted card pull for removal tests.

    `remove_after_apdus=N` lets N APDUs through and pulls the card before the next one.
    """

    def __init__(self, card: SoftwareJpkiCard, *, remove_after_apdus: int | None = None) -> None:
        self._card = card
        self._remove_after = remove_after_apdus
        self._count = 0
        self._removed = False
        self._closed = False
        card.power_on()

    @property
    def atr(self) -> bytes:
        return self._card.atr

    @property
    def card(self) -> SoftwareJpkiCard:
        return self._card

    @property
    def removed(self) -> bool:
        return self._removed

    def remove_card(self) -> None:
        if not self._removed:
            self._removed = True
            self._card.power_off()

    def transmit(self, apdu: bytes | bytearray) -> tuple[bytes, int]:
        # No 61xx/6Cxx resolution needed: the software card always answers with the full data.
        if self._closed:
            raise ReaderUnavailableError("the in-process connection was closed")
        if self._remove_after is not None and self._count >= self._remove_after:
            self.remove_card()
        if self._removed:
            raise CardRemovedError("the software card was removed")
        self._count += 1
        response = self._card.process(apdu)
        return response[:-2], int.from_bytes(response[-2:], "big")

    def close(self) -> None:
        self._closed = True
