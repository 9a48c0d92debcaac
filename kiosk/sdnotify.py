"""A tiny sd_notify(3) client: tell systemd the kiosk is ready, alive or stopping (no dependency, no Qt).

systemd passes `$NOTIFY_SOCKET` to a `Type=notify` service: an AF_UNIX datagram socket, a path or, when it
starts with "@", a name in the abstract namespace. Each message is one datagram of `KEY=VALUE` lines. Without
`$NOTIFY_SOCKET` (run from a shell, in the tests) every call does nothing and returns False.

The watchdog (`WatchdogSec=` in systemd/kiosk.service) is on when `$WATCHDOG_USEC` is set; `$WATCHDOG_PID`,
when set, names the one process it is meant for, as sd_watchdog_enabled(3) reads it. Under cage the
kiosk is cage's child, not the main process systemd gave `$WATCHDOG_PID` to, so the unit starts it through
`env -u WATCHDOG_PID` (systemd/kiosk.service explains).
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Mapping

__all__ = ["notify", "ready", "status", "stopping", "watchdog", "watchdog_interval"]

NOTIFY_SOCKET = "NOTIFY_SOCKET"
WATCHDOG_USEC = "WATCHDOG_USEC"
WATCHDOG_PID = "WATCHDOG_PID"


def notify(message: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Send `message` (one or more `KEY=VALUE` lines) to `$NOTIFY_SOCKET`; True when it was sent.

    False without `$NOTIFY_SOCKET`, for an address that is neither a path nor "@name", or when the send
    fails (systemd gone, socket full): a notification is never worth stopping the kiosk for."""
    address = environ.get(NOTIFY_SOCKET, "")
    if address.startswith("@"):
        target: str | bytes = b"\0" + address[1:].encode()  # the abstract namespace
    elif address.startswith("/"):
        target = address
    else:
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(target)
            sock.sendall(message.encode())
    except OSError:
        return False
    return True


def ready(environ: Mapping[str, str] = os.environ) -> bool:
    """READY=1: start-up is finished (the kiosk sends it after its first frame)."""
    return notify("READY=1", environ)


def watchdog(environ: Mapping[str, str] = os.environ) -> bool:
    """WATCHDOG=1: still alive (sent from the GUI thread, so a hung event loop stops the pings)."""
    return notify("WATCHDOG=1", environ)


def stopping(environ: Mapping[str, str] = os.environ) -> bool:
    """STOPPING=1: shutting down on purpose (SIGTERM), so a late ping or a slow exit is not a hang."""
    return notify("STOPPING=1", environ)


def status(text: str, environ: Mapping[str, str] = os.environ) -> bool:
    """STATUS=text: one line `systemctl status` shows. Newlines would start another key, so they go."""
    return notify("STATUS=" + " ".join(text.splitlines()), environ)


def watchdog_interval(environ: Mapping[str, str] = os.environ, *, pid: int | None = None) -> float | None:
    """Seconds between WATCHDOG=1 pings: half of `$WATCHDOG_USEC`, as sd_watchdog_enabled(3) advises.

    None when the watchdog is off: no or a malformed or non-positive `$WATCHDOG_USEC`, or a `$WATCHDOG_PID`
    that is not this process (`pid`, default os.getpid()): the variables were inherited from a parent the
    watchdog was meant for."""
    try:
        usec = int(environ.get(WATCHDOG_USEC, ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    if environ.get(WATCHDOG_PID):
        watched: int | None = None
        with contextlib.suppress(ValueError):
            watched = int(environ[WATCHDOG_PID])
        if watched != (os.getpid() if pid is None else pid):
            return None
    return usec / 2_000_000
