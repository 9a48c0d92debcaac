"""The terminal's heartbeat: a periodic status report to the operator (`POST /v1/terminals/heartbeat`).

`build_heartbeat` turns the staff screen's snapshot (`kiosk.staff.StaffStatus`, from the same probes) into
the wire type: reader, printer and paper, backend clock skew, config version, counters, the last error
code, paused, uptime. Only codes, keywords, version labels and numbers: a value outside the wire type's
character set is replaced by a placeholder code or dropped here, so building never fails on odd input and
nothing free-form (let alone personal) is sent.

`HeartbeatSender` runs on its own daemon thread: it waits `interval` seconds (± jitter, so that a store
chain's terminals do not all report at the same second), asks `gather()` for a heartbeat and hands it to
`send()`. A failure is logged by its code and the next beat is the retry; nothing ever reaches the app.
"""

from __future__ import annotations

import logging
import math
import re
import secrets
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from importlib import metadata
from typing import Final

from kiosk.backend.api import (
    MAX_PRINTER_REASONS,
    Heartbeat,
    HeartbeatCounters,
    HeartbeatPrinter,
    HeartbeatReader,
    Paper,
    PrinterState,
)
from kiosk.backend.http import BackendClient
from kiosk.clock import Clock
from kiosk.errors import BackendRefusedError, BackendUnavailableError, KioskError
from kiosk.settings import BackendSettings
from kiosk.staff import PrinterSummary, StaffStatus, TransactionCounters

__all__ = [
    "DEFAULT_FIRST_DELAY_SECONDS",
    "DEFAULT_INTERVAL_SECONDS",
    "DEFAULT_JITTER",
    "HeartbeatSender",
    "LastErrorCode",
    "app_version",
    "backend_sender",
    "build_heartbeat",
    "failure_code",
    "heartbeat_gatherer",
    "paper_of",
]

_log = logging.getLogger(__name__)

DEFAULT_INTERVAL_SECONDS: Final = 300.0
#: Each wait is the interval times 1 ± this (uniformly).
DEFAULT_JITTER: Final = 0.1
#: The first heartbeat goes out after a random delay up to this, so the operator sees a start soon.
DEFAULT_FIRST_DELAY_SECONDS: Final = 15.0
MIN_INTERVAL_SECONDS: Final = 10.0

#: What a code that does not fit the wire type's character set is sent as.
OTHER_CODE: Final = "other"
_CODE: Final = re.compile(r"[a-z][a-z0-9:._-]{0,63}")
_IPP_KEYWORD: Final = re.compile(r"[a-z][a-z0-9._-]{0,63}")
_VERSION: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
_MAX_COUNT: Final = 10**9
_MAX_SKEW: Final = 1e9
_MAX_UPTIME: Final = 10 * 365 * 86_400
_PAPER_OUT: Final = ("media-empty", "media-needed")


def app_version() -> str:
    """The installed konbini-kiosk version (`unknown` when running from a tree that was never installed)."""
    try:
        version = metadata.version("konbini-kiosk")
    except metadata.PackageNotFoundError:
        return "unknown"
    return version if _VERSION.fullmatch(version) else "unknown"


def paper_of(printer: PrinterSummary) -> Paper:
    """out when CUPS says the media is empty or needed, unknown when it could not be asked, else ok (as the
    staff screen shows it)."""
    if printer.error is not None or printer.state is None:
        return Paper.UNKNOWN
    if any(reason.startswith(_PAPER_OUT) for reason in printer.reasons):
        return Paper.OUT
    return Paper.OK


