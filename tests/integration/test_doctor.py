"""`kiosk doctor` on the real rig (pcscd + vpcd, the backend over TLS, cupsd, a journal): healthy, then each
fault the rig can produce, each reported with its code and what staff should do."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk.clock import SystemClock
from kiosk.journal import Journal, JournalEntry, Step
from printing.spool import PrintJob, Spooler, cups_connection_factory
from tests.cups_rig import CupsRig
from tests.integration.backend_rig import Deployment, free_port
from tests.kiosk_main import run_kiosk
from tests.rig import PcscdRig

pytestmark = pytest.mark.integration


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "journal.db"
    with Journal.open(path, SystemClock()) as opened:
        opened.append(JournalEntry("0123456789abcdef", Step.BEGIN))
        opened.append(JournalEntry("0123456789abcdef", Step.ABORTED, error_code="cancelled"))
    return path


def doctor(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], config: Path, journal: Path
) -> Any:
    status, out, err = run_kiosk(
        monkeypatch, capsys, "doctor", "--config", str(config), "--journal", str(journal), "--json"
    )
    report = json.loads(out)
    assert status == (0 if report["ok"] else 1), err
    return report


def codes(report: Any) -> dict[str, str]:
    return {finding["check"]: finding["code"] for finding in report["findings"]}


def finding(report: Any, code: str) -> Any:
    return next(f for f in report["findings"] if f["code"] == code)


def test_a_healthy_terminal(
    deployment: Deployment,
    cupsd: CupsRig,
    pcscd_rig: PcscdRig,
    journal: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = doctor(monkeypatch, capsys, deployment.config_with_printer(cupsd.server, tmp_path.name), journal)
    assert report["ok"], report
    assert set(codes(report)) == {"config", "reader", "printer", "backend", "clock", "disk", "journal"}
    assert set(codes(report).values()) == {"ok"}


def test_each_fault_of_the_rig_is_reported_with_what_to_do(
    deployment: Deployment,
    cupsd: CupsRig,
    pcscd_rig: PcscdRig,
    software_card: object,
    journal: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = deployment.config_with_printer(cupsd.server, tmp_path.name)

    # A card left on the reader: a warning, not a failure.
    report = doctor(monkeypatch, capsys, config, journal)
    assert report["ok"] and codes(report)["reader"] == "card-left"
    assert "police" in finding(report, "card-left")["action"]

    # A paper jam stays on the queue until a clerk clears it.
    cupsd.set_mode("jam")
    spooler = Spooler("Kiosk", connection_factory=cups_connection_factory(cupsd.server))
    spooler.print_pdf(PrintJob(pdf=b"%PDF-1.4\n%%EOF\n", name="doctor-jam"))
    report = doctor(monkeypatch, capsys, config, journal)
    assert not report["ok"] and codes(report)["printer"] == "printer-needs-staff"
    assert "clear the paper jam" in finding(report, "printer-needs-staff")["action"]

    # The backend down (nothing listens on its port), cupsd unreachable.
    dead = free_port()
    broken = config.parent / f"broken-{tmp_path.name}.toml"  # beside it: its relative paths must hold
    text = config.read_text(encoding="utf-8").replace(f":{deployment.port}", f":{dead}")
    broken.write_text(text.replace(cupsd.server, f"127.0.0.1:{free_port()}"), encoding="utf-8")
    report = doctor(monkeypatch, capsys, broken, journal)
    assert codes(report)["backend"] == "backend-unreachable"
    assert codes(report)["printer"] == "printer-unreachable"

    # A config with a bad value: named by file and key, and nothing else is asked.
    bad = config.parent / f"bad-{tmp_path.name}.toml"
    bad.write_text(config.read_text(encoding="utf-8").replace("[card]\n", '[card]\nflavour = "x"\n'), "utf-8")
    report = doctor(monkeypatch, capsys, bad, journal)
    assert codes(report)["config"] == "config-invalid"
    assert "card.flavour" in finding(report, "config-invalid")["detail"]

    # The journal altered behind the kiosk's back.
    with sqlite3.connect(journal) as raw:
        for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            raw.execute(f"DROP TRIGGER {name}")
        raw.execute("UPDATE entries SET error_code = 'timeout' WHERE seq = 2")
    report = doctor(monkeypatch, capsys, config, journal)
    assert codes(report)["journal"] == "journal-tampered"


def test_no_pcscd_is_a_reader_error(deployment: Deployment, journal: Path, tmp_path: Path) -> None:
    # libpcsclite reads PCSCLITE_CSOCK_NAME once per process: a fresh process with a socket nobody serves.
    env = {**os.environ, "PCSCLITE_CSOCK_NAME": str(tmp_path / "no-pcscd.comm")}
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "doctor", "--config", str(deployment.config),
         "--journal", str(journal), "--json"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert codes(report)["reader"] == "reader-error"
    assert finding(report, "reader-error")["action"]


def test_unsettled_transactions_are_a_warning(journal: Path) -> None:
    from kiosk.doctor import JournalHealth, Severity, check_journal

    with Journal.open(journal, SystemClock()) as opened:
        opened.append(JournalEntry("fedcba9876543210", Step.BEGIN))
        (found,) = check_journal(lambda: JournalHealth(True, None, None, None, len(opened.unfinished())))
    assert found.code == "unsettled-transactions" and found.severity is Severity.WARNING
