"""Staff (maintenance) mode, Qt-free: the staff PIN, and the status snapshot the staff screen shows.

The staff PIN is stored only as an scrypt hash in the site config's `[staff] pin_hash`
(`scrypt$N$r$p$salt_b64$hash_b64`, made by `kiosk staff hash-pin`, parsed by kiosk/settings.py at load). A
PIN arrives as a `bytearray` and is zeroed here as soon as it has been hashed, like the card PIN
(architecture.md).

The snapshot (`gather_staff_status`) asks plain callables ("probes") for each part, so the UI can run it
from a worker thread and the tests can pass fakes; a probe that fails becomes an error code in the
snapshot, never an exception on the staff screen. The printer probe lives in printing/staff_probe.py
(the core does not import printing).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final, Protocol, TypeVar

from kiosk.backend.http import BackendClient
from kiosk.clock import Clock
from kiosk.errors import (
    ClockSkewError,
    KioskError,
    MalformedPinError,
    NoCardError,
    NoReaderError,
    StaffLockedError,
    StaffNotConfiguredError,
)
from kiosk.settings import BackendSettings, CardSettings, PinHash, StaffSettings

__all__ = [
    "COUNTER_NAMES",
    "BackendStatus",
    "ConfigIdentity",
    "PrinterSummary",
    "ReaderContext",
    "ReaderStatus",
    "StaffAuthenticator",
    "StaffStatus",
    "TransactionCounters",
    "backend_probe_for",
    "config_identity",
    "gather_staff_status",
    "hash_staff_pin",
    "reader_probe_for",
]

_log = logging.getLogger(__name__)
_T = TypeVar("_T")

# What `hash_staff_pin` writes: scrypt's interactive-login parameters (16 MiB, ~50 ms on a store PC).
_N: Final = 2**14
_R: Final = 8
_P: Final = 1
_SALT_BYTES: Final = 16
_KEY_BYTES: Final = 32
_PIN_DIGITS: Final = range(4, 17)
#: How much of the config file's SHA-256 the staff screen shows (enough to tell two files apart by eye).
_HASH_PREFIX: Final = 12
_MAX_CONFIG_BYTES: Final = 4 * 1024 * 1024

COUNTER_NAMES: Final = ("started", "completed", "failed", "aborted")


# ------------------------------------------------------------------------------------------- the PIN


def _check_pin(pin: bytearray) -> None:
    if len(pin) not in _PIN_DIGITS or not all(0x30 <= byte <= 0x39 for byte in pin):
        raise MalformedPinError(f"a staff PIN is {_PIN_DIGITS.start} to {_PIN_DIGITS.stop - 1} digits")


def hash_staff_pin(pin: bytearray) -> str:
    """The `pin_hash` value for `pin` (4 to 16 ASCII digits, else MalformedPinError); zeroes `pin`."""
    try:
        _check_pin(pin)
        salt = secrets.token_bytes(_SALT_BYTES)
        template = PinHash(n=_N, r=_R, p=_P, salt=salt, key=bytes(_KEY_BYTES))
        return PinHash(n=_N, r=_R, p=_P, salt=salt, key=template.derive(pin)).text()
    finally:
        pin[:] = bytes(len(pin))


class StaffAuthenticator:
    """Checks staff PINs against `[staff] pin_hash`, with a lockout after too many failures.

    After `max_attempts` wrong PINs within `lockout_seconds`, `verify` refuses with `StaffLockedError` until
    `lockout_seconds` after the last of them, without hashing anything. A right PIN clears the count. The
    count lives in memory only: a restart clears it, which is also how a store gets staff mode back at once.
    Safe to call from several threads.
    """

    def __init__(self, settings: StaffSettings | None, clock: Clock) -> None:
        self._settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: list[datetime] = []
        self._locked_until: datetime | None = None

    @property
    def available(self) -> bool:
        """False when the config has no [staff]: the UI should not offer staff mode at all."""
        return self._settings is not None

    def locked_until(self) -> datetime | None:
        """When the lockout ends, or None when PINs are being checked."""
        with self._lock:
            return self._current_lock(self._clock.now())

    def attempts_left(self) -> int:
        """Wrong PINs still allowed before the lockout (0 while locked or not configured)."""
        settings = self._settings
        if settings is None:
            return 0
        with self._lock:
            now = self._clock.now()
            if self._current_lock(now) is not None:
                return 0
            return settings.max_attempts - len(self._recent_failures(now, settings))

    def verify(self, pin: bytearray) -> bool:
        """True for the staff PIN. Zeroes `pin` whatever happens. Raises StaffNotConfiguredError without a
        [staff] section and StaffLockedError during a lockout; a wrong PIN returns False and counts."""
        try:
            settings = self._settings
            if settings is None:
                raise StaffNotConfiguredError
            with self._lock:
                now = self._clock.now()
                until = self._current_lock(now)
                if until is not None:
                    raise StaffLockedError(until)
                # Under the lock: two concurrent guesses must both count before either is decided.
                right = _matches(settings.pin, pin)
                if right:
                    self._failures.clear()
                    return True
                self._failures = [*self._recent_failures(now, settings), now]
                if len(self._failures) >= settings.max_attempts:
                    self._locked_until = now + timedelta(seconds=settings.lockout_seconds)
                    self._failures.clear()
                    _log.warning(
                        "staff PIN locked for %d s after %d failures",
                        settings.lockout_seconds,
                        settings.max_attempts,
                    )
                return False
        finally:
            pin[:] = bytes(len(pin))

    def _current_lock(self, now: datetime) -> datetime | None:
        if self._locked_until is not None and now >= self._locked_until:
            self._locked_until = None
        return self._locked_until

    def _recent_failures(self, now: datetime, settings: StaffSettings) -> list[datetime]:
        window = timedelta(seconds=settings.lockout_seconds)
        return [instant for instant in self._failures if now - instant < window]


def _matches(expected: PinHash, pin: bytearray) -> bool:
    # A malformed PIN is hashed all the same, so that its answer takes as long as any other wrong PIN's.
    derived = expected.derive(pin)
    return hmac.compare_digest(derived, expected.key)


# -------------------------------------------------------------------------------------- the snapshot


@dataclass(frozen=True)
class ReaderStatus:
    """The card reader: its name (None when there is none) and whether a card is in it."""

    name: str | None
    card_present: bool
    error: str | None = None  # a KioskError code when the reader could not be asked


@dataclass(frozen=True)
class PrinterSummary:
    """The store printer as CUPS reports it; `state` is idle, processing or stopped."""

    state: str | None
    reasons: tuple[str, ...]
    needs_staff: bool
    accepting: bool
    error: str | None = None  # a KioskError code (printer-unavailable, ...) when CUPS could not be asked

    @classmethod
    def failed(cls, code: str) -> PrinterSummary:
        return cls(state=None, reasons=(), needs_staff=False, accepting=False, error=code)


@dataclass(frozen=True)
class BackendStatus:
    """Whether the backend answered, and how far this terminal's clock is from it (positive: ahead)."""

    reachable: bool
    clock_skew_seconds: float | None
    error: str | None = None  # clock-untrusted when it answered but the skew is over the limit


