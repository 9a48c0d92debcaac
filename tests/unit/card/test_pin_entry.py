from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TextIO

import pytest

from kiosk.card.pin_entry import read_pin_line
from kiosk.errors import MalformedPinError


@pytest.fixture
def pipe() -> Iterator[object]:
    streams: list[TextIO] = []

    def make(*chunks: bytes) -> TextIO:
        read_fd, write_fd = os.pipe()
        for chunk in chunks:
            os.write(write_fd, chunk)
        os.close(write_fd)
        stream = open(read_fd, encoding="ascii")  # noqa: SIM115 - closed below
        streams.append(stream)
        return stream

    yield make
    for stream in streams:
        stream.close()


@pytest.mark.parametrize(
    ("chunks", "pin"),
    [
        ((b"1234\n",), b"1234"),
        ((b"1234\r\n",), b"1234"),
        ((b"1234",), b"1234"),
        ((b"12", b"34\n"), b"1234"),
        ((b"1234\n5678\n",), b"1234"),
        ((b"\n",), b""),
        ((b"",), b""),
    ],
)
def test_reads_one_line_into_a_bytearray(pipe, chunks: tuple[bytes, ...], pin: bytes) -> None:  # type: ignore[no-untyped-def]
    result = read_pin_line(pipe(*chunks))
    assert isinstance(result, bytearray)
    assert result == pin


def test_a_line_longer_than_any_pin_is_refused(pipe) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MalformedPinError) as info:
        read_pin_line(pipe(b"1" * 100 + b"\n"))
    assert "1111" not in str(info.value)
