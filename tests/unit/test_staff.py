"""Staff mode (kiosk/staff.py): the staff PIN and its lockout, `[staff]` in the site config, the status
snapshot with fake probes, `kiosk staff hash-pin`, and the demo config's staff PIN."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.errors import (
    BackendUnavailableError,
    ConfigError,
    MalformedPinError,
    NoCardError,
    NoReaderError,
    ReaderUnavailableError,
    StaffLockedError,
    StaffNotConfiguredError,
)
from kiosk.settings import CardSettings, StaffSettings, load_site_config, parse_pin_hash
from kiosk.staff import (
    BackendStatus,
    ConfigIdentity,
    PrinterSummary,
    ReaderStatus,
    StaffAuthenticator,
    StaffStatus,
    TransactionCounters,
    gather_staff_status,
    hash_staff_pin,
    reader_probe_for,
)
from municipal.pki import BackendPki
from municipal.setup import DEMO_STAFF_PIN, kiosk_config_text
from tests.unit.backend.scripted_https import make_pki
from tests.unit.test_settings import ED25519, P256, _public_pem, write_config

T0 = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


class StepClock:
    """A kiosk.clock.Clock the test moves."""

    def __init__(self, instant: datetime = T0) -> None:
        self.instant = instant

    def now(self) -> datetime:
        return self.instant

    def advance(self, seconds: float) -> None:
        self.instant += timedelta(seconds=seconds)


def cheap_hash(pin: bytes, n: int = 16) -> str:
    """A valid pin_hash with a tiny N: the lockout tests hash many PINs and need not be slow."""
    salt = bytes(range(16))
    key = hashlib.scrypt(pin, salt=salt, n=n, r=8, p=1, dklen=32)
    return f"scrypt${n}$8$1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"


def staff(pin: bytes = b"2468", **changes: object) -> StaffSettings:
    return StaffSettings.model_validate({"pin_hash": cheap_hash(pin), **changes})


# --------------------------------------------------------------------------------------------- hashing


def test_hash_staff_pin_writes_the_documented_format_and_zeroes_the_pin() -> None:
    pin = bytearray(b"1234")
    text = hash_staff_pin(pin)
    assert pin == bytearray(4)
    scheme, n, r, p, salt, key = text.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(base64.b64decode(salt, validate=True)) == 16
    assert len(base64.b64decode(key, validate=True)) == 32
    parsed = parse_pin_hash(text)
    assert parsed.key == hashlib.scrypt(b"1234", salt=parsed.salt, n=2**14, r=8, p=1, dklen=32)
    assert parsed.text() == text
    assert "1234" not in repr(parsed) and salt not in repr(parsed)


def test_each_hash_has_its_own_salt() -> None:
    assert hash_staff_pin(bytearray(b"1234")) != hash_staff_pin(bytearray(b"1234"))


@pytest.mark.parametrize("pin", [b"", b"123", b"12a4", b"1234 ", b"1" * 17, "１２３４".encode()])
def test_a_malformed_pin_is_not_hashed(pin: bytes) -> None:
    buffer = bytearray(pin)
    with pytest.raises(MalformedPinError):
        hash_staff_pin(buffer)
    assert buffer == bytearray(len(pin))


SALT = base64.b64encode(bytes(16)).decode()
KEY = base64.b64encode(bytes(32)).decode()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1234", "must be scrypt$N$r$p$salt_b64$hash_b64"),
        (f"bcrypt$16384$8$1${SALT}${KEY}", "must be scrypt"),
        (f"scrypt$16384$8${SALT}${KEY}", "must be scrypt"),
        (f"scrypt$16384$8$1${SALT}${KEY}$", "must be scrypt"),
        (f"scrypt$16385$8$1${SALT}${KEY}", "power of 2"),
        (f"scrypt${2**21}$8$1${SALT}${KEY}", "power of 2"),
        (f"scrypt$0$8$1${SALT}${KEY}", "N must be a positive integer"),
        (f"scrypt$-16$8$1${SALT}${KEY}", "N must be a positive integer"),
        (f"scrypt$16384$x$1${SALT}${KEY}", "r must be a positive integer"),
        (f"scrypt$16384$33$1${SALT}${KEY}", "r must be at most 32"),
        (f"scrypt$16384$8$17${SALT}${KEY}", "p at most 16"),
        (f"scrypt${2**20}$32$1${SALT}${KEY}", "MiB"),
        (f"scrypt$16384$8$1$not base64!${KEY}", "salt must be standard base64"),
        (f"scrypt$16384$8$1${SALT}$ÿÿ", "hash must be standard base64"),
        (f"scrypt$16384$8$1${base64.b64encode(bytes(8)).decode()}${KEY}", "16 to 64 bytes"),
    ],
)
def test_bad_pin_hashes_are_named_not_echoed(text: str, problem: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_pin_hash(text)
    assert problem in str(caught.value)
    assert SALT not in str(caught.value) and KEY not in str(caught.value)


# ------------------------------------------------------------------------------------------ site config


@pytest.fixture(scope="module")
def site_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files tests/unit/test_settings.py's `write_config` points at (its valid ones)."""
    directory = tmp_path_factory.mktemp("staff-site")
    (directory / "pki").mkdir()
    make_pki(directory / "pki")
    (directory / "pki" / "municipal_ed25519_pub.pem").write_bytes(_public_pem(ED25519))
    (directory / "pki" / "municipal_p256_pub.pem").write_bytes(_public_pem(P256))
    return directory


