"""Clock trust: the adjtimex reader (with a fake libc call, and once for real) and the verdict's rules."""

from __future__ import annotations

import ctypes
import math
import sys

import pytest

from kiosk.clock_trust import (
    REASON_NOT_SYNCHRONISED,
    REASON_SKEW,
    REASON_SYNC_UNKNOWN,
    STA_UNSYNC,
    TIME_ERROR,
    AdjtimexCall,
    ClockTrust,
    Timex,
    assess_clock,
    system_clock_synchronised,
)

TIME_OK = 0
TIME_WAIT = 4  # a leap second has just passed: still synchronised
STA_PLL = 0x0001
STA_NANO = 0x2000


def fake_adjtimex(state: int, status: int, seen: list[int] | None = None) -> AdjtimexCall:
    """A stand-in for libc's adjtimex: records the modes it was asked for, fills `status`, returns `state`."""

    def call(buffer: Timex) -> int:
        if seen is not None:
            seen.append(buffer.modes)
        buffer.status = status
        return state

    return call


# ---------------------------------------------------------------- reading the kernel's status


def test_synchronised_clock() -> None:
    modes: list[int] = []
    assert system_clock_synchronised(fake_adjtimex(TIME_OK, STA_PLL | STA_NANO, modes)) is True
    assert modes == [0]  # read only: nothing is asked to change


def test_leap_second_states_are_still_synchronised() -> None:
    assert system_clock_synchronised(fake_adjtimex(TIME_WAIT, STA_PLL)) is True


def test_time_error_return_means_not_synchronised() -> None:
    # The kernel also returns TIME_ERROR for STA_CLOCKERR and PPS faults, with STA_UNSYNC clear.
    assert system_clock_synchronised(fake_adjtimex(TIME_ERROR, STA_PLL)) is False


def test_unsync_bit_means_not_synchronised() -> None:
    assert system_clock_synchronised(fake_adjtimex(TIME_OK, STA_PLL | STA_UNSYNC)) is False


def test_failing_call_means_unknown() -> None:
    assert system_clock_synchronised(fake_adjtimex(-1, 0)) is None


def test_struct_timex_has_glibc_layout() -> None:
    # Figures from offsetof/sizeof on x86_64 glibc 2.36; every LP64 Linux ABI lays it out the same way.
    if sys.platform != "linux" or ctypes.sizeof(ctypes.c_long) != 8:
        pytest.skip("the figures are those of 64-bit Linux")
    assert ctypes.sizeof(Timex) == 208
    assert (Timex.maxerror.offset, Timex.status.offset, Timex.time.offset) == (24, 40, 72)  # type: ignore[attr-defined]
    assert (Timex.shift.offset, Timex.tai.offset) == (112, 160)


def test_real_adjtimex_answers() -> None:
    # The machine's clock may or may not be synchronised; only the shape of the answer is ours to check.
    # (A seccomp filter may refuse the call in a sandbox: None is a legitimate answer then.)
    answer = system_clock_synchronised()
    assert answer is None or isinstance(answer, bool)


# ---------------------------------------------------------------- the verdict


@pytest.mark.parametrize(
    ("synchronised", "skew", "expected"),
    [
        (True, 0.0, ClockTrust(True, None, 0.0)),
        (True, -30.0, ClockTrust(True, None, -30.0)),  # the bound itself is allowed
        (True, 30.0, ClockTrust(True, None, 30.0)),
        (True, None, ClockTrust(True, None, None)),  # synchronised, no backend answer yet
        (True, 30.5, ClockTrust(False, REASON_SKEW, 30.5)),
        (True, -31.0, ClockTrust(False, REASON_SKEW, -31.0)),  # behind as much as ahead
        (True, math.nan, ClockTrust(False, REASON_SKEW, math.nan)),
        (True, math.inf, ClockTrust(False, REASON_SKEW, math.inf)),
        (False, 0.0, ClockTrust(False, REASON_NOT_SYNCHRONISED, 0.0)),
        (False, None, ClockTrust(False, REASON_NOT_SYNCHRONISED, None)),
        (False, 600.0, ClockTrust(False, REASON_NOT_SYNCHRONISED, 600.0)),  # the root cause wins
        (None, 2.0, ClockTrust(True, None, 2.0)),  # no adjtimex, but the backend vouches for the clock
        (None, 45.0, ClockTrust(False, REASON_SKEW, 45.0)),
        (None, None, ClockTrust(False, REASON_SYNC_UNKNOWN, None)),  # nothing vouches for the clock
    ],
)
def test_assess_clock(synchronised: bool | None, skew: float | None, expected: ClockTrust) -> None:
    verdict = assess_clock(synchronised=synchronised, skew_seconds=skew, max_skew_seconds=30)
    assert (verdict.trusted, verdict.reason) == (expected.trusted, expected.reason)
    if expected.skew_seconds is None or math.isnan(expected.skew_seconds):
        assert verdict.skew_seconds is expected.skew_seconds
    else:
        assert verdict.skew_seconds == expected.skew_seconds


@pytest.mark.parametrize("bound", [0.0, -1.0, math.nan, math.inf])
def test_the_bound_must_be_a_positive_number(bound: float) -> None:
    with pytest.raises(ValueError, match="skew bound"):
        assess_clock(synchronised=True, skew_seconds=0.0, max_skew_seconds=bound)


def test_the_verdict_is_immutable() -> None:
    verdict = assess_clock(synchronised=True, skew_seconds=1.0, max_skew_seconds=30)
    with pytest.raises(AttributeError):
        verdict.trusted = False  # type: ignore[misc]
