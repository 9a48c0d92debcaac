"""kiosk/heartbeat.py: the heartbeat built from a staff snapshot; the sender loop driven by a fake wait."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from kiosk.backend.api import Heartbeat, Paper, PrinterState
from kiosk.clock import FixedClock
from kiosk.errors import BackendRefusedError, BackendUnavailableError, NoReaderError
from kiosk.heartbeat import (
    HeartbeatSender,
    LastErrorCode,
    app_version,
    build_heartbeat,
    failure_code,
    heartbeat_gatherer,
    paper_of,
)
from kiosk.staff import (
    BackendStatus,
    ConfigIdentity,
    PrinterSummary,
    ReaderStatus,
    StaffStatus,
    TransactionCounters,
)

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
STARTED = NOW - timedelta(hours=2, seconds=5)
CLOCK = FixedClock(NOW)

STATUS = StaffStatus(
    reader=ReaderStatus("ACS ACR1252 Dual Reader [PICC] 00 00", card_present=False),
    printer=PrinterSummary(state="idle", reasons=("none",), needs_staff=False, accepting=True),
    backend=BackendStatus(reachable=True, clock_skew_seconds=-1.25),
    config=ConfigIdentity("/etc/kiosk/kiosk.toml", "0123456789ab", "2026.04"),
    counters=TransactionCounters(started=5, completed=3, failed=1, aborted=1),
)


def build(status: StaffStatus = STATUS, **changes: object) -> Heartbeat:
    values: dict[str, object] = {
        "last_error": None,
        "paused": False,
        "started_at": STARTED,
        "clock": CLOCK,
        "app_version": "0.1.0",
    }
    values.update(changes)
    return build_heartbeat(status, **values)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------ building


def test_a_heartbeat_from_a_snapshot() -> None:
    beat = build(last_error="backend-unavailable", paused=True)
    assert json.loads(beat.model_dump_json()) == {
        "sent_at": "2026-11-24T03:00:00+00:00",
        "app_version": "0.1.0",
        "config_version": "2026.04",
        "interval_seconds": 300,
        "uptime_seconds": 7205,
        "paused": True,
        "reader": {"present": True, "card_present": False, "error": None},
        "printer": {
            "state": "idle",
            "reasons": ["none"],
            "needs_staff": False,
            "accepting": True,
            "paper": "ok",
            "error": None,
        },
        "backend_clock_skew_seconds": -1.25,
        "counters": {"started": 5, "completed": 3, "failed": 1, "aborted": 1},
        "last_error_code": "backend-unavailable",
    }


def test_the_reader_name_is_not_sent() -> None:
    # The name is free text from the driver: the heartbeat says only whether there is a reader.
    assert "ACR1252" not in build().model_dump_json()


def test_counters_given_beside_the_snapshot_win() -> None:
    assert build(counters={"started": 9, "failed": 2}).counters.model_dump() == {
        "started": 9,
        "completed": 0,
        "failed": 2,
        "aborted": 0,
    }
    given = TransactionCounters(1, 1, 0, 0)
    assert build(counters=given).counters.started == 1


@pytest.mark.parametrize(
    ("printer", "paper"),
    [
        (PrinterSummary("idle", ("none",), False, True), Paper.OK),
        (PrinterSummary("idle", ("media-low-report",), False, True), Paper.OK),
        (PrinterSummary("stopped", ("media-empty-error",), True, True), Paper.OUT),
        (PrinterSummary("stopped", ("media-needed",), True, True), Paper.OUT),
        (PrinterSummary.failed("printer-unavailable"), Paper.UNKNOWN),
    ],
)
def test_paper(printer: PrinterSummary, paper: Paper) -> None:
    assert paper_of(printer) is paper


def test_a_failed_probe_becomes_codes() -> None:
    status = replace(
        STATUS,
        reader=ReaderStatus(None, False, NoReaderError.code),
        printer=PrinterSummary.failed("printer-unavailable"),
        backend=BackendStatus(False, None, "backend-unavailable"),
        config=ConfigIdentity("/x", None, None, "config-unreadable"),
    )
    beat = build(status)
    assert beat.reader.model_dump() == {"present": False, "card_present": False, "error": "no-reader"}
    assert (beat.printer.state, beat.printer.paper, beat.printer.error) == (
        None,
        Paper.UNKNOWN,
        "printer-unavailable",
    )
    assert beat.backend_clock_skew_seconds is None
    assert beat.config_version is None


def test_free_text_never_gets_through() -> None:
    # Whatever a probe or a caller hands over, only the wire charset is sent: no names, no spaces.
    status = replace(
        STATUS,
        printer=PrinterSummary(
            "offline?", ("media-empty-error", "Yamada Taro", "media-empty-error", "x" * 80), True, False
        ),
        config=ConfigIdentity("/x", "0123456789ab", "spring 2026 (山田)"),
        backend=BackendStatus(True, float("nan")),
    )
    beat = build(status, last_error="refused:moved-out", app_version="1.0 beta")
    assert beat.printer.state is None
    assert beat.printer.reasons == ("media-empty-error",)
    assert beat.config_version == "0123456789ab"  # the hash stands in for a version it cannot send
    assert beat.app_version == "unknown"
    assert beat.last_error_code == "refused:moved-out"
    assert beat.backend_clock_skew_seconds is None
    assert build(last_error="山田 様").last_error_code == "other"
    assert build(last_error="").last_error_code is None


def test_odd_numbers_are_clamped() -> None:
    beat = build(started_at=NOW + timedelta(minutes=1), interval_seconds=1)
    assert (beat.uptime_seconds, beat.interval_seconds) == (0, 10)
    assert build(interval_seconds=600.4).interval_seconds == 600


def test_the_wire_type_refuses_extra_fields_and_free_text() -> None:
    good = json.loads(build().model_dump_json())
    assert Heartbeat.model_validate_json(json.dumps(good)) == build()
    for bad in (
        {**good, "terminal_id": "T0002"},
        {**good, "last_error_code": "Yamada Taro"},
        {**good, "app_version": "1 2"},
        {**good, "printer": {**good["printer"], "reasons": ["山田"]}},
        {**good, "printer": {**good["printer"], "paper": "empty"}},
        {**good, "reader": {**good["reader"], "name": "reader"}},
        {**good, "counters": {**good["counters"], "started": -1}},
        {**good, "sent_at": "2026-11-24T03:00:00"},
    ):
        with pytest.raises(ValidationError):
            Heartbeat.model_validate_json(json.dumps(bad))
    assert PrinterState("stopped") is PrinterState.STOPPED


def test_app_version_is_a_label() -> None:
    assert app_version() != ""


def test_last_error_code_keeps_the_last_one() -> None:
    last = LastErrorCode()
    assert last.get() is None
    last.note("card-removed")
    last.note("")
    last.note(None)
    assert last.get() == "card-removed"
    last.note("backend-unavailable")
    assert last.get() == "backend-unavailable"


def test_the_gatherer_asks_the_staff_snapshot_with_the_live_counters() -> None:
    counters = {"started": 2, "completed": 1, "failed": 0, "aborted": 1}
    asked: list[dict[str, int]] = []

    def status(given: object) -> StaffStatus:
        asked.append(dict(given))  # type: ignore[call-overload]
        return STATUS

    gather = heartbeat_gatherer(
        status=status,
        counters=lambda: counters,
        last_error=lambda: "card-timeout",
        paused=lambda: True,
        started_at=STARTED,
        clock=CLOCK,
        app_version="0.1.0",
        interval_seconds=120,
    )
    beat = gather()
    assert asked == [counters]
    assert (beat.counters.started, beat.last_error_code, beat.paused, beat.interval_seconds) == (
        2,
        "card-timeout",
        True,
        120,
    )


# ------------------------------------------------------------------------------------------ sending


class FakeWait:
    """Records each wait; says "stop" after `rounds` waits."""

    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> bool:
        self.delays.append(seconds)
        return len(self.delays) > self.rounds


def sender(
    wait: Callable[[float], bool],
    *,
    send: Callable[[Heartbeat], None] | None = None,
    gather: Callable[[], Heartbeat] | None = None,
    random: float = 0.5,
) -> tuple[HeartbeatSender, list[Heartbeat]]:
    sent: list[Heartbeat] = []
    return (
        HeartbeatSender(
            gather or build,
            send or sent.append,
            interval=300,
            jitter=0.1,
            first_delay=15,
            wait=wait,
            random=lambda: random,
        ),
        sent,
    )


def test_the_loop_waits_then_beats_until_told_to_stop() -> None:
    wait = FakeWait(rounds=3)
    running, sent = sender(wait)
    running.run()
    assert wait.delays == [7.5, 300.0, 300.0, 300.0]
    assert len(sent) == 3 and running.sent == 3 and running.failed == 0


@pytest.mark.parametrize(("random", "delay"), [(0.0, 270.0), (0.5, 300.0), (0.999, 329.94)])
def test_jitter(random: float, delay: float) -> None:
    running, _ = sender(FakeWait(0), random=random)
    assert running.next_delay() == pytest.approx(delay)


def test_failures_are_logged_by_code_and_never_raised(caplog: pytest.LogCaptureFixture) -> None:
    errors: list[Exception] = [
        BackendUnavailableError("heartbeat", "connect"),
        BackendUnavailableError("heartbeat", "connect"),
        BackendRefusedError("heartbeat", 403, "unknown-terminal", None),
        RuntimeError("Yamada Taro, 1-2-3 Chiyoda"),
    ]

    def send(_: Heartbeat) -> None:
        if errors:
            raise errors.pop(0)

    caplog.set_level(logging.INFO, logger="kiosk.heartbeat")
    running, _ = sender(FakeWait(rounds=5), send=send)
    running.run()
    assert (running.sent, running.failed, running.last_failure) == (1, 4, None)
    messages = [(record.levelno, record.getMessage()) for record in caplog.records]
    assert messages == [
        (logging.WARNING, "heartbeat send failed: backend-unavailable:connect"),
        (logging.INFO, "heartbeat send failed: backend-unavailable:connect"),
        (logging.WARNING, "heartbeat send failed: backend-refused:unknown-terminal"),
        (logging.WARNING, "heartbeat send failed: internal:RuntimeError"),
        (logging.INFO, "heartbeat sent again after internal:RuntimeError"),
    ]
    assert "Yamada" not in caplog.text


def test_a_failing_gather_skips_the_send() -> None:
    def gather() -> Heartbeat:
        raise NoReaderError("ACR", ())

    running, sent = sender(FakeWait(rounds=2), gather=gather)
    running.run()
    assert (sent, running.failed, running.last_failure) == ([], 2, "no-reader")


def test_failure_codes() -> None:
    assert failure_code(BackendUnavailableError("heartbeat", "tls")) == "backend-unavailable:tls"
    assert failure_code(ValueError("secret")) == "internal:ValueError"


def test_stop_before_the_first_beat_sends_nothing() -> None:
    running, sent = sender(FakeWait(rounds=10))
    running.stop()
    running.run()
    assert sent == []


def test_a_broken_wait_stops_the_loop() -> None:
    def wait(_: float) -> bool:
        raise OSError("boom")

    running, sent = sender(wait)
    running.run()  # returns, does not raise or spin
    assert sent == []


def test_the_thread_stops_on_stop() -> None:
    # The real wait (the stop event) with the real thread: stop() wakes it at once.
    sent: list[Heartbeat] = []
    beat_sent = threading.Event()

    def send(heartbeat: Heartbeat) -> None:
        sent.append(heartbeat)
        beat_sent.set()

    running = HeartbeatSender(build, send, interval=300, first_delay=0)
    running.start()
    assert beat_sent.wait(10)
    running.stop(timeout=10)
    assert running._thread is not None and not running._thread.is_alive()
    assert len(sent) == 1
    with pytest.raises(RuntimeError):
        running.start()


@pytest.mark.parametrize("changes", [{"interval": 5}, {"jitter": 1.0}, {"jitter": -0.1}, {"first_delay": -1}])
def test_bad_timing_is_refused(changes: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        HeartbeatSender(build, lambda _: None, **changes)  # type: ignore[arg-type]
