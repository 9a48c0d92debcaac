"""The software My Number card: exact APDU bytes in, exact status words out (card-protocol.md part 1)."""

from __future__ import annotations

import dataclasses
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from kiosk.card.apdu import digest_info_sha256
from kiosk.card.profile import CardProfile, load_profile, make_profile
from kiosk.card.virtual import InProcessConnection, SoftwareJpkiCard, pkcs1_sign, pkcs1_sign_raw
from kiosk.errors import CardRemovedError, ProfileError, ReaderUnavailableError
from tests.conftest import TEST_NOW

SELECT_JPKI = "00A4040C0AD392F000260100000001"
SHA1_PREFIX = bytes.fromhex("3021300906052b0e03021a05000414")
SHA384_PREFIX = bytes.fromhex("3041300d060960864801650304020205000430")
SHA512_PREFIX = bytes.fromhex("3051300d060960864801650304020305000440")


@pytest.fixture(scope="session")
def profile(profile_factory: Callable[..., Path]) -> CardProfile:
    return load_profile(profile_factory())


@pytest.fixture
def card(profile: CardProfile) -> SoftwareJpkiCard:
    card = SoftwareJpkiCard(profile)
    card.power_on()
    return card


def run(card: SoftwareJpkiCard, hex_apdu: str) -> str:
    """The R-APDU's status word as 4 hex digits (data dropped): most assertions are about the SW."""
    return card.process(bytes.fromhex(hex_apdu))[-2:].hex().upper()


def select_ef(card: SoftwareJpkiCard, fid: str) -> None:
    assert run(card, SELECT_JPKI) == "9000"
    assert run(card, "00A4020C02" + fid) == "9000"


def read_all(card: SoftwareJpkiCard) -> bytes:
    out = bytearray()
    while True:
        response = card.process(bytes([0x00, 0xB0, len(out) >> 8, len(out) & 0xFF, 0x00]))
        if response[-2:] == b"\x6b\x00":
            return bytes(out)
        assert response[-2:] == b"\x90\x00"
        out += response[:-2]


# ------------------------------------------------------------------------------------------- command shapes


@pytest.mark.parametrize(
    ("apdu", "sw"),
    [
        (SELECT_JPKI, "9000"),
        ("00A4040C0AD3921000310001010408", "6A82"),  # text AP: not on this card
        ("00A4040005D392F00026", "6A86"),  # P2=00 (FCI) not supported
        ("00A4000C023F00", "6A86"),  # SELECT MF
        ("00A4040C0AD392F00026010000000100", "6700"),  # Le on a no-FCI select
        ("84A4040C0AD392F000260100000001", "6E00"),  # secure-messaging CLA
        ("80A4040C0AD392F000260100000001", "6E00"),  # SELECT is an ISO command
        ("002A00800100", "6E00"),  # the JPKI sign command is proprietary (80)
        ("00CA000000", "6D00"),
        ("00A404", "6700"),  # shorter than a header
        ("00A4040C0BD392F000260100000001", "6700"),  # Lc says 11, 10 bytes follow
        ("00B00000000100", "6700"),  # extended Le
    ],
)
def test_command_shapes(card: SoftwareJpkiCard, apdu: str, sw: str) -> None:
    assert run(card, apdu) == sw


def test_select_ef_needs_the_applet_and_a_known_fid(card: SoftwareJpkiCard) -> None:
    assert run(card, "00A4020C02000A") == "6A82"  # JPKI-AP not selected yet
    assert run(card, SELECT_JPKI) == "9000"
    assert run(card, "00A4020C020005") == "6A82"
    assert run(card, "00A4020C03000A00") == "6700"
    for fid in ("000A", "000B", "0001", "0002", "0006", "0017", "0018", "001A", "001B"):
        assert run(card, "00A4020C02" + fid) == "9000", fid


# ------------------------------------------------------------------------------------------- READ BINARY


