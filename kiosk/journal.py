"""The terminal's audit journal: append-only, hash-chained, allowlisted fields only (docs/journal.md).

One SQLite file in WAL mode with `synchronous=FULL`: a row `append` has returned survives a power cut or a
SIGKILL. Each row carries the SHA-256 of a canonical encoding of the previous row's hash, its own sequence
number and all its fields, so `verify` finds a changed, removed or reordered row; a one-row `head` table,
moved by a trigger in the same transaction as each insert, makes removing rows at the end visible too.
Triggers refuse UPDATE and DELETE of entries except the deletions `prune` makes, which first move the
`checkpoint` (hash of the last removed row) that `verify` starts from.

A `JournalEntry` holds exactly the allowlisted fields and refuses free text: steps and outcomes are enums,
codes and ids have narrow character sets, so no name, address or other personal data can get in. Errors
name the field, never the value.

A full disk, a read-only file or directory, or an I/O error raise `JournalUnavailableError` with a reason
code; the write was one transaction, so every row acknowledged before it is still there and verifies. The
orchestrator calls `check_writable` before it starts a transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import ClassVar, TypeVar
from urllib.parse import quote

from kiosk.backend.document import DocumentType
from kiosk.clock import Clock
from kiosk.errors import KioskError

__all__ = [
    "DEFAULT_JOURNAL_PATH",
    "DEFAULT_MIN_FREE_BYTES",
    "ENTRY_COLUMNS",
    "EXPORT_COLUMNS",
    "GENESIS_HASH",
    "SCHEMA_VERSION",
    "TERMINAL_STEPS",
    "Connector",
    "Journal",
    "JournalEntry",
    "JournalEntryError",
    "JournalError",
    "JournalFormatError",
    "JournalTamperedError",
    "JournalUnavailableError",
    "Outcome",
    "Step",
    "TransactionTrail",
    "VerifyReport",
    "connect",
    "default_journal_path",
    "entry_hash",
]

DEFAULT_JOURNAL_PATH = Path("/var/lib/kiosk/journal.db")
#: Below this much free space on the journal's file system, `check_writable` says "disk-full".
DEFAULT_MIN_FREE_BYTES = 50 * 1024 * 1024
#: The schema this module writes (PRAGMA user_version).
SCHEMA_VERSION = 1
#: What the first row's prev_hash is (and the checkpoint and head before any row).
GENESIS_HASH = "0" * 64

#: Opens the SQLite connection for a journal path (tests inject read-only ones).
Connector = Callable[[Path], sqlite3.Connection]


# --- errors ---------------------------------------------------------------------------------------------


class JournalError(KioskError):
    """The journal cannot do what was asked: no new transaction may start."""

    code = "journal-error"


class JournalUnavailableError(JournalError):
    """The journal cannot be written (or opened).

    `reason`: "disk-full" (SQLITE_FULL, or less free space than the configured minimum), "read-only"
    (read-only file, directory or file system, or the file cannot be opened), "io-error", "busy" (another
    process held the lock past the timeout), "missing" (no journal file, or no directory for one).
    """

    code = "journal-unavailable"
    reported = ("reason",)

    _MESSAGES: ClassVar[dict[str, str]] = {
        "disk-full": "the disk is full",
        "read-only": "the journal or its directory is read-only",
        "io-error": "the disk reported an I/O error",
        "busy": "the journal stayed locked by another process",
        "missing": "there is no journal file (or no directory for one)",
    }

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"journal unavailable: {self._MESSAGES.get(reason, reason)}")


class JournalEntryError(JournalError, ValueError):
    """A journal entry field breaks the allowlist; names the field and the rule, never the value."""

    code = "journal-bad-entry"
    reported = ("field", "problem")

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"journal entry field {field}: {problem}")


class JournalFormatError(JournalError):
    """The file is not a journal this version can use (corrupt, a newer schema, a value of no known kind)."""

    code = "journal-format"
    reported = ("problem",)

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(f"journal unusable: {problem}")


class JournalTamperedError(JournalError):
    """`verify` found the journal altered: `first_bad_seq` and `problem` as in its `VerifyReport`."""

    code = "journal-tampered"
    reported = ("first_bad_seq", "problem", "rows")

    def __init__(self, report: VerifyReport) -> None:
        self.report = report
        self.first_bad_seq = report.first_bad_seq
        self.problem = report.problem
        self.rows = report.rows
        where = f" at seq {report.first_bad_seq}" if report.first_bad_seq is not None else ""
        super().__init__(f"journal does not verify{where}: {report.problem}")


# --- the allowlist --------------------------------------------------------------------------------------


class Step(StrEnum):
    BEGIN = "begin"
    CARD_READ = "card-read"
    AUTHENTICATED = "authenticated"
    DOCUMENT_CHOSEN = "document-chosen"
    PAYMENT_COLLECTED = "payment-collected"
    REQUESTED = "requested"
    VERIFIED = "verified"
    PRINT_SUBMITTED = "print-submitted"
    PRINTED = "printed"
    REPORTED_PRINTED = "reported-printed"
    ABORTED = "aborted"
    FAILED = "failed"
    REFUNDED = "refunded"
    RECONCILED = "reconciled"
    FINISHED = "finished"


#: A transaction whose last step is one of these is over; any other last step means it was interrupted.
TERMINAL_STEPS = frozenset({Step.FINISHED, Step.ABORTED, Step.FAILED, Step.RECONCILED})


class Outcome(StrEnum):
    """How a transaction (or a reconciliation) ended, for rows that say so."""

    PRINTED = "printed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed-out"
    REFUSED = "refused"
    FAILED = "failed"
    REFUNDED = "refunded"
    UNKNOWN = "unknown"


_TRANSACTION_ID = re.compile(r"[0-9a-f][0-9a-f-]{7,63}")
_REQUEST_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ERROR_CODE = re.compile(r"[a-z0-9:-]{1,64}")
# A device's payment reference: a serial, so it must contain a digit (a romanised name has none).
_PAYMENT_REF = re.compile(r"(?=[^0-9]*[0-9])[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

_MAX_COPIES = 99
_MAX_FEE_YEN = 100_000
_MAX_JOB_ID = 2**31 - 1

_E = TypeVar("_E", bound=StrEnum)


@dataclass(frozen=True)
class JournalEntry:
    """One journal row as the caller gives it: exactly the allowlisted fields (`at` comes from the clock).

    Strings are accepted for `step`, `outcome` and `document_type` and become the enums; anything outside the
    allowlist raises `JournalEntryError` naming the field.
    """

    transaction_id: str
    step: Step
    document_type: DocumentType | None = None
    copies: int | None = None
    fee_yen: int | None = None
    outcome: Outcome | None = None
    error_code: str | None = None
    request_id: str | None = None
    job_id: int | None = None
    payment_ref: str | None = None

    def __post_init__(self) -> None:
        _check_pattern("transaction_id", self.transaction_id, _TRANSACTION_ID, required=True)
        object.__setattr__(self, "step", _enum_value("step", Step, self.step))
        if self.document_type is not None:
            document_type = _enum_value("document_type", DocumentType, self.document_type)
            object.__setattr__(self, "document_type", document_type)
        if self.outcome is not None:
            object.__setattr__(self, "outcome", _enum_value("outcome", Outcome, self.outcome))
        _check_int("copies", self.copies, 0, _MAX_COPIES)
        _check_int("fee_yen", self.fee_yen, 0, _MAX_FEE_YEN)
        _check_int("job_id", self.job_id, 1, _MAX_JOB_ID)
        _check_pattern("error_code", self.error_code, _ERROR_CODE)
        _check_pattern("request_id", self.request_id, _REQUEST_ID)
        _check_pattern("payment_ref", self.payment_ref, _PAYMENT_REF)

    def fields(self) -> dict[str, str | int | None]:
        """The entry as column values (enums as their strings)."""
        return {
            "transaction_id": self.transaction_id,
            "step": str(self.step),
            "document_type": None if self.document_type is None else str(self.document_type),
            "copies": self.copies,
            "fee_yen": self.fee_yen,
            "outcome": None if self.outcome is None else str(self.outcome),
            "error_code": self.error_code,
            "request_id": self.request_id,
            "job_id": self.job_id,
            "payment_ref": self.payment_ref,
        }


def _enum_value(field: str, kind: type[_E], value: object) -> _E:
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            pass
    raise JournalEntryError(field, f"not one of the {kind.__name__} values")


def _check_int(field: str, value: object, low: int, high: int) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise JournalEntryError(field, "not an integer")
    if not low <= value <= high:
        raise JournalEntryError(field, f"out of range {low}..{high}")


def _check_pattern(field: str, value: object, pattern: re.Pattern[str], *, required: bool = False) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str):
        raise JournalEntryError(field, "not a string")
    if pattern.fullmatch(value) is None:
        raise JournalEntryError(field, f"does not match ^{pattern.pattern}$")


#: Column order of an entry (without seq, at and the hashes).
ENTRY_COLUMNS = (
    "transaction_id",
    "step",
    "document_type",
    "copies",
    "fee_yen",
    "outcome",
    "error_code",
    "request_id",
    "job_id",
    "payment_ref",
)
#: What an operator's export shows of a row, in order (the hashes are added in its JSON form).
EXPORT_COLUMNS = ("seq", "at", *ENTRY_COLUMNS)
_ROW_COLUMNS = (*EXPORT_COLUMNS, "prev_hash", "hash")


def entry_hash(prev_hash: str, seq: int, at: str, fields: Mapping[str, object]) -> str:
    """SHA-256 (hex) of the canonical encoding of one row: compact JSON, sorted keys, ASCII only.

    `fields` are the ten allowlisted columns; a missing one counts as null. Anyone can recompute it from an
    export (docs/journal.md gives the encoding).
    """
    payload: dict[str, object] = {name: fields.get(name) for name in ENTRY_COLUMNS}
    payload.update({"v": SCHEMA_VERSION, "prev_hash": prev_hash, "seq": seq, "at": at})
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=repr)
    return hashlib.sha256(encoded.encode("ascii")).hexdigest()


def _format_at(instant: datetime) -> str:
    if instant.tzinfo is None:
        raise ValueError("the journal needs timezone-aware instants")
    # Fixed width (microseconds, +00:00) so that text order is time order.
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


# --- reports --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyReport:
    """What `verify` found. `problem` is a code (docs/journal.md): row-altered, chain-broken, rows-missing,
    tail-missing, head-missing, head-mismatch, rows-before-checkpoint, triggers-missing, unreadable."""

    ok: bool
    rows: int
    first_bad_seq: int | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "rows": self.rows,
            "first_bad_seq": self.first_bad_seq,
            "problem": self.problem,
        }


@dataclass(frozen=True)
class TransactionTrail:
    """A transaction whose last journal row is not terminal: what crash recovery needs to settle it.

    The ids and amounts are the latest non-null value among the transaction's rows.
    """

    transaction_id: str
    steps: tuple[Step, ...]
    last_step: Step
    first_seq: int
    last_seq: int
    started_at: datetime
    last_at: datetime
    document_type: DocumentType | None
    copies: int | None
    fee_yen: int | None
    request_id: str | None
    job_id: int | None
    payment_ref: str | None


# --- the schema -----------------------------------------------------------------------------------------

_SCHEMA_V1 = (
    """CREATE TABLE entries (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        transaction_id TEXT NOT NULL,
        step TEXT NOT NULL,
        document_type TEXT,
        copies INTEGER,
        fee_yen INTEGER,
        outcome TEXT,
        error_code TEXT,
        request_id TEXT,
        job_id INTEGER,
        payment_ref TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    ) STRICT""",
    "CREATE INDEX entries_by_transaction ON entries (transaction_id, seq)",
    "CREATE INDEX entries_by_time ON entries (at)",
    """CREATE TABLE head (
        id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL
    ) STRICT""",
    """CREATE TABLE checkpoint (
        id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL, at TEXT
    ) STRICT""",
    # GENESIS_HASH: 64 zeros.
    "INSERT INTO head (id, seq, hash) VALUES (1, 0, printf('%064d', 0))",
    "INSERT INTO checkpoint (id, seq, hash, at) VALUES (1, 0, printf('%064d', 0), NULL)",
    """CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
        BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END""",
    # Only rows at or before the checkpoint may go, and `prune` moves the checkpoint first.
    """CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
        WHEN OLD.seq > (SELECT seq FROM checkpoint WHERE id = 1)
        BEGIN SELECT RAISE(ABORT, 'journal entries are append-only'); END""",
    """CREATE TRIGGER entries_extend_head BEFORE INSERT ON entries
        WHEN NEW.seq IS NOT (SELECT seq + 1 FROM head WHERE id = 1)
          OR NEW.prev_hash IS NOT (SELECT hash FROM head WHERE id = 1)
        BEGIN SELECT RAISE(ABORT, 'a journal entry must extend the head'); END""",
    """CREATE TRIGGER entries_move_head AFTER INSERT ON entries
        BEGIN UPDATE head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1; END""",
    """CREATE TRIGGER head_forward_only BEFORE UPDATE ON head
        WHEN NEW.id IS NOT OLD.id OR NEW.seq IS NOT OLD.seq + 1
          OR NEW.hash IS NOT (SELECT hash FROM entries WHERE seq = NEW.seq)
        BEGIN SELECT RAISE(ABORT, 'the journal head only moves with an appended entry'); END""",
    """CREATE TRIGGER head_no_delete BEFORE DELETE ON head
        BEGIN SELECT RAISE(ABORT, 'the journal head cannot be removed'); END""",
    """CREATE TRIGGER checkpoint_forward_only BEFORE UPDATE ON checkpoint
        WHEN NEW.id IS NOT OLD.id OR NEW.seq <= OLD.seq
          OR NEW.hash IS NOT (SELECT hash FROM entries WHERE seq = NEW.seq)
          OR NEW.at IS NOT (SELECT at FROM entries WHERE seq = NEW.seq)
        BEGIN SELECT RAISE(ABORT, 'the journal checkpoint only moves forward onto an entry'); END""",
    """CREATE TRIGGER checkpoint_no_delete BEFORE DELETE ON checkpoint
        BEGIN SELECT RAISE(ABORT, 'the journal checkpoint cannot be removed'); END""",
)

_TRIGGERS = frozenset(
    {
        "entries_no_update",
        "entries_no_delete",
        "entries_extend_head",
        "entries_move_head",
        "head_forward_only",
        "head_no_delete",
        "checkpoint_forward_only",
        "checkpoint_no_delete",
    }
)

#: Migrations: MIGRATIONS[n] takes a database at user_version n to n + 1.
_MIGRATIONS: tuple[tuple[str, ...], ...] = (_SCHEMA_V1,)

# SQLite primary result codes (the low byte of an extended code).
_SQLITE_PERM = 3
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26

_REASONS = {
    _SQLITE_FULL: "disk-full",
    _SQLITE_READONLY: "read-only",
    _SQLITE_CANTOPEN: "read-only",
    _SQLITE_PERM: "read-only",
    _SQLITE_IOERR: "io-error",
    _SQLITE_BUSY: "busy",
    _SQLITE_LOCKED: "busy",
}


def _journal_error(error: sqlite3.Error) -> JournalError:
    """The JournalError for an SQLite failure (codes only: SQLite messages never hold row values here)."""
    extended = getattr(error, "sqlite_errorcode", None)
    primary = extended & 0xFF if isinstance(extended, int) else None
    if primary in _REASONS:
        return JournalUnavailableError(_REASONS[primary])
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return JournalFormatError("corrupt or not an SQLite database")
    name = getattr(error, "sqlite_errorname", None) or type(error).__name__
    return JournalFormatError(f"SQLite refused the operation ({name})")


def connect(path: Path, *, read_only: bool = False, timeout: float = 5.0) -> sqlite3.Connection:
    """The default connector: autocommit (the journal opens its own transactions), usable from any thread."""
    if read_only:
        uri = f"file:{quote(str(path.absolute()))}?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
    return sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)


def default_journal_path(environ: Mapping[str, str]) -> Path:
    """$KIOSK_JOURNAL, else /var/lib/kiosk/journal.db."""
    value = environ.get("KIOSK_JOURNAL")
    return Path(value) if value else DEFAULT_JOURNAL_PATH


# --- the journal ----------------------------------------------------------------------------------------


class Journal:
    """An open journal. Thread-safe (one lock around the connection); a context manager that closes it."""

    def __init__(self, connection: sqlite3.Connection, path: Path, clock: Clock, min_free_bytes: int) -> None:
        """Use `Journal.open`."""
        self._connection = connection
        self._path = path
        self._clock = clock
        self._min_free_bytes = min_free_bytes
        self._lock = threading.RLock()

    @classmethod
    def open(
        cls,
        path: Path | str,
        clock: Clock,
        *,
        create: bool = True,
        read_only: bool = False,
        connect: Connector | None = None,
        min_free_bytes: int = DEFAULT_MIN_FREE_BYTES,
    ) -> Journal:
        """Open (with `create`, create and migrate) the journal at `path`.

        `read_only` opens it with a read-only URI (verify and export by operators); `connect` replaces the
        connector altogether. Raises JournalUnavailableError ("missing" when there is no file and `create` is
        false, or no directory), JournalFormatError (corrupt, or a schema newer than this code).
        """
        path = Path(path)
        if not path.parent.is_dir() or (not create and not path.exists()):
            raise JournalUnavailableError("missing")
        connector = connect if connect is not None else _connector(read_only)
        try:
            connection = connector(path)
        except sqlite3.Error as error:
            raise _journal_error(error) from None
        connection.isolation_level = None
        journal = cls(connection, path, clock, min_free_bytes)
        try:
            journal._prepare()
        except BaseException:
            connection.close()
            raise
        return journal

    def _prepare(self) -> None:
        connection = self._connection
        try:
            connection.execute("PRAGMA busy_timeout = 5000")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise JournalFormatError(f"schema version {version} is newer than {SCHEMA_VERSION}")
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            if version < SCHEMA_VERSION:
                self._migrate(version)
        except sqlite3.Error as error:
            raise _journal_error(error) from None

    def _migrate(self, version: int) -> None:
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated between our look and the lock.
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            for target in range(version, SCHEMA_VERSION):
                for statement in _MIGRATIONS[target]:
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("COMMIT")
        except BaseException:
            _rollback(connection)
            raise

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing --

    def append(self, entry: JournalEntry) -> int:
        """Write one row durably (committed and synced when this returns); returns its seq.

        Raises JournalUnavailableError on a full disk, a read-only journal or an I/O error; nothing of the
        row is then written and every earlier row is untouched.
        """
        if not isinstance(entry, JournalEntry):
            raise TypeError("append takes a JournalEntry")
        at = _format_at(self._clock.now())
        fields = entry.fields()
        with self._lock, self._transaction() as connection:
            head_seq, head_hash = connection.execute("SELECT seq, hash FROM head WHERE id = 1").fetchone()
            seq = int(head_seq) + 1
            digest = entry_hash(head_hash, seq, at, fields)
            columns = ", ".join(_ROW_COLUMNS)
            marks = ", ".join("?" for _ in _ROW_COLUMNS)
            connection.execute(
                f"INSERT INTO entries ({columns}) VALUES ({marks})",  # noqa: S608 (fixed column names)
                (seq, at, *(fields[name] for name in ENTRY_COLUMNS), head_hash, digest),
            )
        return seq

    def prune(self, older_than: timedelta) -> int:
        """Retention: remove the oldest rows written more than `older_than` ago; returns how many.

        Only a prefix of the chain goes (up to the first row that is young enough), never a row of a
        transaction that is still unfinished; the checkpoint keeps the last removed row's hash so that the
        rest still verifies.
        """
        if older_than <= timedelta(0):
            raise ValueError("older_than must be positive")
        cutoff = _format_at(self._clock.now() - older_than)
        with self._lock, self._transaction() as connection:
            (checkpoint_seq,) = connection.execute("SELECT seq FROM checkpoint WHERE id = 1").fetchone()
            (head_seq,) = connection.execute("SELECT seq FROM head WHERE id = 1").fetchone()
            (young,) = connection.execute("SELECT min(seq) FROM entries WHERE at >= ?", (cutoff,)).fetchone()
            (unfinished,) = connection.execute(
                f"SELECT min(first) FROM ({_UNFINISHED_FIRST_SEQ})"  # noqa: S608 (fixed SQL)
            ).fetchone()
            keep_from = min(s for s in (young, unfinished, head_seq + 1) if s is not None)
            last_removed = keep_from - 1
            if last_removed <= checkpoint_seq:
                return 0
            connection.execute(
                "UPDATE checkpoint SET seq = ?, hash = (SELECT hash FROM entries WHERE seq = ?),"
                " at = (SELECT at FROM entries WHERE seq = ?) WHERE id = 1",
                (last_removed, last_removed, last_removed),
            )
            removed = connection.execute("DELETE FROM entries WHERE seq <= ?", (last_removed,)).rowcount
        return int(removed)

    def writable(self) -> bool:
        """Whether a transaction may start now (`check_writable` without the reason)."""
        try:
            self.check_writable()
        except JournalError:
            return False
        return True

    def check_writable(self) -> None:
        """Raise JournalUnavailableError unless the journal can take rows now.

        Looks at the file system (read-only mount, free space below the minimum: "disk-full") and takes
        the write lock and touches the header in a transaction it rolls back (a read-only file or
        connection: "read-only").
        """
        try:
            stats = os.statvfs(self._path.parent)
        except OSError:
            raise JournalUnavailableError("io-error") from None
        if stats.f_flag & os.ST_RDONLY:
            raise JournalUnavailableError("read-only")
        if stats.f_bavail * stats.f_frsize < self._min_free_bytes:
            raise JournalUnavailableError("disk-full")
        with self._lock:
            connection = self._connection
            try:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                finally:
                    _rollback(connection)
            except sqlite3.Error as error:
                raise _journal_error(error) from None

    # -- reading --

    def verify(self) -> VerifyReport:
        """Walk the chain from the checkpoint to the head; report the first row that does not fit."""
        with self._lock:
            connection = self._connection
            try:
                connection.execute("BEGIN")  # one snapshot for rows, head and checkpoint
                try:
                    return self._verify(connection)
                finally:
                    _rollback(connection)
            except sqlite3.Error as error:
                mapped = _journal_error(error)
                if isinstance(mapped, JournalUnavailableError):
                    raise mapped from None
                return VerifyReport(ok=False, rows=0, problem="unreadable")

    def _verify(self, connection: sqlite3.Connection) -> VerifyReport:
        checkpoint = connection.execute("SELECT seq, hash FROM checkpoint WHERE id = 1").fetchone()
        if checkpoint is None:
            return VerifyReport(ok=False, rows=0, problem="checkpoint-missing")
        expected_seq = int(checkpoint[0]) + 1
        previous = checkpoint[1]
        rows = 0
        columns = ", ".join(_ROW_COLUMNS)
        for row in connection.execute(f"SELECT {columns} FROM entries ORDER BY seq"):  # noqa: S608
            values = dict(zip(_ROW_COLUMNS, row, strict=True))
            seq = values["seq"]
            if seq < expected_seq:
                return VerifyReport(ok=False, rows=rows, first_bad_seq=seq, problem="rows-before-checkpoint")
            if seq > expected_seq:
                return VerifyReport(ok=False, rows=rows, first_bad_seq=expected_seq, problem="rows-missing")
            if values["hash"] != entry_hash(values["prev_hash"], seq, values["at"], values):
                return VerifyReport(ok=False, rows=rows, first_bad_seq=seq, problem="row-altered")
            if values["prev_hash"] != previous:
                return VerifyReport(ok=False, rows=rows, first_bad_seq=seq, problem="chain-broken")
            previous = values["hash"]
            expected_seq += 1
            rows += 1
        head = connection.execute("SELECT seq, hash FROM head WHERE id = 1").fetchone()
        if head is None:
            return VerifyReport(ok=False, rows=rows, problem="head-missing")
        last_seq = expected_seq - 1
        if head[0] > last_seq:
            return VerifyReport(ok=False, rows=rows, first_bad_seq=last_seq + 1, problem="tail-missing")
        if head[0] != last_seq or head[1] != previous:
            return VerifyReport(ok=False, rows=rows, first_bad_seq=last_seq, problem="head-mismatch")
        triggers = {
            name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        if not triggers >= _TRIGGERS:
            return VerifyReport(ok=False, rows=rows, problem="triggers-missing")
        return VerifyReport(ok=True, rows=rows)

    def unfinished(self) -> list[TransactionTrail]:
        """Transactions whose last row is not terminal (finished, aborted, failed, reconciled), oldest first.

        What crash recovery settles at start-up.
        """
        columns = ", ".join(_ROW_COLUMNS)
        query = (
            f"SELECT {columns} FROM entries WHERE transaction_id IN"  # noqa: S608 (fixed SQL)
            f" (SELECT transaction_id FROM ({_UNFINISHED_FIRST_SEQ})) ORDER BY seq"
        )
        with self._lock:
            try:
                rows = self._connection.execute(query).fetchall()
            except sqlite3.Error as error:
                raise _journal_error(error) from None
        grouped: dict[str, list[dict[str, object]]] = {}
        for row in rows:
            values = dict(zip(_ROW_COLUMNS, row, strict=True))
            grouped.setdefault(str(values["transaction_id"]), []).append(values)
        return [_trail(transaction_id, trail) for transaction_id, trail in grouped.items()]

    def export(self, since: datetime) -> Iterator[dict[str, object]]:
        """Rows written at or after `since` (aware), in seq order, as JSON-able dicts with their hashes."""
        start = _format_at(since)
        columns = ", ".join(_ROW_COLUMNS)
        query = (
            f"SELECT {columns} FROM entries WHERE at >= ? AND seq > ?"  # noqa: S608 (fixed SQL)
            " ORDER BY seq LIMIT 500"
        )
        after = -1
        while True:
            with self._lock:
                try:
                    batch = self._connection.execute(query, (start, after)).fetchall()
                except sqlite3.Error as error:
                    raise _journal_error(error) from None
            if not batch:
                return
            for row in batch:
                yield dict(zip(_ROW_COLUMNS, row, strict=True))
            after = batch[-1][0]

    # -- helpers --

    def _transaction(self) -> _Transaction:
        return _Transaction(self._connection)


#: transaction_id and first seq of every transaction whose last row (highest seq) is not terminal.
#: The list is TERMINAL_STEPS (a test checks).
_UNFINISHED_FIRST_SEQ = (
    "SELECT spans.transaction_id AS transaction_id, spans.first AS first FROM"
    " (SELECT transaction_id, min(seq) AS first, max(seq) AS last FROM entries"
    " GROUP BY transaction_id) AS spans"
    " JOIN entries AS last_row ON last_row.seq = spans.last"
    " WHERE last_row.step NOT IN ('aborted', 'failed', 'finished', 'reconciled')"
)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any failure; SQLite failures become JournalErrors."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def __enter__(self) -> sqlite3.Connection:
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise _journal_error(error) from None
        return self._connection

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is None:
            try:
                self._connection.execute("COMMIT")
            except sqlite3.Error as error:
                _rollback(self._connection)
                raise _journal_error(error) from None
            return
        _rollback(self._connection)
        if isinstance(exc, sqlite3.Error):
            raise _journal_error(exc) from None


def _rollback(connection: sqlite3.Connection) -> None:
    """Roll back if a transaction is open (SQLite may already have rolled back after a full disk)."""
    if connection.in_transaction:
        # If even that fails the connection is broken; the uncommitted rows are gone either way.
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")


def _connector(read_only: bool) -> Connector:
    def open_connection(path: Path) -> sqlite3.Connection:
        return connect(path, read_only=read_only)

    return open_connection


def _trail(transaction_id: str, rows: list[dict[str, object]]) -> TransactionTrail:
    def latest(name: str) -> object:
        for values in reversed(rows):
            if values[name] is not None:
                return values[name]
        return None

    try:
        steps = tuple(Step(str(values["step"])) for values in rows)
        document_type = latest("document_type")
        return TransactionTrail(
            transaction_id=transaction_id,
            steps=steps,
            last_step=steps[-1],
            first_seq=_as_int(rows[0]["seq"]),
            last_seq=_as_int(rows[-1]["seq"]),
            started_at=datetime.fromisoformat(str(rows[0]["at"])),
            last_at=datetime.fromisoformat(str(rows[-1]["at"])),
            document_type=None if document_type is None else DocumentType(str(document_type)),
            copies=_as_optional_int(latest("copies")),
            fee_yen=_as_optional_int(latest("fee_yen")),
            request_id=_as_optional_str(latest("request_id")),
            job_id=_as_optional_int(latest("job_id")),
            payment_ref=_as_optional_str(latest("payment_ref")),
        )
    except ValueError:
        raise JournalFormatError("a stored value is of no known kind (run kiosk journal verify)") from None


def _as_int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError("not an integer")


def _as_optional_int(value: object) -> int | None:
    return None if value is None else _as_int(value)


def _as_optional_str(value: object) -> str | None:
    return None if value is None else str(value)
