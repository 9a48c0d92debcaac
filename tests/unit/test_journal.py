"""kiosk.journal: append and verify, tampering found, append-only triggers, retention, export, unfinished
transactions, a read-only journal and a full disk (real SQLite conditions), and no personal data getting in.

Tampering goes through a raw sqlite3 connection that drops the append-only triggers first, as an attacker
with write access to the file would.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.backend.document import DocumentType
from kiosk.clock import FixedClock
from kiosk.journal import (
    GENESIS_HASH,
    SCHEMA_VERSION,
    TERMINAL_STEPS,
    Journal,
    JournalEntry,
    JournalEntryError,
    JournalError,
    JournalFormatError,
    JournalTamperedError,
    JournalUnavailableError,
    Outcome,
    Step,
    VerifyReport,
    entry_hash,
)

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
TX = "0123456789abcdef0123456789abcdef"
TX2 = "fedcba9876543210fedcba9876543210"
REQUEST = "3f2b8c1e-5d4a-4b6f-9e7d-1a2b3c4d5e6f"


class StepClock:
    """A clock that moves one second per reading (so rows get distinct times)."""

    def __init__(self, start: datetime = T0) -> None:
        self.instant = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            self.instant += timedelta(seconds=1)
            return self.instant


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "journal.db"


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def journal(path: Path, clock: StepClock) -> Iterator[Journal]:
    with Journal.open(path, clock) as opened:
        yield opened


def entry(step: Step | str = Step.BEGIN, transaction_id: str = TX, **fields: object) -> JournalEntry:
    return JournalEntry(transaction_id=transaction_id, step=step, **fields)  # type: ignore[arg-type]


def fill(journal: Journal, count: int = 5) -> list[int]:
    return [journal.append(entry(Step.BEGIN, transaction_id=f"{n:032x}")) for n in range(count)]


def raw(path: Path) -> sqlite3.Connection:
    """A plain connection with the append-only triggers dropped: what tampering looks like."""
    connection = sqlite3.connect(path, isolation_level=None)
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        connection.execute(f"DROP TRIGGER {name}")
    return connection


def tamper(path: Path, *statements: str) -> VerifyReport:
    connection = raw(path)
    try:
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()
    with Journal.open(path, StepClock(), create=False, read_only=True) as reopened:
        return reopened.verify()


# --- append and verify ----------------------------------------------------------------------------------


def test_a_new_journal_is_empty_and_verifies(journal: Journal, path: Path) -> None:
    assert journal.verify() == VerifyReport(ok=True, rows=0)
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        connection.close()


def test_append_returns_consecutive_seqs_and_the_chain_verifies(journal: Journal) -> None:
    assert fill(journal, 4) == [1, 2, 3, 4]
    assert journal.verify() == VerifyReport(ok=True, rows=4)


def test_synchronous_is_full(journal: Journal) -> None:
    # FULL = 2: a committed row is synced before append returns.
    assert journal._connection.execute("PRAGMA synchronous").fetchone() == (2,)


def test_rows_hold_exactly_the_allowlisted_fields_and_the_clock_time(journal: Journal, path: Path) -> None:
    full = JournalEntry(
        transaction_id=TX,
        step=Step.PRINT_SUBMITTED,
        document_type=DocumentType.JUMINHYO,
        copies=2,
        fee_yen=400,
        outcome=None,
        error_code=None,
        request_id=REQUEST,
        job_id=17,
        payment_ref="virtual-000001",
    )
    journal.append(full)
    connection = sqlite3.connect(path)
    try:
        cursor = connection.execute("SELECT * FROM entries")
        columns = [d[0] for d in cursor.description]
        row = dict(zip(columns, cursor.fetchone(), strict=True))
    finally:
        connection.close()
    assert columns == [
        "seq",
        "at",
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
        "prev_hash",
        "hash",
    ]
    assert row["at"] == "2026-11-24T01:00:01.000000+00:00"
    assert row["step"] == "print-submitted"
    assert row["document_type"] == "juminhyo"
    assert row["prev_hash"] == GENESIS_HASH
    assert row["hash"] == entry_hash(GENESIS_HASH, 1, row["at"], full.fields())


def test_the_clock_time_is_stored_in_utc(path: Path) -> None:
    tokyo = datetime.fromisoformat("2026-11-24T10:00:00+09:00")
    with Journal.open(path, FixedClock(tokyo)) as journal:
        journal.append(entry())
        (row,) = journal.export(tokyo)
    assert row["at"] == "2026-11-24T01:00:00.000000+00:00"


def test_rows_survive_reopening_and_the_chain_continues(path: Path, clock: StepClock) -> None:
    with Journal.open(path, clock) as journal:
        fill(journal, 3)
    with Journal.open(path, clock) as journal:
        assert journal.append(entry()) == 4
        assert journal.verify() == VerifyReport(ok=True, rows=4)


def test_appends_from_many_threads_keep_one_chain(journal: Journal) -> None:
    def work(n: int) -> None:
        for _ in range(10):
            journal.append(entry(transaction_id=f"{n:032x}"))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert journal.verify() == VerifyReport(ok=True, rows=40)


def test_a_second_connection_sees_committed_rows(journal: Journal, path: Path) -> None:
    fill(journal, 2)
    with Journal.open(path, StepClock(), create=False, read_only=True) as reader:
        assert reader.verify() == VerifyReport(ok=True, rows=2)


# --- tampering ------------------------------------------------------------------------------------------


def test_a_changed_field_is_found(journal: Journal, path: Path) -> None:
    fill(journal, 5)
    report = tamper(path, "UPDATE entries SET copies = 3 WHERE seq = 3")
    assert report == VerifyReport(ok=False, rows=2, first_bad_seq=3, problem="row-altered")


def test_a_changed_time_is_found(journal: Journal, path: Path) -> None:
    fill(journal, 5)
    report = tamper(path, "UPDATE entries SET at = '2026-01-01T00:00:00.000000+00:00' WHERE seq = 2")
    assert (report.ok, report.first_bad_seq, report.problem) == (False, 2, "row-altered")


def test_a_removed_middle_row_is_found(journal: Journal, path: Path) -> None:
    fill(journal, 5)
    report = tamper(path, "DELETE FROM entries WHERE seq = 3")
    assert report == VerifyReport(ok=False, rows=2, first_bad_seq=3, problem="rows-missing")


def test_a_removed_middle_row_with_renumbering_breaks_the_chain(journal: Journal, path: Path) -> None:
    fill(journal, 5)
    report = tamper(
        path,
        "DELETE FROM entries WHERE seq = 3",
        "UPDATE entries SET seq = seq - 1 WHERE seq > 3",
    )
    assert (report.ok, report.first_bad_seq) == (False, 3)


def test_a_removed_first_row_is_found(journal: Journal, path: Path) -> None:
    fill(journal, 3)
    report = tamper(path, "DELETE FROM entries WHERE seq = 1")
    assert (report.ok, report.first_bad_seq, report.problem) == (False, 1, "rows-missing")


def test_a_removed_last_row_is_found_through_the_head(journal: Journal, path: Path) -> None:
    fill(journal, 5)
    report = tamper(path, "DELETE FROM entries WHERE seq = 5")
    assert report == VerifyReport(ok=False, rows=4, first_bad_seq=5, problem="tail-missing")


def test_all_rows_removed_is_found(journal: Journal, path: Path) -> None:
    fill(journal, 3)
    report = tamper(path, "DELETE FROM entries")
    assert (report.ok, report.first_bad_seq, report.problem) == (False, 1, "tail-missing")


def test_swapped_rows_are_found(journal: Journal, path: Path) -> None:
    fill(journal, 5)
    report = tamper(
        path,
        "UPDATE entries SET seq = -2 WHERE seq = 2",
        "UPDATE entries SET seq = 2 WHERE seq = 4",
        "UPDATE entries SET seq = 4 WHERE seq = -2",
    )
    assert (report.ok, report.first_bad_seq, report.problem) == (False, 2, "row-altered")


def test_swapped_contents_are_found(journal: Journal, path: Path) -> None:
    fill(journal, 5)
    report = tamper(
        path,
        "CREATE TEMP TABLE keep AS SELECT * FROM entries WHERE seq IN (2, 3)",
        "UPDATE entries SET (at, transaction_id, step, prev_hash, hash) ="
        " (SELECT at, transaction_id, step, prev_hash, hash FROM keep WHERE seq = 3) WHERE seq = 2",
        "UPDATE entries SET (at, transaction_id, step, prev_hash, hash) ="
        " (SELECT at, transaction_id, step, prev_hash, hash FROM keep WHERE seq = 2) WHERE seq = 3",
    )
    assert (report.ok, report.first_bad_seq) == (False, 2)


def test_an_edited_hash_is_found(journal: Journal, path: Path) -> None:
    fill(journal, 5)
    report = tamper(path, "UPDATE entries SET hash = printf('%064d', 7) WHERE seq = 4")
    assert (report.ok, report.first_bad_seq, report.problem) == (False, 4, "row-altered")


def test_a_row_rewritten_with_a_recomputed_hash_breaks_the_next_link(journal: Journal, path: Path) -> None:
    fill(journal, 5)
    connection = raw(path)
    try:
        at, prev = connection.execute("SELECT at, prev_hash FROM entries WHERE seq = 3").fetchone()
        forged = entry(Step.ABORTED, transaction_id=f"{2:032x}").fields()
        digest = entry_hash(prev, 3, at, forged)
        connection.execute(
            "UPDATE entries SET step = 'aborted', hash = ? WHERE seq = 3",
            (digest,),
        )
    finally:
        connection.close()
    with Journal.open(path, StepClock(), create=False) as reopened:
        report = reopened.verify()
    assert (report.ok, report.first_bad_seq, report.problem) == (False, 4, "chain-broken")


def test_a_changed_head_is_found(journal: Journal, path: Path) -> None:
    fill(journal, 3)
    report = tamper(path, "UPDATE head SET hash = printf('%064d', 8)")
    assert (report.ok, report.problem) == (False, "head-mismatch")


def test_dropped_triggers_alone_are_found(journal: Journal, path: Path) -> None:
    fill(journal, 3)
    report = tamper(path)
    assert report == VerifyReport(ok=False, rows=3, problem="triggers-missing")


def test_a_tampered_report_becomes_an_error_with_the_seq() -> None:
    error = JournalTamperedError(VerifyReport(ok=False, rows=2, first_bad_seq=3, problem="rows-missing"))
    assert error.to_dict() == {
        "code": "journal-tampered",
        "message": "journal does not verify at seq 3: rows-missing",
        "first_bad_seq": 3,
        "problem": "rows-missing",
        "rows": 2,
    }


# --- append-only at the SQL level -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE entries SET copies = 9 WHERE seq = 2",
        "DELETE FROM entries WHERE seq = 2",
        "DELETE FROM entries WHERE seq = 3",
        "DELETE FROM entries",
        "UPDATE head SET seq = 2",
        "DELETE FROM head",
        "UPDATE checkpoint SET seq = 2, hash = 'x'",
        "DELETE FROM checkpoint",
        "INSERT INTO entries (seq, at, transaction_id, step, prev_hash, hash)"
        " VALUES (9, 'x', '0123456789abcdef0123456789abcdef', 'begin', printf('%064d', 0), 'x')",
    ],
)
def test_the_schema_refuses_changes(journal: Journal, path: Path, statement: str) -> None:
    fill(journal, 3)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute(statement)
    finally:
        connection.close()
    assert journal.verify() == VerifyReport(ok=True, rows=3)


# --- retention ------------------------------------------------------------------------------------------


def test_prune_removes_old_rows_and_the_rest_verifies(path: Path) -> None:
    clock = StepClock()
    with Journal.open(path, clock) as journal:
        for n in range(5):
            journal.append(entry(Step.FINISHED, transaction_id=f"{n:032x}"))
        clock.instant += timedelta(days=100)
        for n in range(5, 8):
            journal.append(entry(Step.FINISHED, transaction_id=f"{n:032x}"))
        assert journal.prune(timedelta(days=90)) == 5
        assert journal.verify() == VerifyReport(ok=True, rows=3)
        assert journal.prune(timedelta(days=90)) == 0
        assert journal.append(entry()) == 9
        assert journal.verify() == VerifyReport(ok=True, rows=4)


def test_prune_everything_then_append(path: Path) -> None:
    clock = StepClock()
    with Journal.open(path, clock) as journal:
        fill(journal, 3)
        for seq in range(3):
            journal.append(entry(Step.FINISHED, transaction_id=f"{seq:032x}"))
        clock.instant += timedelta(days=10)
        assert journal.prune(timedelta(days=1)) == 6
        assert journal.verify() == VerifyReport(ok=True, rows=0)
        assert journal.append(entry()) == 7
        assert journal.verify() == VerifyReport(ok=True, rows=1)


def test_prune_keeps_the_rows_of_unfinished_transactions(path: Path) -> None:
    clock = StepClock()
    with Journal.open(path, clock) as journal:
        journal.append(entry(Step.FINISHED, transaction_id=TX2))  # 1
        journal.append(entry(Step.BEGIN))  # 2, never finished
        journal.append(entry(Step.FINISHED, transaction_id=f"{3:032x}"))  # 3
        clock.instant += timedelta(days=100)
        assert journal.prune(timedelta(days=90)) == 1
        assert journal.verify() == VerifyReport(ok=True, rows=2)
        assert [trail.transaction_id for trail in journal.unfinished()] == [TX]


def test_removing_rows_after_a_prune_is_still_found(path: Path) -> None:
    clock = StepClock()
    with Journal.open(path, clock) as journal:
        fill(journal, 4)
        clock.instant += timedelta(days=100)
        fill(journal, 4)
        for n in range(8):
            journal.append(entry(Step.FINISHED, transaction_id=f"{n:032x}"))
        clock.instant = T0 + timedelta(days=100)
        assert journal.prune(timedelta(days=90)) == 4
    assert tamper(path, "DELETE FROM entries WHERE seq = 8").first_bad_seq == 8
    assert (
        tamper(path, "DELETE FROM entries WHERE seq = 5").first_bad_seq == 5
    )  # the first after the checkpoint


def test_prune_refuses_a_non_positive_age(journal: Journal) -> None:
    with pytest.raises(ValueError, match="positive"):
        journal.prune(timedelta(0))


# --- export ---------------------------------------------------------------------------------------------


def test_export_since_gives_later_rows_with_hashes(path: Path) -> None:
    clock = StepClock()
    with Journal.open(path, clock) as journal:
        fill(journal, 3)
        since = clock.instant + timedelta(hours=1)
        clock.instant = since
        journal.append(entry(Step.PAYMENT_COLLECTED, fee_yen=300, payment_ref="virtual-000001"))
        journal.append(entry(Step.FINISHED, outcome=Outcome.PRINTED))
        rows = list(journal.export(since.astimezone(datetime.now().astimezone().tzinfo)))
        everything = list(journal.export(T0))
    assert [row["seq"] for row in rows] == [4, 5]
    assert rows[0]["fee_yen"] == 300
    assert rows[1]["outcome"] == "printed"
    assert rows[1]["prev_hash"] == rows[0]["hash"]
    assert set(rows[0]) == {
        "seq",
        "at",
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
        "prev_hash",
        "hash",
    }
    assert len(everything) == 5


def test_export_pages_through_many_rows(journal: Journal) -> None:
    fill(journal, 1203)
    assert [row["seq"] for row in journal.export(T0)] == list(range(1, 1204))


# --- unfinished transactions ----------------------------------------------------------------------------


def test_unfinished_lists_interrupted_transactions_with_their_ids(journal: Journal) -> None:
    journal.append(entry(Step.BEGIN))
    journal.append(entry(Step.BEGIN, transaction_id=TX2))
    journal.append(entry(Step.DOCUMENT_CHOSEN, document_type="inkan", copies=1))
    journal.append(entry(Step.PAYMENT_COLLECTED, fee_yen=300, payment_ref="virtual-000007"))
    journal.append(entry(Step.REQUESTED, request_id=REQUEST))
    journal.append(entry(Step.PRINT_SUBMITTED, job_id=42))
    journal.append(
        entry(Step.ABORTED, transaction_id=TX2, outcome=Outcome.CANCELLED, error_code="card-removed")
    )
    (trail,) = journal.unfinished()
    assert trail.transaction_id == TX
    assert trail.last_step is Step.PRINT_SUBMITTED
    assert trail.steps == (
        Step.BEGIN,
        Step.DOCUMENT_CHOSEN,
        Step.PAYMENT_COLLECTED,
        Step.REQUESTED,
        Step.PRINT_SUBMITTED,
    )
    assert (trail.first_seq, trail.last_seq) == (1, 6)
    assert trail.document_type is DocumentType.INKAN
    assert (trail.copies, trail.fee_yen) == (1, 300)
    assert (trail.request_id, trail.job_id, trail.payment_ref) == (REQUEST, 42, "virtual-000007")
    assert trail.started_at == T0 + timedelta(seconds=1)
    assert trail.last_at == T0 + timedelta(seconds=6)


@pytest.mark.parametrize("last", sorted(TERMINAL_STEPS))
def test_a_terminal_step_ends_a_transaction(journal: Journal, last: Step) -> None:
    journal.append(entry(Step.BEGIN))
    journal.append(entry(Step.REFUNDED))
    assert [trail.last_step for trail in journal.unfinished()] == [Step.REFUNDED]
    journal.append(entry(last))
    assert journal.unfinished() == []


def test_terminal_steps_are_the_four_named() -> None:
    assert {str(step) for step in TERMINAL_STEPS} == {"finished", "aborted", "failed", "reconciled"}


# --- read-only and full disk ----------------------------------------------------------------------------


def read_only_connector(path: Path) -> sqlite3.Connection:
    # Root ignores chmod, so read-only is what SQLite itself enforces: a mode=ro connection.
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)


def test_a_read_only_journal_refuses_rows_and_keeps_the_old_ones(path: Path, clock: StepClock) -> None:
    with Journal.open(path, clock) as journal:
        fill(journal, 3)
    with Journal.open(path, clock, connect=read_only_connector) as journal:
        assert not journal.writable()
        with pytest.raises(JournalUnavailableError) as caught:
            journal.check_writable()
        assert caught.value.reason == "read-only"
        with pytest.raises(JournalUnavailableError) as caught:
            journal.append(entry())
        assert caught.value.reason == "read-only"
        assert caught.value.to_dict() == {
            "code": "journal-unavailable",
            "message": "journal unavailable: the journal or its directory is read-only",
            "reason": "read-only",
        }
        assert journal.verify() == VerifyReport(ok=True, rows=3)
    with Journal.open(path, clock) as journal:
        assert journal.append(entry()) == 4
        assert journal.verify() == VerifyReport(ok=True, rows=4)


def test_a_new_journal_cannot_be_created_read_only(path: Path, clock: StepClock) -> None:
    with pytest.raises(JournalUnavailableError) as caught:
        Journal.open(path, clock, connect=read_only_connector)
    assert caught.value.reason == "read-only"


def test_the_read_only_option_opens_without_writing(path: Path, clock: StepClock) -> None:
    with Journal.open(path, clock) as journal:
        fill(journal, 2)
    with Journal.open(path, clock, read_only=True) as journal:
        with pytest.raises(JournalUnavailableError, match="read-only"):
            journal.append(entry())
        assert journal.verify().ok


def test_a_missing_journal_is_not_created_without_create(path: Path, clock: StepClock) -> None:
    with pytest.raises(JournalUnavailableError) as caught:
        Journal.open(path, clock, create=False)
    assert caught.value.reason == "missing"
    assert not path.exists()


def test_a_missing_directory_is_reported(tmp_path: Path, clock: StepClock) -> None:
    with pytest.raises(JournalUnavailableError) as caught:
        Journal.open(tmp_path / "nowhere" / "journal.db", clock)
    assert caught.value.reason == "missing"


def test_a_full_disk_refuses_the_row_and_keeps_every_acknowledged_one(path: Path, clock: StepClock) -> None:
    with Journal.open(path, clock) as journal:
        fill(journal, 3)
        (pages,) = journal._connection.execute("PRAGMA page_count").fetchone()

    def small_disk(database: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA max_page_count = {pages}")  # a real SQLITE_FULL once the pages are used
        return connection

    acknowledged = 3
    with Journal.open(path, clock, connect=small_disk) as journal:
        with pytest.raises(JournalUnavailableError) as caught:
            for _ in range(10_000):
                journal.append(entry(Step.PAYMENT_COLLECTED, fee_yen=300, payment_ref="virtual-000001"))
                acknowledged += 1
        assert caught.value.reason == "disk-full"
        assert "full" in str(caught.value)
        assert journal.verify() == VerifyReport(ok=True, rows=acknowledged)
    with Journal.open(path, clock) as journal:
        assert journal.verify() == VerifyReport(ok=True, rows=acknowledged)
        assert journal.append(entry()) == acknowledged + 1


def test_too_little_free_space_is_a_full_disk(path: Path, clock: StepClock) -> None:
    with Journal.open(path, clock, min_free_bytes=2**62) as journal:
        assert not journal.writable()
        with pytest.raises(JournalUnavailableError) as caught:
            journal.check_writable()
        assert caught.value.reason == "disk-full"


def test_a_healthy_journal_is_writable(journal: Journal) -> None:
    journal.check_writable()
    assert journal.writable()
    assert journal.append(entry()) == 1


def test_an_io_error_is_reported_as_such(path: Path, clock: StepClock) -> None:
    def broken(database: Path) -> sqlite3.Connection:
        error = sqlite3.OperationalError("disk I/O error")
        error.sqlite_errorcode = 10 | (3 << 8)  # SQLITE_IOERR_WRITE
        raise error

    with pytest.raises(JournalUnavailableError) as caught:
        Journal.open(path, clock, connect=broken)
    assert caught.value.reason == "io-error"


def test_not_a_database(path: Path, clock: StepClock) -> None:
    path.write_bytes(b"this is not an SQLite file, just some bytes" * 100)
    with pytest.raises(JournalFormatError):
        Journal.open(path, clock)


def test_a_newer_schema_is_refused(path: Path, clock: StepClock) -> None:
    with Journal.open(path, clock):
        pass
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(JournalFormatError, match="newer"):
        Journal.open(path, clock)


def test_journal_errors_are_kiosk_errors() -> None:
    from kiosk.errors import KioskError

    assert issubclass(JournalError, KioskError)
    for kind in (JournalUnavailableError, JournalEntryError, JournalFormatError, JournalTamperedError):
        assert issubclass(kind, JournalError)


# --- the allowlist --------------------------------------------------------------------------------------

NAME = "山田 太郎"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"error_code": NAME}, "error_code"),
        ({"error_code": "Yamada Taro"}, "error_code"),
        ({"error_code": "x" * 65}, "error_code"),
        ({"transaction_id": NAME}, "transaction_id"),
        ({"transaction_id": "yamada-taro"}, "transaction_id"),
        ({"request_id": "yamada"}, "request_id"),
        ({"payment_ref": "YamadaTaro"}, "payment_ref"),
        ({"payment_ref": NAME + "1"}, "payment_ref"),
        ({"step": NAME}, "step"),
        ({"step": "note: resident Yamada"}, "step"),
        ({"outcome": NAME}, "outcome"),
        ({"document_type": NAME}, "document_type"),
        ({"copies": -1}, "copies"),
        ({"copies": True}, "copies"),
        ({"copies": "2"}, "copies"),
        ({"fee_yen": 10**9}, "fee_yen"),
        ({"job_id": 0}, "job_id"),
    ],
)
def test_free_text_is_refused_naming_the_field_not_the_value(fields: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"transaction_id": TX, "step": "begin", **fields}
    with pytest.raises(JournalEntryError) as caught:
        JournalEntry(**values)  # type: ignore[arg-type]
    assert caught.value.field == field
    rendered = str(caught.value) + repr(caught.value.to_dict())
    assert "山田" not in rendered
    assert "Yamada" not in rendered
    assert "yamada" not in rendered


def test_a_refused_entry_writes_nothing(journal: Journal) -> None:
    with pytest.raises(JournalEntryError):
        journal.append(entry(error_code=NAME))
    assert journal.verify() == VerifyReport(ok=True, rows=0)


def test_strings_become_the_enums() -> None:
    made = JournalEntry(transaction_id=TX, step="finished", outcome="printed", document_type="juminhyo")  # type: ignore[arg-type]
    assert made.step is Step.FINISHED
    assert made.outcome is Outcome.PRINTED
    assert made.document_type is DocumentType.JUMINHYO


def test_append_takes_only_journal_entries(journal: Journal) -> None:
    with pytest.raises(TypeError):
        journal.append({"transaction_id": TX, "step": "begin"})  # type: ignore[arg-type]


def test_the_hash_covers_every_field() -> None:
    base = entry(Step.FINISHED, outcome=Outcome.PRINTED, copies=1, fee_yen=300).fields()
    at = "2026-11-24T01:00:00.000000+00:00"
    digest = entry_hash(GENESIS_HASH, 1, at, base)
    assert entry_hash(GENESIS_HASH, 2, at, base) != digest
    assert entry_hash("1" * 64, 1, at, base) != digest
    assert entry_hash(GENESIS_HASH, 1, at.replace("01:", "02:"), base) != digest
    for name in base:
        changed = dict(base)
        changed[name] = 7 if base[name] is None else None
        assert entry_hash(GENESIS_HASH, 1, at, changed) != digest, name


def test_the_unfinished_query_names_exactly_the_terminal_steps() -> None:
    from kiosk.journal import _UNFINISHED_FIRST_SEQ

    listed = _UNFINISHED_FIRST_SEQ.split("NOT IN (")[1].rstrip(")")
    assert {name.strip(" '") for name in listed.split(",")} == {str(step) for step in TERMINAL_STEPS}


def test_acknowledged_rows_survive_sigkill(path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import os, signal, sys\n"
        "from datetime import UTC, datetime\n"
        "from kiosk.clock import FixedClock\n"
        "from kiosk.journal import Journal, JournalEntry\n"
        "journal = Journal.open(sys.argv[1], FixedClock(datetime(2026, 11, 24, tzinfo=UTC)))\n"
        "for _ in range(3):\n"
        "    journal.append(JournalEntry(transaction_id='0123456789abcdef', step='begin'))\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], check=False, timeout=60)
    assert done.returncode == -9
    with Journal.open(path, StepClock(), create=False) as journal:
        assert journal.verify() == VerifyReport(ok=True, rows=3)