def test_read_binary_chunks_and_end(card: SoftwareJpkiCard, profile: CardProfile) -> None:
    select_ef(card, "000A")
    size = len(profile.auth_cert_der)
    first = card.process(bytes.fromhex("00B0000000"))
    assert first == profile.auth_cert_der[:256] + b"\x90\x00"
    last = card.process(bytes([0x00, 0xB0, (size - 3) >> 8, (size - 3) & 0xFF, 0x10]))
    assert last == profile.auth_cert_der[-3:] + b"\x90\x00"  # fewer than Le: what is left, with 9000
    assert run(card, f"00B0{size:04X}01") == "6B00"
    assert read_all(card) == profile.auth_cert_der


def test_read_binary_refusals(card: SoftwareJpkiCard) -> None:
    assert run(card, "00B0000004") == "6986"  # nothing selected
    select_ef(card, "0017")
    assert run(card, "00B0000004") == "6986"  # key EF
    assert run(card, "00A4020C020018") == "9000"
    assert run(card, "00B0000004") == "6986"  # PIN EF
    assert run(card, "00A4020C02000A") == "9000"
    assert run(card, "00B0850004") == "6A81"  # SFI addressing
    assert run(card, "00B00000") == "6700"  # no Le


def test_free_files(card: SoftwareJpkiCard, profile: CardProfile) -> None:
    select_ef(card, "000B")
    assert read_all(card) == profile.auth_ca_der
    assert run(card, "00A4020C020002") == "9000"
    assert read_all(card) == profile.sign_ca_der
    assert run(card, "00A4020C020006") == "9000"
    token = read_all(card)
    assert len(token) == 32
    assert token.rstrip(b" ").isascii()


def test_sign_cert_needs_the_sign_password(card: SoftwareJpkiCard, profile: CardProfile) -> None:
    select_ef(card, "0001")
    assert run(card, "00B0000004") == "6982"
    assert run(card, "00A4020C02001B") == "9000"
    assert run(card, "0020008006" + b"ABC123".hex()) == "9000"
    assert run(card, "00A4020C020001") == "9000"
    assert read_all(card) == profile.sign_cert_der


# ------------------------------------------------------------------------------------------- VERIFY


def test_auth_pin_counts_down_blocks_and_recovers(card: SoftwareJpkiCard) -> None:
    select_ef(card, "0018")
    assert run(card, "00200080") == "63C3"  # status query spends nothing
    assert run(card, "00200080") == "63C3"
    assert run(card, "002000800431313131") == "63C2"
    assert run(card, "00200080033132") == "6700"  # Lc 3, 2 bytes: malformed, no try spent
    assert run(card, "002000800431323334") == "9000"
    assert card.auth_tries_left == 3  # a success restores the counter
    assert run(card, "0020008003313233") == "63C2"  # a short PIN still costs a try
    assert run(card, "002000800431313131") == "63C1"
    assert run(card, "002000800431313131") == "63C0"
    assert run(card, "00200080") == "63C0"
    assert run(card, "002000800431323334") == "6984"  # blocked: even the right PIN is refused
    assert card.auth_tries_left == 0


def test_verify_needs_a_pin_ef_and_p1p2(card: SoftwareJpkiCard) -> None:
    assert run(card, SELECT_JPKI) == "9000"
    assert run(card, "00200080") == "6986"
    assert run(card, "00A4020C020018") == "9000"
    assert run(card, "00200081") == "6A86"
    assert run(card, "0020008000") == "6700"  # Le instead of data


@pytest.mark.parametrize(("blocked_sw", "status_sw"), [(0x6983, 0x63C0), (0x6984, 0x6983)])
def test_blocked_answers_are_knobs(profile: CardProfile, blocked_sw: int, status_sw: int) -> None:
    blocked = dataclasses.replace(
        profile, auth_tries_left=0, blocked_sw=blocked_sw, status_sw_when_blocked=status_sw
    )
    card = SoftwareJpkiCard(blocked)
    select_ef(card, "0018")
    assert run(card, "00200080") == f"{status_sw:04X}"
    assert run(card, "002000800431323334") == f"{blocked_sw:04X}"