@dataclass(frozen=True)
class ConfigIdentity:
    """Which site config this terminal runs: its path, a SHA-256 prefix, and its `version` (else the hash)."""

    path: str
    sha256_prefix: str | None
    version: str | None
    error: str | None = None


@dataclass(frozen=True)
class TransactionCounters:
    """Transactions since start-up, as the orchestrator counts them."""

    started: int = 0
    completed: int = 0
    failed: int = 0
    aborted: int = 0

    @classmethod
    def from_mapping(cls, counters: Mapping[str, int]) -> TransactionCounters:
        """Missing names count 0; an unknown name or a negative count is a programming error (ValueError)."""
        unknown = set(counters) - set(COUNTER_NAMES)
        if unknown:
            raise ValueError(f"unknown counters {sorted(unknown)}; expected {COUNTER_NAMES}")
        values = {name: counters.get(name, 0) for name in COUNTER_NAMES}
        # type(), not isinstance: True is an int too, and a flag passed as a count is a bug to report.
        if any(type(value) is not int or value < 0 for value in values.values()):
            raise ValueError("counters must be non-negative integers")
        return cls(**values)


@dataclass(frozen=True)
class StaffStatus:
    reader: ReaderStatus
    printer: PrinterSummary
    backend: BackendStatus
    config: ConfigIdentity
    counters: TransactionCounters


