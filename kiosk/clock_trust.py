"""Whether the terminal may trust its own clock.

Service hours, the 12/29–1/3 closure and certificate validity are all decided on this terminal's clock, so
the kiosk refuses service (`clock-untrusted`) when the system clock is not synchronised, or differs from the
backend's Date header by more than a configured bound. Two inputs feed that decision:

- the kernel's own view, read here with adjtimex(2) in read-only mode (`system_clock_synchronised`);
- the skew against the backend's Date header, measured by the backend client (kiosk/backend/http.py).

Why adjtimex and not `timedatectl show -p NTPSynchronized`: timedatectl asks systemd-timedated over D-Bus,
so it needs systemd, a system bus and a subprocess, none of which a container or a minimal terminal image is
sure to have, and it is one more text format to parse. The kernel keeps the synchronisation status itself,
and the time daemons report to it: systemd-timesyncd clears STA_UNSYNC and resets `maxerror` on every
adjustment, chronyd does the same (see the note), and ntpd too. When nobody does, the kernel grows
`maxerror` by 500 µs a second and sets STA_UNSYNC once it passes 16 s. Reading needs no privileges.

Deployment note: on Linux chronyd clears STA_UNSYNC only when `rtcsync` is in chrony.conf (Debian's default
has it), because a clear flag also turns on the kernel's 11-minute copy of the time to the RTC. Without it a
synchronised terminal reads as not synchronised here and refuses service: the safe direction, but configure
`rtcsync`. (systemd's timedated ignores the flag for that reason and checks maxerror < 16 s instead.)
"""

from __future__ import annotations

import ctypes
import logging
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "REASON_NOT_SYNCHRONISED",
    "REASON_SKEW",
    "REASON_SYNC_UNKNOWN",
    "STA_UNSYNC",
    "TIME_ERROR",
    "AdjtimexCall",
    "ClockTrust",
    "Timex",
    "assess_clock",
    "system_clock_synchronised",
]

_log = logging.getLogger(__name__)

# adjtimex(2) returns the clock state; TIME_ERROR means "not synchronised" (the kernel returns it whenever
# STA_UNSYNC or STA_CLOCKERR is set). TIME_OK, TIME_INS, TIME_DEL, TIME_OOP and TIME_WAIT are all synchronised
# states around leap seconds.
TIME_ERROR = 5
STA_UNSYNC = 0x0040

REASON_NOT_SYNCHRONISED = "not-synchronised"
REASON_SKEW = "skew"
REASON_SYNC_UNKNOWN = "sync-unknown"


class _Timeval(ctypes.Structure):
    _fields_ = (("tv_sec", ctypes.c_long), ("tv_usec", ctypes.c_long))


class Timex(ctypes.Structure):
    """glibc's `struct timex` (<bits/timex.h>): 208 bytes on x86_64, `status` at offset 40.

    The `long` fields are `__syscall_slong_t` in glibc, which is `long` on every Linux ABI but x32. The eleven
    trailing int32 fields are padding the kernel reserves; they must be there, since the kernel writes the
    whole structure back.
    """

    # Annotations only, for the type checker; the fields themselves come from _fields_.
    modes: int
    maxerror: int
    esterror: int
    status: int

    _fields_ = (
        ("modes", ctypes.c_uint),
        ("offset", ctypes.c_long),
        ("freq", ctypes.c_long),
        ("maxerror", ctypes.c_long),
        ("esterror", ctypes.c_long),
        ("status", ctypes.c_int),
        ("constant", ctypes.c_long),
        ("precision", ctypes.c_long),
        ("tolerance", ctypes.c_long),
        ("time", _Timeval),
        ("tick", ctypes.c_long),
        ("ppsfreq", ctypes.c_long),
        ("jitter", ctypes.c_long),
        ("shift", ctypes.c_int),
        ("stabil", ctypes.c_long),
        ("jitcnt", ctypes.c_long),
        ("calcnt", ctypes.c_long),
        ("errcnt", ctypes.c_long),
        ("stbcnt", ctypes.c_long),
        ("tai", ctypes.c_int),
        ("_reserved", ctypes.c_int32 * 11),
    )


# Fills the structure it is given and returns adjtimex's result (-1 on failure). Injected by tests.
AdjtimexCall = Callable[[Timex], int]


def system_clock_synchronised(adjtimex: AdjtimexCall | None = None) -> bool | None:
    """True when the kernel says its clock is synchronised, False when not, None when it cannot tell.

    None means the platform has no adjtimex (not Linux) or the call failed; `assess_clock` decides what an
    unknown status is worth.
    """
    call = adjtimex if adjtimex is not None else _libc_adjtimex()
    if call is None:
        return None
    buffer = Timex()  # ctypes zero-fills: modes = 0 asks for a read and changes nothing
    state = call(buffer)
    if state < 0:
        _log.warning("adjtimex failed (errno %d); clock synchronisation unknown", ctypes.get_errno())
        return None
    return state != TIME_ERROR and not buffer.status & STA_UNSYNC


def _libc_adjtimex() -> AdjtimexCall | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        # The process's own symbol table: libc is already loaded, so no library search (and no ldconfig run).
        function = ctypes.CDLL(None, use_errno=True).adjtimex
    except (OSError, AttributeError):
        return None
    function.argtypes = (ctypes.POINTER(Timex),)
    function.restype = ctypes.c_int

    def call(buffer: Timex) -> int:
        ctypes.set_errno(0)
        return int(function(ctypes.byref(buffer)))

    return call


@dataclass(frozen=True)
class ClockTrust:
    """The verdict; `reason` is None when trusted, else one of the REASON_* codes."""

    trusted: bool
    reason: str | None
    skew_seconds: float | None


def assess_clock(
    *, synchronised: bool | None, skew_seconds: float | None, max_skew_seconds: float
) -> ClockTrust:
    """Trust the clock only when nothing says it is wrong and something says it is right.

    `skew_seconds` is this terminal's clock minus the backend's Date (either sign), None when not measured.
    """
    if not (math.isfinite(max_skew_seconds) and max_skew_seconds > 0):
        raise ValueError(f"the skew bound must be a positive number of seconds, not {max_skew_seconds!r}")
    # The kernel's "not synchronised" is the root cause an operator must fix, so it wins over a skew.
    if synchronised is False:
        return ClockTrust(False, REASON_NOT_SYNCHRONISED, skew_seconds)
    if skew_seconds is not None and not _within(skew_seconds, max_skew_seconds):
        return ClockTrust(False, REASON_SKEW, skew_seconds)
    # Unknown synchronisation (no adjtimex: not Linux, or the call failed) is not evidence of a good clock.
    # A backend Date within the bound is: it comes over mutual TLS from the party whose time matters, so it
    # is enough on its own. Without either, the kiosk has no reason to believe its clock and refuses.
    if synchronised is None and skew_seconds is None:
        return ClockTrust(False, REASON_SYNC_UNKNOWN, None)
    return ClockTrust(True, None, skew_seconds)


def _within(skew_seconds: float, bound: float) -> bool:
    # Written as "finite and within" so that a NaN skew, which compares false with everything, is outside:
    # a measurement that cannot be read proves nothing.
    return math.isfinite(skew_seconds) and abs(skew_seconds) <= bound