def build_heartbeat(
    status: StaffStatus,
    *,
    counters: Mapping[str, int] | TransactionCounters | None = None,
    last_error: str | None,
    paused: bool,
    started_at: datetime,
    clock: Clock,
    app_version: str,
    interval_seconds: float = DEFAULT_INTERVAL_SECONDS,
) -> Heartbeat:
    """The heartbeat for this snapshot. `counters` default to the snapshot's own; `last_error` is a code
    ("" or None: none); `started_at` is when the application started (uptime). Never raises on odd values:
    codes outside the wire charset become `other`, unknown printer states None, odd reasons are dropped."""
    now = clock.now()
    if counters is None:
        tally = status.counters
    elif isinstance(counters, TransactionCounters):
        tally = counters
    else:
        tally = TransactionCounters.from_mapping(counters)
    printer = status.printer
    return Heartbeat(
        sent_at=now,
        app_version=app_version if _VERSION.fullmatch(app_version) else "unknown",
        config_version=_config_version(status),
        interval_seconds=max(int(MIN_INTERVAL_SECONDS), min(86_400, round(interval_seconds))),
        uptime_seconds=max(0, min(_MAX_UPTIME, int((now - started_at).total_seconds()))),
        paused=paused,
        reader=HeartbeatReader(
            present=status.reader.name is not None,
            card_present=status.reader.card_present,
            error=_code(status.reader.error),
        ),
        printer=HeartbeatPrinter(
            state=_printer_state(printer.state),
            reasons=_reasons(printer.reasons),
            needs_staff=printer.needs_staff,
            accepting=printer.accepting,
            paper=paper_of(printer),
            error=_code(printer.error),
        ),
        backend_clock_skew_seconds=_skew(status.backend.clock_skew_seconds),
        counters=HeartbeatCounters(
            started=min(tally.started, _MAX_COUNT),
            completed=min(tally.completed, _MAX_COUNT),
            failed=min(tally.failed, _MAX_COUNT),
            aborted=min(tally.aborted, _MAX_COUNT),
        ),
        last_error_code=_code(last_error),
    )


def _code(value: str | None) -> str | None:
    if not value:
        return None
    return value if _CODE.fullmatch(value) else OTHER_CODE


def _printer_state(value: str | None) -> PrinterState | None:
    try:
        return PrinterState(value) if value is not None else None
    except ValueError:
        return None


def _reasons(reasons: tuple[str, ...]) -> tuple[str, ...]:
    kept: list[str] = []
    for reason in reasons:
        if _IPP_KEYWORD.fullmatch(reason) and reason not in kept:
            kept.append(reason)
    return tuple(kept[:MAX_PRINTER_REASONS])


def _config_version(status: StaffStatus) -> str | None:
    for candidate in (status.config.version, status.config.sha256_prefix):
        if candidate is not None and _VERSION.fullmatch(candidate):
            return candidate
    return None


def _skew(value: float | None) -> float | None:
    if value is None or not math.isfinite(value) or abs(value) > _MAX_SKEW:
        return None
    return round(value, 3)


class LastErrorCode:
    """Remembers the last error code the app showed, until another one replaces it (the View's error_code
    is cleared when the next transaction starts). Thread-safe: `note` from the UI thread, `get` from the
    sender's."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._code: str | None = None

    def note(self, code: str | None) -> None:
        """Keep `code` if it is one ("" and None change nothing)."""
        if code:
            with self._lock:
                self._code = code

    def get(self) -> str | None:
        with self._lock:
            return self._code


def heartbeat_gatherer(
    *,
    status: Callable[[Mapping[str, int]], StaffStatus],
    counters: Callable[[], Mapping[str, int]],
    last_error: Callable[[], str | None],
    paused: Callable[[], bool],
    started_at: datetime,
    clock: Clock,
    app_version: str,
    interval_seconds: float = DEFAULT_INTERVAL_SECONDS,
) -> Callable[[], Heartbeat]:
    """The sender's `gather`: one staff snapshot (`status`, e.g. kiosk/cli/app.py's gather) made into a
    heartbeat. Blocking (the probes wait up to their timeouts): it runs on the sender's thread."""

    def gather() -> Heartbeat:
        tally = dict(counters())
        return build_heartbeat(
            status(tally),
            counters=tally,
            last_error=last_error(),
            paused=paused(),
            started_at=started_at,
            clock=clock,
            app_version=app_version,
            interval_seconds=interval_seconds,
        )

    return gather


