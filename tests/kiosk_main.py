"""Run the `kiosk` command in the test process, with standard input on a real pipe.

The PIN reader wants a file descriptor (as in production), so a StringIO will not do; running in-process
saves an interpreter start per call.
"""

from __future__ import annotations

import os
import sys

import pytest

from kiosk.cli import main

__all__ = ["run_kiosk"]


def run_kiosk(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = ""
) -> tuple[int, str, str]:
    """`kiosk ARGV`; returns (exit status, stdout, stderr)."""
    read_end, write_end = os.pipe()
    os.write(write_end, stdin.encode())
    os.close(write_end)
    with os.fdopen(read_end, "r") as pipe:
        monkeypatch.setattr(sys, "stdin", pipe)
        status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err