def test_sign_password_is_compared_exactly_and_has_five_tries(card: SoftwareJpkiCard) -> None:
    select_ef(card, "001B")
    assert run(card, "00200080") == "63C5"
    assert run(card, "0020008006" + b"abc123".hex()) == "63C4"  # no case folding on the card
    assert card.sign_tries_left == 4
    assert card.auth_tries_left == 3  # separate counters


def test_counters_persist_across_reset_but_verification_does_not(card: SoftwareJpkiCard) -> None:
    select_ef(card, "0018")
    assert run(card, "002000800439393939") == "63C2"
    card.reset()
    select_ef(card, "0018")
    assert run(card, "00200080") == "63C2"
    assert run(card, "002000800431323334") == "9000"
    card.reset()
    select_ef(card, "0017")
    assert run(card, "802A008033" + "00" * 52 + "00") == "6700"  # Lc 0x33, then 52 bytes and Le
    assert run(card, "802A008033" + digest_info_sha256(b"x").hex() + "00") == "6982"


def test_reselecting_the_applet_logs_out(card: SoftwareJpkiCard) -> None:
    select_ef(card, "0018")
    assert run(card, "002000800431323334") == "9000"
    select_ef(card, "0017")  # includes SELECT AID
    assert run(card, "802A008033" + digest_info_sha256(b"x").hex() + "00") == "6982"


# ------------------------------------------------------------------------------------------- signing


def _public_key(der: bytes | None) -> RSAPublicKey:
    assert der is not None
    key = x509.load_der_x509_certificate(der).public_key()
    assert isinstance(key, RSAPublicKey)
    return key


def test_auth_signature_verifies_against_the_certificate(
    card: SoftwareJpkiCard, profile: CardProfile
) -> None:
    digest_info = digest_info_sha256(b"challenge")
    select_ef(card, "0017")
    assert run(card, "802A008033" + digest_info.hex() + "00") == "6982"
    assert run(card, "00A4020C020018") == "9000"
    assert run(card, "002000800431323334") == "9000"
    assert run(card, "00A4020C020017") == "9000"
    response = card.process(bytes.fromhex("802A008033" + digest_info.hex() + "00"))
    assert response[-2:] == b"\x90\x00"
    signature = response[:-2]
    assert len(signature) == 256
    _public_key(profile.auth_cert_der).verify(signature, b"challenge", PKCS1v15(), hashes.SHA256())
    # The auth PIN stays verified: the kiosk may sign more than once per session.
    assert run(card, "802A008033" + digest_info.hex() + "00") == "9000"


def test_sign_key_needs_consent_for_every_signature(card: SoftwareJpkiCard, profile: CardProfile) -> None:
    digest_info = digest_info_sha256(b"document")
    select_ef(card, "001B")
    assert run(card, "0020008006" + b"ABC123".hex()) == "9000"
    assert run(card, "00A4020C02001A") == "9000"
    response = card.process(bytes.fromhex("802A008033" + digest_info.hex() + "00"))
    assert response[-2:] == b"\x90\x00"
    _public_key(profile.sign_cert_der).verify(response[:-2], b"document", PKCS1v15(), hashes.SHA256())
    assert run(card, "802A008033" + digest_info.hex() + "00") == "6982"


def test_sign_refusals(card: SoftwareJpkiCard) -> None:
    select_ef(card, "0018")
    assert run(card, "002000800431323334") == "9000"
    assert run(card, "802A008033" + digest_info_sha256(b"x").hex() + "00") == "6986"  # PIN EF, not a key
    assert run(card, "00A4020C020017") == "9000"
    assert run(card, "802A009E33" + digest_info_sha256(b"x").hex() + "00") == "6A86"
    assert run(card, "802A0080F6" + "00" * 246 + "00") == "6A80"  # over k-11 = 245 bytes
    assert run(card, "802A0080F5" + "00" * 245 + "00") == "9000"


@pytest.mark.parametrize(
    "digest_info",
    [
        SHA1_PREFIX + bytes(range(20)),
        digest_info_sha256(b"abc"),
        SHA384_PREFIX + bytes(range(48)),
        SHA512_PREFIX + bytes(range(64)),
    ],
)
def test_both_signing_paths_agree(profile: CardProfile, digest_info: bytes) -> None:
    assert pkcs1_sign(profile.auth_key, digest_info) == pkcs1_sign_raw(profile.auth_key, digest_info)


