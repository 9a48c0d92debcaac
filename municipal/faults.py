"""Fault injection for tests and benchmarks: random delays and answers that arrive too late.

Off unless `kiosk backend serve --inject-faults SEED:MAX_DELAY_MS:LATE_PERCENT:LATE_MS` turns it on. A late
answer is produced after the work is committed, so the client sees exactly what a lost answer looks like
(its read timeout fires) while the backend has already issued: the case the idempotency key and the
exactly-once completion exist for.
"""

from __future__ import annotations

import asyncio
import random
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["FaultInjector", "FaultPlan"]

_PLAN = re.compile(r"^(\d+):(\d+):(\d+):(\d+)$")

_Scope = dict[str, Any]
_Message = dict[str, Any]


@dataclass(frozen=True)
class FaultPlan:
    seed: int
    max_delay_ms: int
    late_percent: int
    late_ms: int

    @classmethod
    def parse(cls, text: str) -> FaultPlan:
        match = _PLAN.fullmatch(text)
        if match is None:
            raise ValueError("expected SEED:MAX_DELAY_MS:LATE_PERCENT:LATE_MS (integers)")
        seed, delay, percent, late = (int(group) for group in match.groups())
        if percent > 100 or delay > 60_000 or late > 600_000:
            raise ValueError("LATE_PERCENT ≤ 100, MAX_DELAY_MS ≤ 60000, LATE_MS ≤ 600000")
        return cls(seed, delay, percent, late)


class FaultInjector:
    """ASGI middleware: delays each request before the app, and holds some answers back after it."""

    def __init__(self, app: Any, plan: FaultPlan) -> None:
        self._app = app
        self._plan = plan
        self._random = random.Random(plan.seed)  # noqa: S311 - test faults, not security

    async def __call__(self, scope: _Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        await asyncio.sleep(self._random.uniform(0, self._plan.max_delay_ms) / 1000)
        late = self._random.uniform(0, 100) < self._plan.late_percent
        held: list[_Message] = []

        async def hold(message: _Message) -> None:
            held.append(message)

        await self._app(scope, receive, hold if late else send)
        if late:
            await asyncio.sleep(self._plan.late_ms / 1000)
            for message in held:
                await send(message)
