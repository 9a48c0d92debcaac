"""The heartbeat end to end: the kiosk's sender thread, with the staff snapshot's real backend probe and
config identity, reports to `kiosk backend serve` over mutual TLS, and `kiosk backend terminals` lists it."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

from kiosk.backend.api import Heartbeat, Paper
from kiosk.clock import SystemClock
from kiosk.heartbeat import HeartbeatSender, LastErrorCode, app_version, backend_sender, heartbeat_gatherer
from kiosk.settings import load_site_config
from kiosk.staff import PrinterSummary, ReaderStatus, backend_probe_for, gather_staff_status
from tests.integration.backend_rig import Deployment, kiosk_command


def test_a_heartbeat_reaches_the_operator_listing(deployment: Deployment) -> None:
    site = load_site_config(deployment.config)
    clock = SystemClock()
    backend_probe = backend_probe_for(site.backend, clock)

    def status(counters: object) -> object:
        return gather_staff_status(
            reader_probe=lambda: ReaderStatus("Test reader", card_present=False),
            printer_probe=lambda: PrinterSummary("stopped", ("media-empty-error",), True, True),
            backend_probe=backend_probe,
            config_path=deployment.config,
            counters=counters,  # type: ignore[arg-type]
        )

    last_error = LastErrorCode()
    last_error.note("card-removed")
    gather = heartbeat_gatherer(
        status=status,  # type: ignore[arg-type]
        counters=lambda: {"started": 7, "completed": 5, "failed": 1, "aborted": 1},
        last_error=last_error.get,
        paused=lambda: False,
        started_at=clock.now() - timedelta(minutes=3),
        clock=clock,
        app_version=app_version(),
        interval_seconds=60,
    )
    send = backend_sender(site.backend, clock)
    sent: list[Heartbeat] = []
    delivered = threading.Event()

    def send_and_note(heartbeat: Heartbeat) -> None:
        send(heartbeat)
        sent.append(heartbeat)
        delivered.set()

    sender = HeartbeatSender(gather, send_and_note, interval=60, first_delay=0)
    sender.start()
    try:
        assert delivered.wait(30), f"no heartbeat sent (last failure: {sender.last_failure})"
    finally:
        sender.stop(timeout=10)
    assert (sender.sent, sender.failed) == (1, 0)

    result = kiosk_command("backend", "terminals", "--data", str(deployment.data), "--json")
    assert result.returncode == 0, result.stderr
    listed = {item["terminal"]: item for item in json.loads(result.stdout)}
    mine = listed[site.terminal.id]
    assert (mine["status"], mine["stale"]) == ("ok", False)
    assert Heartbeat.model_validate_json(json.dumps(mine["heartbeat"])) == sent[0]
    beat = sent[0]
    assert beat.printer.paper is Paper.OUT and beat.reader.present
    assert (beat.counters.started, beat.last_error_code) == (7, "card-removed")
    assert beat.uptime_seconds >= 180
    assert beat.backend_clock_skew_seconds is not None and abs(beat.backend_clock_skew_seconds) < 5
    assert beat.config_version is not None

    text = kiosk_command("backend", "terminals", "--data", str(deployment.data))
    assert text.returncode == 0, text.stderr
    (line,) = [row for row in text.stdout.splitlines() if row.startswith(site.terminal.id + " ")]
    assert "printer stopped paper out" in line and "counters 7/5/1/1" in line