@pytest.fixture
def site(tmp_path: Path, site_template: Path) -> Path:
    shutil.copytree(site_template / "pki", tmp_path / "pki")
    return tmp_path


def test_staff_is_optional(site: Path) -> None:
    assert load_site_config(write_config(site)).staff is None


def test_staff_loads_with_defaults(site: Path) -> None:
    text = cheap_hash(b"2468")
    config = load_site_config(write_config(site, {"staff.pin_hash": text}))
    assert config.staff is not None
    assert (config.staff.max_attempts, config.staff.lockout_seconds) == (5, 300)
    assert config.staff.pin == parse_pin_hash(text)
    # Not the PIN, but a short PIN falls to a brute force of its hash: it stays out of reprs and logs.
    assert text.split("$")[5] not in repr(config) and "pin_hash" not in repr(config.staff)


@pytest.mark.parametrize(
    ("overrides", "key", "problem"),
    [
        ({"staff.pin_hash": "1234"}, "staff.pin_hash", "must be scrypt"),
        ({"staff.pin_hash": f"scrypt$3$8$1${SALT}${KEY}"}, "staff.pin_hash", "power of 2"),
        ({"staff.pin_hash": 1234}, "staff.pin_hash", "string"),
        ({"staff.max_attempts": 0}, "staff.max_attempts", "greater than or equal to 1"),
        ({"staff.max_attempts": "5"}, "staff.max_attempts", "integer"),
        ({"staff.lockout_seconds": 86401}, "staff.lockout_seconds", "less than or equal to 86400"),
        ({"staff.pin": "1234"}, "staff.pin", "unknown key"),
    ],
)
def test_bad_staff_values_name_their_key(
    site: Path, overrides: dict[str, object], key: str, problem: str
) -> None:
    path = write_config(site, {"staff.pin_hash": cheap_hash(b"2468"), **overrides})
    with pytest.raises(ConfigError) as caught:
        load_site_config(path)
    assert (caught.value.path, caught.value.key) == (str(path), key)
    assert problem in caught.value.problem
    assert "1234" not in str(caught.value)


