from __future__ import annotations

import hashlib

import pytest

from kiosk.card.apdu import CommandApdu, ber_header, digest_info_sha256, resolve_response
from kiosk.errors import MalformedResponseError


@pytest.mark.parametrize(
    ("apdu", "encoded"),
    [
        (CommandApdu(0x00, 0x20, 0x00, 0x80), "00200080"),
        (CommandApdu(0x00, 0xB0, 0x01, 0x00, le=256), "00B0010000"),
        (CommandApdu(0x00, 0xB0, 0x00, 0x00, le=7), "00B0000007"),
        (CommandApdu(0x00, 0xA4, 0x02, 0x0C, bytes.fromhex("000A")), "00A4020C02000A"),
        (CommandApdu(0x80, 0x2A, 0x00, 0x80, b"\x01\x02", le=256), "802A0080020102" + "00"),
    ],
)
def test_encode(apdu: CommandApdu, encoded: str) -> None:
    assert apdu.encode().hex().upper() == encoded


@pytest.mark.parametrize(
    "kwargs",
    [{"cla": 256}, {"p1": -1}, {"data": bytes(256)}, {"le": 0}, {"le": 257}],
)
def test_encode_rejects_out_of_range(kwargs: dict[str, object]) -> None:
    fields: dict[str, object] = {"cla": 0, "ins": 0xB0, "p1": 0, "p2": 0}
    fields.update(kwargs)
    with pytest.raises(ValueError):
        CommandApdu(**fields)  # type: ignore[arg-type]


def _scripted(*answers: tuple[str, str, int]) -> tuple[list[bytes], object]:
    sent: list[bytes] = []
    queue = list(answers)

    def raw(apdu: bytes) -> tuple[bytes, int]:
        sent.append(apdu)
        expected, data, sw = queue.pop(0)
        assert apdu.hex().upper() == expected
        return bytes.fromhex(data), sw

    return sent, raw


def test_61xx_is_followed_with_get_response() -> None:
    sent, raw = _scripted(
        ("00B0000000", "AA" * 3, 0x6102),
        ("00C0000002", "BBCC", 0x6101),
        ("00C0000001", "DD", 0x9000),
    )
    data, sw = resolve_response(raw, bytes.fromhex("00B0000000"))  # type: ignore[arg-type]
    assert (data, sw) == (bytes.fromhex("AAAAAABBCCDD"), 0x9000)
    assert len(sent) == 3


def test_6cxx_repeats_a_case_2_command_with_the_given_le() -> None:
    _, raw = _scripted(("00B0000000", "", 0x6C10), ("00B0000010", "11" * 16, 0x9000))
    assert resolve_response(raw, bytes.fromhex("00B0000000")) == (bytes(16 * [0x11]), 0x9000)  # type: ignore[arg-type]


def test_6cxx_repeats_a_case_4_command_keeping_its_data() -> None:
    _, raw = _scripted(("802A0080020102" + "00", "", 0x6C20), ("802A008002010220", "", 0x9000))
    assert resolve_response(raw, bytes.fromhex("802A00800201020" + "0"))[1] == 0x9000  # type: ignore[arg-type]


def test_6cxx_never_repeats_a_command_without_le() -> None:
    """A VERIFY answered 6Cxx must not be sent again: that would spend a second PIN try."""
    sent, raw = _scripted(("0020008004" + "31323334", "", 0x6C04))
    assert resolve_response(raw, bytes.fromhex("002000800431323334")) == (b"", 0x6C04)  # type: ignore[arg-type]
    assert len(sent) == 1


def test_endless_61xx_chain_is_malformed() -> None:
    def raw(apdu: bytes) -> tuple[bytes, int]:
        return b"\x00", 0x6101

    with pytest.raises(MalformedResponseError):
        resolve_response(raw, bytes.fromhex("00B0000000"))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3082051A", (4, 0x051A)),
        ("30820100", (4, 0x100)),
        ("308180", (3, 0x80)),
        ("307F", (2, 0x7F)),
        ("3083010000", (5, 0x10000)),
        ("FF2082012C", (5, 0x12C)),  # the text AP's two-byte private tag
    ],
)
def test_ber_header(header: str, expected: tuple[int, int]) -> None:
    assert ber_header(bytes.fromhex(header)) == expected


@pytest.mark.parametrize("header", ["", "30", "3080", "3084010000", "308201", "FF", "FF8080808001"])
def test_ber_header_malformed(header: str) -> None:
    with pytest.raises(MalformedResponseError):
        ber_header(bytes.fromhex(header))


def test_digest_info_sha256() -> None:
    di = digest_info_sha256(b"challenge")
    assert di.hex().upper().startswith("3031300D060960864801650304020105000420")
    assert di[-32:] == hashlib.sha256(b"challenge").digest()
    assert len(di) == 0x33
