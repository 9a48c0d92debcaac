"""Reading a PIN from a stream (the CLI's stdin, a terminal) into a bytearray that the caller zeroes.

A PIN never passes through `str` or `bytes`: both are immutable, so a copy would stay in memory.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import termios
from collections.abc import Iterator
from typing import TextIO

from kiosk.errors import MalformedPinError

__all__ = ["read_pin_line"]

#: One line of PIN; anything longer is not a PIN and is refused without being kept.
_PIN_LINE_MAX = 64


def read_pin_line(stream: TextIO) -> bytearray:
    """One line from `stream` into a bytearray, without an immutable copy of it staying behind.

    On a terminal echo is switched off. The trailing newline (and CR) is dropped; a line longer than a
    PIN could be is refused as malformed without being kept.
    """
    fd = stream.fileno()
    with _no_echo(fd):
        if os.isatty(fd):
            sys.stderr.write("PIN: ")
            sys.stderr.flush()
        raw = io.FileIO(fd, closefd=False)
        buffer = bytearray(_PIN_LINE_MAX + 1)
        view = memoryview(buffer)
        filled = 0
        try:
            while filled < len(buffer) and buffer.find(b"\n", 0, filled) < 0:
                count = raw.readinto(view[filled:])
                if not count:
                    break
                filled += count
            end = buffer.find(b"\n", 0, filled)
            length = filled if end < 0 else end
            if length and buffer[length - 1] == 0x0D:
                length -= 1
            too_long = length > _PIN_LINE_MAX
            pin = bytearray(0 if too_long else length)
            pin[:] = view[: len(pin)]
        finally:
            view.release()
            buffer[:] = bytes(len(buffer))
    if too_long:
        raise MalformedPinError("the PIN line is too long")
    return pin


@contextlib.contextmanager
def _no_echo(fd: int) -> Iterator[None]:
    if not os.isatty(fd):
        yield
        return
    old = termios.tcgetattr(fd)
    new = termios.tcgetattr(fd)
    new[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSADRAIN, new)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
        sys.stderr.write("\n")