def backend_sender(settings: BackendSettings, clock: Clock) -> Callable[[Heartbeat], None]:
    """The sender's `send`: `BackendClient.heartbeat` over its own short connection (the transaction's
    client is not shared between threads)."""

    def send(heartbeat: Heartbeat) -> None:
        with BackendClient(settings, clock=clock) as client:
            client.heartbeat(heartbeat)

    return send


def failure_code(error: BaseException) -> str:
    """What a failed beat is logged as: codes only (an unexpected error's message could hold anything)."""
    if isinstance(error, BackendRefusedError):
        return f"{error.code}:{error.error_code}"
    if isinstance(error, BackendUnavailableError):
        return f"{error.code}:{error.stage}"
    if isinstance(error, KioskError):
        return error.code
    return f"internal:{type(error).__name__}"


class HeartbeatSender:
    """Sends a heartbeat every `interval` seconds (± `jitter`) on its own daemon thread until `stop()`.

    `wait(seconds)` returns True when the sender should stop (default: the stop event's `wait`); tests pass
    their own to drive the loop without sleeping. `random()` returns a float in [0, 1).
    """

    def __init__(
        self,
        gather: Callable[[], Heartbeat],
        send: Callable[[Heartbeat], None],
        *,
        interval: float = DEFAULT_INTERVAL_SECONDS,
        jitter: float = DEFAULT_JITTER,
        first_delay: float = DEFAULT_FIRST_DELAY_SECONDS,
        wait: Callable[[float], bool] | None = None,
        random: Callable[[], float] | None = None,
    ) -> None:
        if not interval >= MIN_INTERVAL_SECONDS:
            raise ValueError(f"the heartbeat interval must be at least {MIN_INTERVAL_SECONDS} s")
        if not 0 <= jitter < 1 or not first_delay >= 0:
            raise ValueError("jitter must be in [0, 1) and first_delay non-negative")
        self._gather = gather
        self._send = send
        self._interval = interval
        self._jitter = jitter
        self._first_delay = first_delay
        self._stop = threading.Event()
        self._wait = wait if wait is not None else self._stop.wait
        self._random = random if random is not None else secrets.SystemRandom().random
        self._thread: threading.Thread | None = None
        self.sent = 0
        self.failed = 0
        self.last_failure: str | None = None

    @property
    def interval(self) -> float:
        return self._interval

    @property
    def stopping(self) -> threading.Event:
        return self._stop

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the heartbeat sender is already started")
        self._thread = threading.Thread(target=self.run, name="kiosk-heartbeat", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 2.0) -> None:
        """Ask the loop to end and wait up to `timeout` for it (a send in flight ends on its own timeout;
        the thread is a daemon, so it never holds the process)."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def run(self) -> None:
        """The loop (the thread's target): wait, beat, until stopped. Never raises."""
        delay = self._first_delay * self._random()
        while not self._stop.is_set():
            try:
                if self._wait(delay) or self._stop.is_set():
                    return
            except Exception as error:  # a broken wait must not spin: stop rather than beat in a loop
                _log.error("heartbeat wait failed: %s; heartbeats stopped", type(error).__name__)
                return
            self.beat()
            delay = self.next_delay()

    def next_delay(self) -> float:
        return self._interval * (1 + self._jitter * (2 * self._random() - 1))

    def beat(self) -> bool:
        """One heartbeat now: gather, send. True when it was sent; a failure is logged by code only."""
        try:
            heartbeat = self._gather()
        except Exception as error:
            self._failed("gather", error)
            return False
        try:
            self._send(heartbeat)
        except Exception as error:
            self._failed("send", error)
            return False
        if self.last_failure is not None:
            _log.info("heartbeat sent again after %s", self.last_failure)
        self.sent += 1
        self.last_failure = None
        return True

    def _failed(self, stage: str, error: Exception) -> None:
        code = failure_code(error)
        self.failed += 1
        # The first failure of a run warns; the same one again (backend down for an hour) only informs.
        level = logging.INFO if code == self.last_failure else logging.WARNING
        _log.log(level, "heartbeat %s failed: %s", stage, code)
        self.last_failure = code