def test_raw_path_pads_unknown_input(profile: CardProfile) -> None:
    data = b"not a DigestInfo"
    signature = pkcs1_sign(profile.auth_key, data)
    numbers = profile.auth_key.public_key().public_numbers()
    block = pow(int.from_bytes(signature, "big"), numbers.e, numbers.n).to_bytes(256, "big")
    assert block == b"\x00\x01" + b"\xff" * (256 - 3 - len(data)) + b"\x00" + data


def test_apdu_log_keeps_ins_and_sw_only(card: SoftwareJpkiCard) -> None:
    select_ef(card, "0018")
    run(card, "002000800431323334")
    assert card.apdu_log == [(0xA4, 0x9000), (0xA4, 0x9000), (0x20, 0x9000)]


# ------------------------------------------------------------------------------------------- connection


def test_in_process_connection(profile: CardProfile) -> None:
    connection = InProcessConnection(SoftwareJpkiCard(profile), remove_after_apdus=2)
    assert connection.atr == profile.atr
    assert connection.transmit(bytes.fromhex(SELECT_JPKI)) == (b"", 0x9000)
    assert connection.transmit(bytearray.fromhex("00A4020C020018")) == (b"", 0x9000)
    with pytest.raises(CardRemovedError):
        connection.transmit(bytes.fromhex("00200080"))
    assert connection.removed


def test_in_process_connection_remove_and_close(profile: CardProfile) -> None:
    connection = InProcessConnection(SoftwareJpkiCard(profile))
    connection.remove_card()
    with pytest.raises(CardRemovedError):
        connection.transmit(bytes.fromhex(SELECT_JPKI))
    connection.close()
    with pytest.raises(ReaderUnavailableError):
        connection.transmit(bytes.fromhex(SELECT_JPKI))


# ------------------------------------------------------------------------------------------- profiles


def test_made_profiles_share_the_test_ca(tmp_path: Path, profile: CardProfile, test_ca_dir: Path) -> None:
    other = make_profile(tmp_path / "p", test_ca_dir, now=TEST_NOW, subject_id="FIXEDCN", sign_password=None)
    assert other.auth_ca_der == profile.auth_ca_der
    assert not other.has_sign
    cert = x509.load_der_x509_certificate(other.auth_cert_der)
    ca = x509.load_der_x509_certificate(other.auth_ca_der)
    cert.verify_directly_issued_by(ca)
    assert [a.oid._name for a in cert.subject] == ["countryName", "commonName"]
    assert cert.subject.rfc4514_string() == "CN=FIXEDCN,C=JP"
    assert 900 <= len(other.auth_cert_der) <= 1400
    assert stat.S_IMODE((tmp_path / "p" / "auth_key.pem").stat().st_mode) == 0o600
    assert stat.S_IMODE((test_ca_dir / "auth_ca_key.pem").stat().st_mode) == 0o600
    assert "1234" not in repr(other)


@pytest.fixture
def broken(profile: CardProfile, tmp_path: Path) -> Path:
    target = tmp_path / "broken"
    shutil.copytree(profile.directory, target)
    return target


def _set_toml(directory: Path, text: str) -> None:
    (directory / "card.toml").write_text(text)


BASE = 'pin = "1234"\nsign_password = "ABC123"\n'