def test_staff_without_pin_hash_names_the_key(site: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_site_config(write_config(site, {"staff.max_attempts": 3}))
    assert caught.value.key == "staff.pin_hash"


def test_the_example_config_has_a_valid_staff_section() -> None:
    example = Path(__file__).resolve().parents[2] / "config" / "kiosk.example.toml"
    table = tomllib.loads(example.read_text(encoding="utf-8"))["staff"]
    assert StaffSettings.model_validate(table).pin.n == 2**14


# ------------------------------------------------------------------------------------- authenticator


def test_the_right_pin_is_accepted_and_zeroed() -> None:
    authenticator = StaffAuthenticator(staff(), StepClock())
    pin = bytearray(b"2468")
    assert authenticator.verify(pin) is True
    assert pin == bytearray(4)
    assert authenticator.available and authenticator.attempts_left() == 5


@pytest.mark.parametrize("pin", [b"2469", b"", b"24680", b"abcd"])
def test_a_wrong_pin_is_refused_counted_and_zeroed(pin: bytes) -> None:
    authenticator = StaffAuthenticator(staff(), StepClock())
    buffer = bytearray(pin)
    assert authenticator.verify(buffer) is False
    assert buffer == bytearray(len(pin))
    assert authenticator.attempts_left() == 4


def test_lockout_after_max_attempts_and_its_end() -> None:
    clock = StepClock()
    authenticator = StaffAuthenticator(staff(max_attempts=3, lockout_seconds=60), clock)
    for _ in range(3):
        clock.advance(1)
        assert authenticator.verify(bytearray(b"0000")) is False
    assert authenticator.locked_until() == T0 + timedelta(seconds=63)
    assert authenticator.attempts_left() == 0
    # Locked: even the right PIN is refused, unchecked, and still zeroed.
    clock.advance(59)
    pin = bytearray(b"2468")
    with pytest.raises(StaffLockedError) as caught:
        authenticator.verify(pin)
    assert pin == bytearray(4)
    assert caught.value.until == T0 + timedelta(seconds=63)
    assert caught.value.to_dict() == {
        "code": "staff-locked",
        "message": "staff PIN locked until 2026-11-24T03:01:03+00:00",
        "locked_until": "2026-11-24T03:01:03+00:00",
    }
    json.dumps(caught.value.to_dict())
    # Over: a fresh count.
    clock.advance(1)
    assert authenticator.locked_until() is None
    assert authenticator.attempts_left() == 3
    assert authenticator.verify(bytearray(b"2468")) is True


def test_failures_older_than_the_window_do_not_count() -> None:
    clock = StepClock()
    authenticator = StaffAuthenticator(staff(max_attempts=3, lockout_seconds=60), clock)
    assert authenticator.verify(bytearray(b"0000")) is False
    assert authenticator.verify(bytearray(b"0000")) is False
    clock.advance(60)
    assert authenticator.attempts_left() == 3
    assert authenticator.verify(bytearray(b"0000")) is False
    assert authenticator.locked_until() is None


def test_the_right_pin_clears_the_count() -> None:
    authenticator = StaffAuthenticator(staff(max_attempts=3), StepClock())
    assert authenticator.verify(bytearray(b"0000")) is False
    assert authenticator.verify(bytearray(b"0000")) is False
    assert authenticator.verify(bytearray(b"2468")) is True
    assert authenticator.attempts_left() == 3


def test_without_staff_section_staff_mode_cannot_be_entered() -> None:
    authenticator = StaffAuthenticator(None, StepClock())
    assert not authenticator.available and authenticator.attempts_left() == 0
    pin = bytearray(b"2468")
    with pytest.raises(StaffNotConfiguredError):
        authenticator.verify(pin)
    assert pin == bytearray(4)


def test_the_pin_never_reaches_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    authenticator = StaffAuthenticator(staff(max_attempts=2), StepClock())
    for _ in range(2):
        authenticator.verify(bytearray(b"9753"))
    assert "locked" in caplog.text
    assert "9753" not in caplog.text and "2468" not in caplog.text


# ------------------------------------------------------------------------------------------ snapshot


COUNTERS = {"started": 7, "completed": 5, "failed": 1, "aborted": 1}
READER = ReaderStatus(name="Virtual PCD 00 00", card_present=False)
PRINTER = PrinterSummary(state="idle", reasons=(), needs_staff=False, accepting=True)
BACKEND = BackendStatus(reachable=True, clock_skew_seconds=0.25)


def returning(value: object) -> Callable[[], object]:
    return lambda: value


def raising(error: Exception) -> Callable[[], object]:
    def probe() -> object:
        raise error

    return probe


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b'[terminal]\nid = "T0001"\n')
    return path


def gather(config_file: Path, **probes: Callable[[], object]) -> StaffStatus:
    arguments: dict[str, object] = {
        "reader_probe": returning(READER),
        "printer_probe": returning(PRINTER),
        "backend_probe": returning(BACKEND),
        **probes,
    }
    return gather_staff_status(config_path=config_file, counters=COUNTERS, **arguments)  # type: ignore[arg-type]


def test_a_snapshot_of_healthy_parts(config_file: Path) -> None:
    status = gather(config_file)
    digest = hashlib.sha256(config_file.read_bytes()).hexdigest()[:12]
    assert status == StaffStatus(
        reader=READER,
        printer=PRINTER,
        backend=BACKEND,
        config=ConfigIdentity(path=str(config_file), sha256_prefix=digest, version=digest),
        counters=TransactionCounters(started=7, completed=5, failed=1, aborted=1),
    )
    with pytest.raises(FrozenInstanceError):
        status.reader = READER  # type: ignore[misc]


def test_each_failing_probe_becomes_its_error_code(config_file: Path) -> None:
    status = gather(
        config_file,
        reader_probe=raising(ReaderUnavailableError("pcscd gone")),
        printer_probe=raising(BackendUnavailableError("x", "connect")),  # any KioskError: its code
        backend_probe=raising(BackendUnavailableError("health", "tls")),
    )
    assert status.reader == ReaderStatus(name=None, card_present=False, error="reader-unavailable")
    assert status.printer == PrinterSummary(
        state=None, reasons=(), needs_staff=False, accepting=False, error="backend-unavailable"
    )
    assert status.backend == BackendStatus(False, None, "backend-unavailable")


