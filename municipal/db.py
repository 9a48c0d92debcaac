"""The reference backend's SQLite database: WAL mode, numbered migrations, one connection per thread.

Times are stored as UTC text in one fixed format (`2026-04-01T00:30:00.000000+00:00`) so that SQL
comparisons of text are comparisons of instants. Every read that decides what gets certified runs inside the
same write transaction that records the request (`BEGIN IMMEDIATE`), so nothing certified is older than the
transaction (domain.md section 8: stale copies issued cancelled seals).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

__all__ = ["MIGRATIONS", "Database", "from_db_time", "to_db_time"]

MIGRATIONS: Final[tuple[str, ...]] = (
    # 1: residents, seals, cards, terminals, sessions, requests.
    """
    CREATE TABLE households (
        id TEXT PRIMARY KEY,
        address TEXT NOT NULL
    );
    CREATE TABLE residents (
        id TEXT PRIMARY KEY,
        household_id TEXT NOT NULL REFERENCES households(id),
        is_householder INTEGER NOT NULL CHECK (is_householder IN (0, 1)),
        name TEXT NOT NULL,
        name_kana TEXT,
        birth_date TEXT NOT NULL,
        sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
        relationship TEXT NOT NULL,
        became_resident_on TEXT NOT NULL,
        previous_address TEXT,
        honseki TEXT,
        hittosha TEXT,
        nationality TEXT,
        status TEXT NOT NULL CHECK (status IN ('resident', 'moved-out', 'deceased')),
        support_measures INTEGER NOT NULL DEFAULT 0 CHECK (support_measures IN (0, 1)),
        updated_at TEXT NOT NULL
    );
    CREATE INDEX residents_by_household ON residents(household_id);
    CREATE TABLE seals (
        resident_id TEXT PRIMARY KEY REFERENCES residents(id),
        registration_number TEXT NOT NULL UNIQUE,
        image BLOB NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('registered', 'cancelled')),
        updated_at TEXT NOT NULL
    );
    CREATE TABLE cards (
        certificate_sha256 TEXT PRIMARY KEY,
        certificate_serial TEXT NOT NULL,
        resident_id TEXT NOT NULL REFERENCES residents(id),
        registered_at TEXT NOT NULL
    );
    CREATE TABLE revocations (
        certificate_serial TEXT PRIMARY KEY,
        revoked_at TEXT NOT NULL
    );
    CREATE TABLE terminals (
        id TEXT PRIMARY KEY,
        certificate_sha256 TEXT NOT NULL UNIQUE,
        revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
        registered_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL REFERENCES terminals(id),
        challenge BLOB NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        challenge_answered INTEGER NOT NULL DEFAULT 0 CHECK (challenge_answered IN (0, 1)),
        resident_id TEXT REFERENCES residents(id),
        card_certificate_sha256 TEXT,
        authenticated_at TEXT
    );
    CREATE TABLE serials (
        document_type TEXT NOT NULL,
        year INTEGER NOT NULL,
        last INTEGER NOT NULL,
        PRIMARY KEY (document_type, year)
    );
    CREATE TABLE requests (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        terminal_id TEXT NOT NULL REFERENCES terminals(id),
        idempotency_key TEXT NOT NULL,
        request_sha256 TEXT NOT NULL,
        document_type TEXT NOT NULL,
        copies INTEGER NOT NULL,
        fee_yen INTEGER NOT NULL,
        serial TEXT NOT NULL UNIQUE,
        response TEXT,
        created_at TEXT NOT NULL,
        deadline TEXT NOT NULL,
        outcome TEXT CHECK (outcome IN ('printed', 'failed', 'cancelled')),
        copies_printed INTEGER,
        charged_yen INTEGER,
        completed_at TEXT,
        UNIQUE (session_id, idempotency_key)
    );
    CREATE INDEX requests_open_by_deadline ON requests(deadline) WHERE outcome IS NULL;
    """,
    # 2: terminal heartbeats (municipal/terminals_status.py): the last few per terminal, newest = highest id.
    """
    CREATE TABLE heartbeats (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        terminal_id TEXT NOT NULL REFERENCES terminals(id),
        received_at TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX heartbeats_by_terminal ON heartbeats(terminal_id, id);
    """,
)

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f+00:00"


def to_db_time(value: datetime) -> str:
    if value.utcoffset() is None:
        raise ValueError("database times must be timezone-aware")
    return value.astimezone(UTC).strftime(_TIME_FORMAT)


def from_db_time(text: str) -> datetime:
    return datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=UTC)


class Database:
    """One SQLite file; each thread gets its own connection (sqlite3 connections are not shareable)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        # SQLite's busy handler sleeps 1..100 ms between retries, so threads of one process that queue on
        # the database lock idle most of the time; a Python lock hands over at once. BEGIN IMMEDIATE still
        # guards against other processes (the CLI, a second server).
        self._writer = threading.Lock()
        self._migrate()

    def connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._open()
            self._local.connection = connection
            with self._lock:
                self._all.append(connection)
        return connection

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction taken up front (BEGIN IMMEDIATE): reads inside it see the latest commit."""
        connection = self.connection()
        with self._writer:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.rollback()
                raise
            connection.commit()

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: one consistent snapshot for every query inside it."""
        connection = self.connection()
        connection.execute("BEGIN DEFERRED")
        try:
            yield connection
        finally:
            connection.rollback()

    def close(self) -> None:
        with self._lock:
            for connection in self._all:
                connection.close()
            self._all.clear()
        self._local = threading.local()

    def schema_version(self) -> int:
        return int(self.connection().execute("PRAGMA user_version").fetchone()[0])

    def _open(self) -> sqlite3.Connection:
        # isolation_level=None: transactions are explicit (BEGIN ...), never opened behind our back.
        # check_same_thread=False only so close() may run from the closing thread; use stays per thread.
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30.0)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA busy_timeout = 30000")
        # NORMAL is durable across process crashes in WAL mode; only a power cut can lose the last commits.
        connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    def _migrate(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = self._open()
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("BEGIN IMMEDIATE")
            version = int(connection.execute("PRAGMA user_version").fetchone()[0])
            if version > len(MIGRATIONS):
                connection.rollback()
                raise RuntimeError(f"{self.path}: schema version {version} is newer than this program's")
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in _statements(script):
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {number}")
            connection.commit()
        finally:
            connection.close()


def _statements(script: str) -> list[str]:
    # executescript() would COMMIT the migration's transaction halfway; run statements one by one instead.
    return [statement.strip() for statement in script.split(";") if statement.strip()]
