"""Terminal heartbeats on the reference backend: store each one, keep a short history, list the latest.

The terminal is the one its client certificate names (the HTTP layer resolves it); nothing in the body
says who sent it. What is stored is the validated `Heartbeat` dumped again, never the raw request bytes, so
only the wire type's closed set of codes and numbers reaches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from pydantic import ValidationError

from kiosk.backend.api import Heartbeat, HeartbeatAck
from kiosk.clock import Clock
from municipal.db import Database, from_db_time, to_db_time

__all__ = [
    "HISTORY_PER_TERMINAL",
    "STALE_INTERVALS",
    "HeartbeatStore",
    "StoredHeartbeat",
    "TerminalStatus",
    "terminal_statuses",
]

#: How many heartbeats the backend keeps per terminal (the newest ones).
HISTORY_PER_TERMINAL: Final = 100
#: A terminal is stale when its last heartbeat is older than this many of its own announced intervals.
STALE_INTERVALS: Final = 3
_DEFAULT_INTERVAL: Final = 300  # for a stored heartbeat this version cannot read


@dataclass(frozen=True)
class StoredHeartbeat:
    terminal_id: str
    received_at: datetime
    heartbeat: Heartbeat | None  # None: stored by another version and no longer readable


class HeartbeatStore:
    """Records heartbeats into the `heartbeats` table. Each call is one short write transaction."""

    def __init__(self, db: Database, clock: Clock, *, history: int = HISTORY_PER_TERMINAL) -> None:
        if history < 1:
            raise ValueError("keep at least one heartbeat per terminal")
        self._db = db
        self._clock = clock
        self._history = history

    def record(self, terminal_id: str, heartbeat: Heartbeat) -> HeartbeatAck:
        received = self._clock.now()
        with self._db.write() as db:
            db.execute(
                "INSERT INTO heartbeats (terminal_id, received_at, body) VALUES (?, ?, ?)",
                (terminal_id, to_db_time(received), heartbeat.model_dump_json()),
            )
            # Everything at or below the (history+1)-th newest id goes; with fewer rows the bound is NULL.
            db.execute(
                "DELETE FROM heartbeats WHERE terminal_id = ? AND id <= ("
                " SELECT id FROM heartbeats WHERE terminal_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
                (terminal_id, terminal_id, self._history),
            )
        return HeartbeatAck(received_at=received)

    def history(self, terminal_id: str, limit: int = HISTORY_PER_TERMINAL) -> list[StoredHeartbeat]:
        """The terminal's stored heartbeats, newest first."""
        with self._db.read() as db:
            rows = db.execute(
                "SELECT terminal_id, received_at, body FROM heartbeats WHERE terminal_id = ? "
                "ORDER BY id DESC LIMIT ?",
                (terminal_id, limit),
            ).fetchall()
        return [
            StoredHeartbeat(str(row["terminal_id"]), from_db_time(row["received_at"]), _parse(row["body"]))
            for row in rows
        ]


@dataclass(frozen=True)
class TerminalStatus:
    """One registered terminal and its latest heartbeat, as `kiosk backend terminals` lists it."""

    terminal_id: str
    revoked: bool
    received_at: datetime | None
    heartbeat: Heartbeat | None
    age_seconds: float | None
    stale: bool

    @property
    def status(self) -> str:
        """never (no heartbeat yet), stale (overdue) or ok."""
        if self.received_at is None:
            return "never"
        return "stale" if self.stale else "ok"

    def to_dict(self) -> dict[str, object]:
        beat = self.heartbeat
        return {
            "terminal": self.terminal_id,
            "revoked": self.revoked,
            "status": self.status,
            "received_at": self.received_at.isoformat() if self.received_at is not None else None,
            "age_seconds": round(self.age_seconds, 3) if self.age_seconds is not None else None,
            "stale": self.stale,
            "heartbeat": beat.model_dump(mode="json") if beat is not None else None,
        }


def terminal_statuses(
    db: Database, *, now: datetime, stale_after: float | None = None
) -> list[TerminalStatus]:
    """Every registered terminal (revoked ones too) with its latest heartbeat, ordered by id. A terminal is
    stale when that heartbeat is older than `stale_after` seconds, by default STALE_INTERVALS times the
    interval it announced; one that never sent any is stale as well."""
    with db.read() as connection:
        rows = connection.execute(
            "SELECT t.id, t.revoked, h.received_at, h.body FROM terminals AS t "
            "LEFT JOIN heartbeats AS h ON h.id = (SELECT MAX(id) FROM heartbeats WHERE terminal_id = t.id) "
            "ORDER BY t.id"
        ).fetchall()
    statuses = []
    for row in rows:
        if row["received_at"] is None:
            statuses.append(TerminalStatus(str(row["id"]), bool(row["revoked"]), None, None, None, True))
            continue
        received = from_db_time(row["received_at"])
        beat = _parse(row["body"])
        age = (now - received).total_seconds()
        limit = stale_after
        if limit is None:
            limit = STALE_INTERVALS * (beat.interval_seconds if beat is not None else _DEFAULT_INTERVAL)
        statuses.append(
            TerminalStatus(str(row["id"]), bool(row["revoked"]), received, beat, age, age > limit)
        )
    return statuses


def _parse(body: str) -> Heartbeat | None:
    try:
        return Heartbeat.model_validate_json(body)
    except ValidationError:
        return None