def test_a_broken_probe_does_not_raise_and_logs_no_message(
    config_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    status = gather(config_file, printer_probe=raising(RuntimeError("髙橋 一郎")))
    assert status.printer.error == "internal"
    assert "RuntimeError" in caplog.text and "髙橋" not in caplog.text


def test_counters_missing_count_zero_unknown_are_refused(config_file: Path) -> None:
    assert TransactionCounters.from_mapping({"started": 2}) == TransactionCounters(2, 0, 0, 0)
    with pytest.raises(ValueError, match="unknown counters"):
        TransactionCounters.from_mapping({"started": 1, "printed": 1})
    with pytest.raises(ValueError, match="non-negative"):
        TransactionCounters.from_mapping({"failed": -1})
    with pytest.raises(ValueError, match="non-negative"):
        TransactionCounters.from_mapping({"failed": True})


def test_the_config_version_when_it_has_one(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('version = "2026.11-3"\n[terminal]\nid = "T0001"\n', encoding="utf-8")
    identity = gather(path).config
    assert identity.version == "2026.11-3"
    assert identity.sha256_prefix == hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_an_unreadable_config_is_reported(tmp_path: Path) -> None:
    identity = gather(tmp_path / "absent.toml").config
    assert identity == ConfigIdentity(str(tmp_path / "absent.toml"), None, None, "config-unreadable")


class FakeContext:
    def __init__(self, readers: tuple[str, ...], card: bool) -> None:
        self.readers = readers
        self.card = card
        self.closed = False
        self.waits: list[float] = []

    def pick_reader(self, wanted: str | None) -> str:
        for name in self.readers:
            if wanted is None or wanted.casefold() in name.casefold():
                return name
        raise NoReaderError(wanted, self.readers)

    def wait_for_card(self, reader: str, timeout: float) -> bytes:
        self.waits.append(timeout)
        if not self.card:
            raise NoCardError(reader, timeout)
        return b"\x3b\x00"

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize(
    ("readers", "card", "expected"),
    [
        ((), False, ReaderStatus(None, False)),
        (("Other 00",), True, ReaderStatus(None, False)),
        (("Other 00", "Virtual PCD 00 00"), False, ReaderStatus("Virtual PCD 00 00", False)),
        (("Virtual PCD 00 00",), True, ReaderStatus("Virtual PCD 00 00", True)),
    ],
)
def test_reader_probe(readers: tuple[str, ...], card: bool, expected: ReaderStatus) -> None:
    context = FakeContext(readers, card)
    probe = reader_probe_for(CardSettings(reader="virtual pcd"), lambda: context)
    assert probe() == expected
    assert context.closed and all(wait == 0 for wait in context.waits)


# ----------------------------------------------------------------------------------------- the CLI


@pytest.fixture
def stdin_pin(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[bytes], None]]:
    """The next command reads these bytes from a real pipe on stdin, as from a shell."""
    opened: list[object] = []

    def set_stdin(text: bytes) -> None:
        read_fd, write_fd = os.pipe()
        os.write(write_fd, text)
        os.close(write_fd)
        stream = open(read_fd, encoding="ascii")  # noqa: SIM115 - closed by the fixture
        opened.append(stream)
        monkeypatch.setattr("sys.stdin", stream)

    yield set_stdin
    for stream in opened:
        stream.close()  # type: ignore[attr-defined]


def test_cli_hash_pin_prints_the_config_line(
    capsys: pytest.CaptureFixture[str], stdin_pin: Callable[[bytes], None]
) -> None:
    stdin_pin(b"86420\n")
    assert main(["staff", "hash-pin"]) == 0
    out, err = capsys.readouterr()
    table = tomllib.loads(out)
    assert set(table) == {"pin_hash"} and err == ""
    settings = StaffSettings.model_validate(table)
    assert StaffAuthenticator(settings, StepClock()).verify(bytearray(b"86420"))
    assert "86420" not in out


def test_cli_hash_pin_json(capsys: pytest.CaptureFixture[str], stdin_pin: Callable[[bytes], None]) -> None:
    stdin_pin(b"8642\r\n")
    assert main(["staff", "hash-pin", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert parse_pin_hash(answer["pin_hash"]).n == 2**14


def test_cli_hash_pin_refuses_a_malformed_pin(
    capsys: pytest.CaptureFixture[str], stdin_pin: Callable[[bytes], None]
) -> None:
    stdin_pin(b"12a4\n")
    assert main(["staff", "hash-pin", "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and json.loads(err)["code"] == "malformed-pin" and "12a4" not in err


# ----------------------------------------------------------------------------------------- demo config


def test_the_demo_config_has_staff_pin_1234(tmp_path: Path) -> None:
    text = kiosk_config_text(BackendPki(tmp_path / "pki"), terminal_id="T0001", port=8443)
    settings = StaffSettings.model_validate(tomllib.loads(text)["staff"])
    assert DEMO_STAFF_PIN == b"1234"
    authenticator = StaffAuthenticator(settings, StepClock())
    assert authenticator.verify(bytearray(b"1234")) is True
    assert authenticator.verify(bytearray(b"4321")) is False
