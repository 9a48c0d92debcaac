"""Where the kiosk gets the time: the only module that reads the system clock.

Everything else takes a `Clock` (tests pass a fixed one), so that service hours and certificate validity
are decided on an instant the caller chose, always timezone-aware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

__all__ = ["Clock", "FixedClock", "SystemClock"]


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class FixedClock:
    instant: datetime

    def __post_init__(self) -> None:
        if self.instant.tzinfo is None:
            raise ValueError("a clock's instant must be timezone-aware")

    def now(self) -> datetime:
        return self.instant
