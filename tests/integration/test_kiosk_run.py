"""`kiosk run` on a real X display (Xvfb, no TCP listener): full screen on the whole primary screen, the
window manager's close ignored, and a clean exit on SIGTERM (how systemd stops it)."""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cups_rig import CupsRig
from tests.integration.backend_rig import Deployment

pytestmark = pytest.mark.integration

WIDTH, HEIGHT = 1280, 1024


@pytest.fixture
def display() -> Iterator[str]:
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed: run.sh installs the Debian package xvfb", pytrace=False)
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", f"{WIDTH}x{HEIGHT}x24"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as announced:
            number = announced.readline().strip().decode()
        assert number.isdigit(), "Xvfb did not announce its display"
        yield f":{number}"
    finally:
        xvfb.terminate()
        try:
            xvfb.wait(timeout=10)
        except subprocess.TimeoutExpired:
            xvfb.kill()
            xvfb.wait()


def _read_until(process: subprocess.Popen[bytes], marker: bytes, timeout: float) -> bytes:
    assert process.stderr is not None
    seen = b""
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or process.poll() is not None:
            raise AssertionError(
                f"no {marker!r} from kiosk run; it said:\n{seen.decode(errors='replace')[-3000:]}"
            )
        if selector.select(left):
            chunk = os.read(process.stderr.fileno(), 65536)
            if not chunk:
                continue
            seen += chunk
    return seen


def _datagrams(sock: socket.socket, until: bytes, timeout: float) -> list[bytes]:
    received: list[bytes] = []
    deadline = time.monotonic() + timeout
    while until not in received and time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            received.append(sock.recv(4096))
        except TimeoutError:
            break
    return received


def test_kiosk_run_is_full_screen_talks_to_systemd_and_stops_on_sigterm(
    deployment: Deployment, cupsd: CupsRig, display: str, tmp_path: Path
) -> None:
    config = deployment.config_with_printer(cupsd.server, tmp_path.name)
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify.sock"))
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "KIOSK_LOG_LEVEL": "INFO",
        "XDG_RUNTIME_DIR": str(tmp_path),
        "KIOSK_JOURNAL": str(tmp_path / "journal.db"),
        # What systemd gives a Type=notify service with WatchdogSec=1 (no WATCHDOG_PID: see kiosk.service).
        "NOTIFY_SOCKET": str(tmp_path / "notify.sock"),
        "WATCHDOG_USEC": "1000000",
    }
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--config", str(config)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        said = _read_until(kiosk, b"first frame:", timeout=60).decode(errors="replace")
        line = next(line for line in said.splitlines() if "first frame:" in line)
        assert f"window {WIDTH}x{HEIGHT}+0+0" in line, line
        assert f"{WIDTH}x{HEIGHT}, FullScreen" in line, line
        messages = _datagrams(notify, b"WATCHDOG=1", timeout=10)
        assert b"READY=1" in messages and b"WATCHDOG=1" in messages, messages
        kiosk.send_signal(signal.SIGTERM)
        assert kiosk.wait(timeout=30) == 0
        assert b"STOPPING=1" in _datagrams(notify, b"STOPPING=1", timeout=2)
    finally:
        notify.close()
        if kiosk.poll() is None:
            kiosk.kill()
            kiosk.wait()
