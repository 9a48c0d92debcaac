"""`kiosk journal verify|export|prune`, run in this process on journals in a temporary directory.

No test reads $KIOSK_JOURNAL from the environment or /var/lib/kiosk (the autouse fixture points the
variable at a temporary file).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.clock import FixedClock
from kiosk.journal import Journal, JournalEntry, Outcome, Step
from tests.kiosk_main import run_kiosk

TX = "0123456789abcdef0123456789abcdef"
OLD = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def journal_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "journal.db"
    monkeypatch.setenv("KIOSK_JOURNAL", str(path))
    return path


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    return run_kiosk(monkeypatch, capsys, *argv)


def write(path: Path, at: datetime, count: int, step: Step = Step.FINISHED) -> None:
    with Journal.open(path, FixedClock(at)) as journal:
        for n in range(count):
            journal.append(
                JournalEntry(
                    transaction_id=f"{n:032x}", step=step, outcome=Outcome.PRINTED, fee_yen=300, copies=1
                )
            )


def test_verify_an_intact_journal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], journal_path: Path
) -> None:
    write(journal_path, OLD, 3)
    status, out, err = run(monkeypatch, capsys, "journal", "verify", "--json")
    assert (status, err) == (0, "")
    assert json.loads(out) == {"ok": True, "rows": 3, "first_bad_seq": None, "problem": None}
    status, out, _ = run(monkeypatch, capsys, "journal", "verify")
    assert (status, out) == (0, "journal intact: 3 rows\n")


def test_verify_a_tampered_journal_exits_9_with_the_first_bad_seq(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], journal_path: Path
) -> None:
    write(journal_path, OLD, 5)
    connection = sqlite3.connect(journal_path, isolation_level=None)
    connection.execute("DROP TRIGGER entries_no_delete")
    connection.execute("DELETE FROM entries WHERE seq = 2")
    connection.close()
    status, out, err = run(monkeypatch, capsys, "journal", "verify", "--json")
    assert (status, out) == (9, "")
    assert json.loads(err) == {
        "code": "journal-tampered",
        "message": "journal does not verify at seq 2: rows-missing",
        "first_bad_seq": 2,
        "problem": "rows-missing",
        "rows": 1,
    }
    status, _, err = run(monkeypatch, capsys, "journal", "verify")
    assert status == 9
    assert err == "kiosk: journal does not verify at seq 2: rows-missing\n"


def test_verify_takes_the_journal_option(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    write(other, OLD, 2)
    status, out, _ = run(monkeypatch, capsys, "journal", "verify", "--journal", str(other), "--json")
    assert status == 0
    assert json.loads(out)["rows"] == 2


def test_verify_a_missing_journal_creates_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], journal_path: Path
) -> None:
    status, out, err = run(monkeypatch, capsys, "journal", "verify", "--json")
    assert (status, out) == (1, "")
    assert json.loads(err)["code"] == "journal-unavailable"
    assert json.loads(err)["reason"] == "missing"
    assert not journal_path.exists()


def test_export_since_as_json_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], journal_path: Path
) -> None:
    write(journal_path, OLD, 2)
    recent = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    write(journal_path, recent, 3)
    status, out, err = run(
        monkeypatch, capsys, "journal", "export", "--since", "2026-11-24T09:00:00+09:00", "--json"
    )
    assert (status, err) == (0, "")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [row["seq"] for row in rows] == [3, 4, 5]
    assert rows[0]["at"] == "2026-11-24T01:00:00.000000+00:00"
    assert rows[0]["outcome"] == "printed"
    assert rows[1]["prev_hash"] == rows[0]["hash"]


def test_export_as_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], journal_path: Path
) -> None:
    write(journal_path, OLD, 2)
    status, out, _ = run(monkeypatch, capsys, "journal", "export", "--since", "2019-12-31T00:00:00Z")
    lines = out.splitlines()
    assert status == 0
    assert lines[0].split("\t")[:4] == ["seq", "at", "transaction_id", "step"]
    assert lines[1].split("\t")[:4] == ["1", "2020-01-01T00:00:00.000000+00:00", f"{0:032x}", "finished"]
    assert len(lines) == 3


@pytest.mark.parametrize("since", ["2026-11-24T09:00:00", "yesterday"])
def test_export_refuses_a_time_without_offset(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], journal_path: Path, since: str
) -> None:
    write(journal_path, OLD, 1)
    status, _, err = run(monkeypatch, capsys, "journal", "export", "--since", since, "--json")
    assert status == 2
    assert json.loads(err)["code"] == "usage"


def test_prune_removes_old_rows_and_the_journal_still_verifies(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], journal_path: Path
) -> None:
    write(journal_path, OLD, 4)
    write(journal_path, datetime.now(UTC) - timedelta(days=1), 2)
    status, out, err = run(monkeypatch, capsys, "journal", "prune", "--older-than", "30", "--json")
    assert (status, err) == (0, "")
    assert json.loads(out) == {"removed": 4}
    status, out, _ = run(monkeypatch, capsys, "journal", "verify", "--json")
    assert (status, json.loads(out)["rows"]) == (0, 2)
    status, out, _ = run(monkeypatch, capsys, "journal", "prune", "--older-than", "30")
    assert (status, out) == (0, "removed 0 rows\n")


@pytest.mark.parametrize("days", ["0", "-3", "ten"])
def test_prune_refuses_a_bad_age(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], journal_path: Path, days: str
) -> None:
    write(journal_path, OLD, 1)
    status, _, err = run(monkeypatch, capsys, "journal", "prune", "--older-than", days, "--json")
    assert status == 2
    assert json.loads(err)["code"] == "usage"


def test_journal_without_a_subcommand_prints_usage(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(monkeypatch, capsys, "journal")
    assert status == 2
    assert "usage" in err