@pytest.mark.parametrize(
    ("toml", "key", "fragment"),
    [
        (BASE + "colour = 1\n", "colour", "unknown key"),
        ('sign_password = "ABC123"\n', "pin", "missing"),
        ('pin = "12345"\nsign_password = "ABC123"\n', "pin", "4 digits"),
        ('pin = 1234\nsign_password = "ABC123"\n', "pin", "string"),
        ('pin = "1234"\n', "sign_password", "required"),
        ('pin = "1234"\nsign_password = "abc123"\n', "sign_password", "A-Z"),
        ('pin = "1234"\nsign_password = "ABC12"\n', "sign_password", "6-16"),
        (BASE + "auth_tries_left = 4\n", "auth_tries_left", "0..3"),
        (BASE + 'auth_tries_left = "3"\n', "auth_tries_left", "integer"),
        (BASE + "auth_tries_left = true\n", "auth_tries_left", "integer"),
        (BASE + "sign_tries_left = 6\n", "sign_tries_left", "0..5"),
        (BASE + 'atr = "zz"\n', "atr", "hex"),
        (BASE + 'atr = "0011"\n', "atr", "3B or 3F"),
        (BASE + 'blocked_sw = "6982"\n', "blocked_sw", "6983, 6984"),
        (BASE + 'status_sw_when_blocked = "63C"\n', "status_sw_when_blocked", "hex"),
        (BASE + 'status_sw_when_blocked = "63C000"\n', "status_sw_when_blocked", "2 bytes"),
        (BASE + "apdu_delay_ms = -1\n", "apdu_delay_ms", ">= 0"),
        (BASE + 'apdu_delay_ms = "fast"\n', "apdu_delay_ms", "number"),
        (BASE + "apdu_delay_ms = nan\n", "apdu_delay_ms", "finite"),
        ("pin = \n", None, "TOML"),
    ],
    ids=lambda value: value.replace("\n", ";")[-40:] if isinstance(value, str) else str(value),
)
def test_bad_card_toml(broken: Path, toml: str, key: str | None, fragment: str) -> None:
    _set_toml(broken, toml)
    with pytest.raises(ProfileError) as info:
        load_profile(broken)
    assert info.value.path == str(broken / "card.toml")
    assert info.value.key == key
    assert fragment in info.value.problem
    assert "1234" not in info.value.problem  # values of secrets never reach the message
    assert "abc123" not in info.value.problem.lower()


def test_good_knobs_load(broken: Path) -> None:
    _set_toml(
        broken,
        BASE + 'auth_tries_left = 1\nsign_tries_left = 0\natr = "3B 88 80 01 00 00 05 E0 B3 81 A1 00 7F"\n'
        'blocked_sw = "6983"\nstatus_sw_when_blocked = "6984"\napdu_delay_ms = 2\n',
    )
    loaded = load_profile(broken)
    assert (loaded.auth_tries_left, loaded.sign_tries_left) == (1, 0)
    assert loaded.atr == bytes.fromhex("3B888001000005E0B381A1007F")
    assert (loaded.blocked_sw, loaded.status_sw_when_blocked, loaded.apdu_delay_ms) == (0x6983, 0x6984, 2.0)


def _swap_keys(directory: Path) -> None:
    (directory / "auth_key.pem").write_bytes((directory / "sign_key.pem").read_bytes())


@pytest.mark.parametrize(
    ("damage", "file", "fragment"),
    [
        (lambda d: (d / "card.toml").unlink(), "card.toml", "missing"),
        (lambda d: (d / "auth_cert.pem").unlink(), "auth_cert.pem", "missing"),
        (lambda d: (d / "auth_ca.pem").unlink(), "auth_ca.pem", "missing"),
        (lambda d: (d / "auth_key.pem").write_text("garbage"), "auth_key.pem", "PEM private key"),
        (lambda d: (d / "auth_cert.pem").write_text("garbage"), "auth_cert.pem", "PEM certificate"),
        (_swap_keys, "auth_key.pem", "does not match auth_cert.pem"),
        (lambda d: (d / "sign_ca.pem").unlink(), "sign_ca.pem", "all three or none"),
    ],
)
def test_bad_files(broken: Path, damage: Callable[[Path], object], file: str, fragment: str) -> None:
    damage(broken)
    with pytest.raises(ProfileError) as info:
        load_profile(broken)
    assert info.value.path == str(broken / file)
    assert fragment in info.value.problem


def test_sign_password_without_sign_files(broken: Path) -> None:
    for name in ("sign_cert.pem", "sign_key.pem", "sign_ca.pem"):
        (broken / name).unlink()
    with pytest.raises(ProfileError) as info:
        load_profile(broken)
    assert info.value.key == "sign_password"
    _set_toml(broken, 'pin = "1234"\n')
    assert not load_profile(broken).has_sign
