"""JpkiSession against scripted connections: the exact APDU bytes of every command and every bad answer."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from kiosk.card.apdu import digest_info_sha256
from kiosk.card.jpki import JpkiSession
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
from tests.unit.card.scripted import ScriptedConnection

SELECT_JPKI = "00A4040C0AD392F000260100000001"
SELECT_AUTH_CERT = "00A4020C02000A"
SELECT_AUTH_CA = "00A4020C02000B"
SELECT_AUTH_PIN = "00A4020C020018"
SELECT_AUTH_KEY = "00A4020C020017"
PIN_STATUS = "00200080"
OK = 0x9000


@pytest.fixture(scope="module")
def cert_der() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"), x509.NameAttribute(NameOID.COMMON_NAME, "T1")]
    )
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(12345)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365))
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    assert 512 < len(der) < 1024, len(der)
    return der


def read_script(der: bytes, select: str = SELECT_AUTH_CERT) -> list[tuple[str, bytes, int]]:
    """What reading `der` costs: SELECT EF, a full first chunk, then the rest in chunks of 256."""
    script: list[tuple[str, bytes, int]] = [(select, b"", OK), ("00B0000000", der[:256], OK)]
    offset = 256
    while offset < len(der):
        length = min(256, len(der) - offset)
        script.append((f"00B0{offset:04X}{length & 0xFF:02X}", der[offset : offset + length], OK))
        offset += length
    return script


def session(*script: tuple[str, bytes, int]) -> tuple[JpkiSession, ScriptedConnection]:
    connection = ScriptedConnection([(SELECT_JPKI, b"", OK), *script])
    return JpkiSession(connection), connection


def test_select_by_aid_and_read_the_auth_certificate(cert_der: bytes) -> None:
    jpki, connection = session(*read_script(cert_der))
    assert jpki.read_auth_certificate() == cert_der
    connection.assert_done()
    assert len(connection.sent) == 1 + 1 + 1 + (len(cert_der) - 1) // 256


def test_read_the_auth_ca_certificate(cert_der: bytes) -> None:
    jpki, connection = session(*read_script(cert_der, SELECT_AUTH_CA))
    assert jpki.read_auth_ca_certificate() == cert_der
    connection.assert_done()


def test_short_first_read_with_end_of_file_warning(cert_der: bytes) -> None:
    """A card may answer 6282 with fewer bytes than asked: the data is still good."""
    script = read_script(cert_der)
    script[1] = ("00B0000000", cert_der[:100], 0x6282)
    offset = 100
    script[2:] = []
    while offset < len(cert_der):
        length = min(256, len(cert_der) - offset)
        script.append((f"00B0{offset:04X}{length & 0xFF:02X}", cert_der[offset : offset + length], OK))
        offset += length
    jpki, _ = session(*script)
    assert jpki.read_auth_certificate() == cert_der


def test_unknown_card_is_refused_on_select() -> None:
    with pytest.raises(NotJpkiCardError) as info:
        JpkiSession(ScriptedConnection([(SELECT_JPKI, b"", 0x6A82)]))
    assert info.value.sw == 0x6A82
    assert info.value.to_dict()["sw"] == "6A82"


def test_truncated_certificate(cert_der: bytes) -> None:
    script = read_script(cert_der)
    script[-1] = (script[-1][0], b"", OK)
    jpki, _ = session(*script)
    with pytest.raises(MalformedResponseError, match="no data at offset"):
        jpki.read_auth_certificate()


def test_file_ends_before_the_length_header_says(cert_der: bytes) -> None:
    script = read_script(cert_der)
    script[-1] = (script[-1][0], b"", 0x6B00)
    jpki, _ = session(*script)
    with pytest.raises(MalformedResponseError, match="ends before offset"):
        jpki.read_auth_certificate()


def test_length_header_that_lies_short(cert_der: bytes) -> None:
    """A header claiming fewer bytes than the certificate has yields bytes that are not a certificate."""
    lying = cert_der[:2] + (0x00F0).to_bytes(2, "big") + cert_der[4:]
    jpki, _ = session((SELECT_AUTH_CERT, b"", OK), ("00B0000000", lying[:256], OK))
    with pytest.raises(MalformedResponseError, match=r"not a DER X\.509"):
        jpki.read_auth_certificate()


def test_length_header_that_lies_huge(cert_der: bytes) -> None:
    lying = b"\x30\x83\x7f\xff\xff" + cert_der[4:]
    jpki, connection = session((SELECT_AUTH_CERT, b"", OK), ("00B0000000", lying[:256], OK))
    with pytest.raises(MalformedResponseError, match="claims"):
        jpki.read_auth_certificate()
    connection.assert_done()


def test_not_a_sequence(cert_der: bytes) -> None:
    jpki, _ = session((SELECT_AUTH_CERT, b"", OK), ("00B0000000", b"\x04\x02ab", OK))
    with pytest.raises(MalformedResponseError, match="SEQUENCE"):
        jpki.read_auth_certificate()


def test_card_sends_more_than_asked(cert_der: bytes) -> None:
    jpki, _ = session((SELECT_AUTH_CERT, b"", OK), ("00B0000000", cert_der[:256] + b"x", OK))
    with pytest.raises(MalformedResponseError):
        jpki.read_auth_certificate()


def test_read_needing_a_pin_is_a_security_status_error() -> None:
    jpki, _ = session((SELECT_AUTH_CERT, b"", OK), ("00B0000000", b"", 0x6982))
    with pytest.raises(SecurityStatusError):
        jpki.read_auth_certificate()


def test_missing_ef() -> None:
    jpki, _ = session((SELECT_AUTH_CERT, b"", 0x6A82))
    with pytest.raises(StatusWordError) as info:
        jpki.read_auth_certificate()
    assert info.value.sw == 0x6A82


@pytest.mark.parametrize(
    ("sw", "tries"),
    [(0x63C3, 3), (0x63C2, 2), (0x63C1, 1), (0x63C0, 0), (0x6983, 0), (0x6984, 0), (0x9000, 3)],
)
def test_tries_left_spends_nothing(sw: int, tries: int) -> None:
    jpki, connection = session((SELECT_AUTH_PIN, b"", OK), (PIN_STATUS, b"", sw))
    assert jpki.auth_pin_tries_left() == tries
    connection.assert_done()


@pytest.mark.parametrize("sw", [0x63C4, 0x6A88, 0x6300])
def test_tries_left_bad_answers(sw: int) -> None:
    jpki, _ = session((SELECT_AUTH_PIN, b"", OK), (PIN_STATUS, b"", sw))
    with pytest.raises((MalformedResponseError, StatusWordError)):
        jpki.auth_pin_tries_left()


def test_verify_right_pin_and_zero_it() -> None:
    jpki, connection = session(
        (SELECT_AUTH_PIN, b"", OK), (PIN_STATUS, b"", 0x63C3), ("002000800431323334", b"", OK)
    )
    pin = bytearray(b"1234")
    jpki.verify_auth_pin(pin)
    assert pin == bytearray(4)
    connection.assert_done()


def test_wrong_pin_reports_tries_left() -> None:
    jpki, connection = session(
        (SELECT_AUTH_PIN, b"", OK), (PIN_STATUS, b"", 0x63C3), ("002000800439393939", b"", 0x63C2)
    )
    pin = bytearray(b"9999")
    with pytest.raises(WrongPinError) as info:
        jpki.verify_auth_pin(pin)
    assert info.value.tries_left == 2
    assert info.value.to_dict() == {
        "code": "wrong-pin",
        "message": "wrong PIN, 2 tries left",
        "tries_left": 2,
    }
    assert pin == bytearray(4)
    connection.assert_done()


def test_status_then_verify_selects_the_pin_once() -> None:
    jpki, connection = session(
        (SELECT_AUTH_PIN, b"", OK),
        (PIN_STATUS, b"", 0x63C3),
        (PIN_STATUS, b"", 0x63C3),
        ("002000800431323334", b"", OK),
    )
    assert jpki.auth_pin_tries_left() == 3
    jpki.verify_auth_pin(bytearray(b"1234"))
    connection.assert_done()


@pytest.mark.parametrize(
    "pin",
    [b"", b"123", b"12345", b"12a4", b"\xef\xbc\x91234"[:4], b"12 4", b"\x001234"[:4], "１２３４".encode()],
)
def test_malformed_pin_sends_nothing(pin: bytes) -> None:
    jpki, connection = session()
    buffer = bytearray(pin)
    with pytest.raises(MalformedPinError) as info:
        jpki.verify_auth_pin(buffer)
    assert buffer == bytearray(len(pin))
    assert len(connection.sent) == 1  # only the SELECT of the applet
    assert pin.decode(errors="replace") not in str(info.value) or not pin


def test_blocked_pin_gets_no_verify() -> None:
    jpki, connection = session((SELECT_AUTH_PIN, b"", OK), (PIN_STATUS, b"", 0x63C0))
    pin = bytearray(b"1234")
    with pytest.raises(PinBlockedError):
        jpki.verify_auth_pin(pin, allow_last_try=True)
    assert pin == bytearray(4)
    connection.assert_done()


def test_last_try_is_not_spent_without_permission() -> None:
    jpki, connection = session((SELECT_AUTH_PIN, b"", OK), (PIN_STATUS, b"", 0x63C1))
    pin = bytearray(b"1234")
    with pytest.raises(LastTryRefusedError) as info:
        jpki.verify_auth_pin(pin)
    assert info.value.tries_left == 1
    assert pin == bytearray(4)
    connection.assert_done()


def test_last_try_spent_when_allowed_and_wrong_blocks() -> None:
    jpki, connection = session(
        (SELECT_AUTH_PIN, b"", OK), (PIN_STATUS, b"", 0x63C1), ("002000800430303030", b"", 0x63C0)
    )
    with pytest.raises(PinBlockedError) as info:
        jpki.verify_auth_pin(bytearray(b"0000"), allow_last_try=True)
    assert info.value.sw == 0x63C0
    connection.assert_done()


@pytest.mark.parametrize("sw", [0x6983, 0x6984])
def test_verify_answered_blocked(sw: int) -> None:
    jpki, _ = session((SELECT_AUTH_PIN, b"", OK), (PIN_STATUS, b"", 0x63C2), ("002000800431323334", b"", sw))
    with pytest.raises(PinBlockedError):
        jpki.verify_auth_pin(bytearray(b"1234"))


def test_verify_is_never_retried() -> None:
    """Whatever the card answers, VERIFY with data goes out exactly once."""
    jpki, connection = session(
        (SELECT_AUTH_PIN, b"", OK), (PIN_STATUS, b"", 0x63C3), ("002000800431323334", b"", 0x6F00)
    )
    with pytest.raises(StatusWordError):
        jpki.verify_auth_pin(bytearray(b"1234"))
    assert sum(apdu.startswith(bytes.fromhex("0020008004")) for apdu in connection.sent) == 1


def test_sign_digest_info() -> None:
    di = digest_info_sha256(b"challenge")
    signature = bytes(range(256))
    jpki, connection = session(
        (SELECT_AUTH_KEY, b"", OK), ("802A008033" + di.hex().upper() + "00", signature, OK)
    )
    assert jpki.sign_with_auth_key(di) == signature
    connection.assert_done()


def test_sign_without_pin_is_security_status_error() -> None:
    di = digest_info_sha256(b"x")
    jpki, _ = session((SELECT_AUTH_KEY, b"", OK), ("802A008033" + di.hex().upper() + "00", b"", 0x6982))
    with pytest.raises(SecurityStatusError):
        jpki.sign_with_auth_key(di)


def test_sign_with_wrong_length_answer() -> None:
    di = digest_info_sha256(b"x")
    jpki, _ = session((SELECT_AUTH_KEY, b"", OK), ("802A008033" + di.hex().upper() + "00", b"\x01" * 128, OK))
    with pytest.raises(MalformedResponseError):
        jpki.sign_with_auth_key(di)


@pytest.mark.parametrize("length", [0, 246])
def test_sign_rejects_impossible_digest_info(length: int) -> None:
    jpki, connection = session()
    with pytest.raises(ValueError):
        jpki.sign_with_auth_key(bytes(length))
    assert len(connection.sent) == 1