def gather_staff_status(
    *,
    reader_probe: Callable[[], ReaderStatus],
    printer_probe: Callable[[], PrinterSummary],
    backend_probe: Callable[[], BackendStatus],
    config_path: Path,
    counters: Mapping[str, int],
) -> StaffStatus:
    """One snapshot for the staff screen. Blocking (each probe waits up to its own timeout): call it from a
    worker thread. A probe's KioskError becomes its error code in the snapshot."""
    return StaffStatus(
        reader=_probe("reader", reader_probe, lambda code: ReaderStatus(None, False, code)),
        printer=_probe("printer", printer_probe, PrinterSummary.failed),
        backend=_probe("backend", backend_probe, lambda code: BackendStatus(False, None, code)),
        config=config_identity(config_path),
        counters=TransactionCounters.from_mapping(counters),
    )


def _probe(part: str, probe: Callable[[], _T], failed: Callable[[str], _T]) -> _T:
    try:
        return probe()
    except KioskError as error:
        _log.info("staff status: %s probe failed: %s", part, error.code)
        return failed(error.code)
    except Exception as error:  # a broken probe must not take the staff screen down
        # Type only: the message of an unexpected error could hold anything.
        _log.error("staff status: %s probe raised %s", part, type(error).__name__)
        return failed("internal")


def config_identity(path: Path) -> ConfigIdentity:
    """The site config's identity as the staff screen shows it; a file that cannot be read says so."""
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_CONFIG_BYTES + 1)
    except OSError:
        return ConfigIdentity(str(path), None, None, "config-unreadable")
    digest = hashlib.sha256(data).hexdigest()[:_HASH_PREFIX]
    return ConfigIdentity(str(path), digest, _version(data) or digest)


def _version(data: bytes) -> str | None:
    """A top-level `version` (string or integer) when the file has one; the hash stands in otherwise."""
    try:
        value = tomllib.loads(data.decode("utf-8")).get("version")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value)[:64]


# ------------------------------------------------------------------------------------ real probes


class ReaderContext(Protocol):
    """The part of `kiosk.card.pcsc.PcscContext` the reader probe uses (the UI passes PcscContext)."""

    def pick_reader(self, wanted: str | None) -> str: ...

    def wait_for_card(self, reader: str, timeout: float) -> bytes: ...

    def close(self) -> None: ...


def reader_probe_for(
    card: CardSettings, open_context: Callable[[], ReaderContext]
) -> Callable[[], ReaderStatus]:
    """Asks PC/SC (a context from `open_context`, closed after each probe) for the configured reader and
    whether a card is in it, without waiting or connecting to the card."""

    def probe() -> ReaderStatus:
        context = open_context()
        try:
            try:
                reader = context.pick_reader(card.reader)
            except NoReaderError:
                return ReaderStatus(name=None, card_present=False)
            try:
                context.wait_for_card(reader, 0)
            except NoCardError:
                return ReaderStatus(name=reader, card_present=False)
            return ReaderStatus(name=reader, card_present=True)
        finally:
            context.close()

    return probe


def backend_probe_for(settings: BackendSettings, clock: Clock) -> Callable[[], BackendStatus]:
    """`GET /v1/health` over its own short connection (the transaction's client is not shared between
    threads); answers the measured skew even when it is over `max_clock_skew_seconds`."""

    def probe() -> BackendStatus:
        try:
            with BackendClient(settings, clock=clock) as client:
                health = client.health()
        except ClockSkewError as error:
            return BackendStatus(True, float(error.skew_seconds), error.code)
        error_code = None if health.within_limit else ClockSkewError.code
        return BackendStatus(True, health.skew_seconds, error_code)

    return probe
