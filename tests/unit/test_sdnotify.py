"""kiosk.sdnotify against a real AF_UNIX datagram socket, as systemd's $NOTIFY_SOCKET is."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from kiosk import sdnotify


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[socket.socket, dict[str, str]]]:
    """A datagram socket at a path, and the environment that points to it."""
    path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        sock.settimeout(5)
        yield sock, {"NOTIFY_SOCKET": str(path)}


def _received(sock: socket.socket) -> str:
    return sock.recv(4096).decode()


def test_ready_is_one_datagram(listener: tuple[socket.socket, dict[str, str]]) -> None:
    sock, environ = listener
    assert sdnotify.ready(environ) is True
    assert _received(sock) == "READY=1"


@pytest.mark.parametrize(
    ("send", "expected"),
    [
        (sdnotify.watchdog, "WATCHDOG=1"),
        (sdnotify.stopping, "STOPPING=1"),
        (sdnotify.ready, "READY=1"),
    ],
)
def test_each_helper_sends_its_message(
    listener: tuple[socket.socket, dict[str, str]],
    send: Callable[[Mapping[str, str]], bool],
    expected: str,
) -> None:
    sock, environ = listener
    assert send(environ) is True
    assert _received(sock) == expected


def test_status_is_one_line(listener: tuple[socket.socket, dict[str, str]]) -> None:
    sock, environ = listener
    assert sdnotify.status("printer: paper out\nREADY=1", environ) is True
    assert _received(sock) == "STATUS=printer: paper out READY=1"


def test_several_lines_in_one_message(listener: tuple[socket.socket, dict[str, str]]) -> None:
    sock, environ = listener
    assert sdnotify.notify("READY=1\nSTATUS=open", environ) is True
    assert _received(sock) == "READY=1\nSTATUS=open"


def test_messages_arrive_in_order(listener: tuple[socket.socket, dict[str, str]]) -> None:
    sock, environ = listener
    sdnotify.ready(environ)
    sdnotify.watchdog(environ)
    sdnotify.stopping(environ)
    assert [_received(sock) for _ in range(3)] == ["READY=1", "WATCHDOG=1", "STOPPING=1"]


def test_abstract_namespace() -> None:
    name = f"kiosk-test-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(5)
        assert sdnotify.ready({"NOTIFY_SOCKET": "@" + name}) is True
        assert _received(sock) == "READY=1"


def test_uses_os_environ_by_default(
    listener: tuple[socket.socket, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    sock, environ = listener
    monkeypatch.setenv("NOTIFY_SOCKET", environ["NOTIFY_SOCKET"])
    assert sdnotify.watchdog() is True
    assert _received(sock) == "WATCHDOG=1"


@pytest.mark.parametrize("environ", [{}, {"NOTIFY_SOCKET": ""}, {"NOTIFY_SOCKET": "relative/path"}])
def test_no_socket_is_a_no_op(environ: dict[str, str]) -> None:
    assert sdnotify.notify("READY=1", environ) is False
    assert sdnotify.ready(environ) is False


def test_no_op_without_socket_in_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert sdnotify.ready() is False


def test_gone_socket_is_false_not_an_error(tmp_path: Path) -> None:
    assert sdnotify.ready({"NOTIFY_SOCKET": str(tmp_path / "nobody-listens")}) is False
    assert sdnotify.ready({"NOTIFY_SOCKET": f"@kiosk-test-{uuid.uuid4().hex}"}) is False


def test_watchdog_interval_is_half_the_timeout() -> None:
    assert sdnotify.watchdog_interval({"WATCHDOG_USEC": "30000000"}) == 15.0
    assert sdnotify.watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}) == 15.0
    assert sdnotify.watchdog_interval({"WATCHDOG_USEC": "1000", "WATCHDOG_PID": "42"}, pid=42) == 0.0005


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"WATCHDOG_USEC": ""},
        {"WATCHDOG_USEC": "soon"},
        {"WATCHDOG_USEC": "0"},
        {"WATCHDOG_USEC": "-5"},
        {"WATCHDOG_PID": str(os.getpid())},
        # inherited from the parent (cage, the unit's main process) the watchdog was meant for
        {"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid() + 1)},
        {"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "cage"},
    ],
)
def test_watchdog_off(environ: dict[str, str]) -> None:
    assert sdnotify.watchdog_interval(environ) is None


def test_watchdog_interval_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHDOG_USEC", "20000000")
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    assert sdnotify.watchdog_interval() == 10.0
    monkeypatch.delenv("WATCHDOG_USEC")
    assert sdnotify.watchdog_interval() is None
