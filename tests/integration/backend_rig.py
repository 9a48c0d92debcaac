"""The reference backend as a real process: `kiosk backend init` and `kiosk backend serve` on 127.0.0.1.

The data directory's hours are widened to the whole day so that the suite passes at 3 a.m. too; the hours
rules themselves are unit-tested with fixed clocks.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from municipal.db import Database
from tests.always_open import open_all_day

__all__ = ["BackendProcess", "Deployment", "free_port", "init_backend", "kiosk_command"]

_READY = re.compile(r"backend listening on https://[^:]+:(\d+)")
_START_TIMEOUT = 30.0


def kiosk_command(
    *argv: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def init_backend(data: Path, port: int) -> dict[str, Any]:
    result = kiosk_command("backend", "init", "--data", str(data), "--port", str(port), "--json")
    assert result.returncode == 0, result.stderr
    open_all_day(data)
    return dict(json.loads(result.stdout))


@dataclass
class BackendProcess:
    """`kiosk backend serve` in a subprocess; stopped by its PID, its stderr kept for log scans."""

    data: Path
    port: int
    extra: tuple[str, ...] = ()
    log_path: Path = field(init=False)
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.log_path = self.data.parent / f"backend-{self.port}.log"

    def start(self) -> None:
        self.log_path.write_bytes(b"")
        log = self.log_path.open("ab")
        env = {**os.environ, "KIOSK_LOG_LEVEL": "INFO"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kiosk",
                "backend",
                "serve",
                "--data",
                str(self.data),
                "--port",
                str(self.port),
                *self.extra,
            ],
            stdout=log,
            stderr=log,
            env=env,
        )
        log.close()
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"backend exited: {self.log_path.read_text(errors='replace')}")
            if _READY.search(self.log_path.read_text(errors="replace")):
                return
            select.select([], [], [], 0.05)
        self.stop()
        raise RuntimeError("backend did not start within the timeout")

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def __enter__(self) -> BackendProcess:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


@dataclass
class Deployment:
    data: Path
    port: int
    backend: BackendProcess
    residents: list[dict[str, Any]]

    @property
    def config(self) -> Path:
        return self.data / "kiosk.toml"

    def database(self) -> Database:
        return Database(self.data / "backend.db")

    def config_with_printer(self, server: str, name: str) -> Path:
        """A copy of kiosk.toml (beside it, so its relative paths hold) printing to the `Kiosk` queue of the
        cupsd at `server`."""
        config = self.data / f"kiosk-print-{name}.toml"
        text = self.config.read_text(encoding="utf-8")
        printer = f'[printer]\nqueue = "Kiosk"\nserver = "{server}"\nprogress_timeout = 10.0\n\n'
        config.write_text(text.replace("[calendar]", printer + "[calendar]", 1), encoding="utf-8")
        return config


def running_backend(data: Path, port: int, *extra: str) -> Iterator[BackendProcess]:
    with BackendProcess(data, port, tuple(extra)) as backend:
        yield backend
