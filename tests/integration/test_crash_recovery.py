"""The kiosk killed (SIGKILL) right after each step of a transaction is journaled; on restart recovery
settles it exactly once with the backend, nothing prints later, money taken is flagged for refund, and the
journal still verifies."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.backend.api import CompletionRequest, Outcome
from kiosk.backend.http import BackendClient
from kiosk.clock import SystemClock
from kiosk.journal import Journal, Step
from kiosk.recovery import recover
from kiosk.settings import load_site_config
from printing.spool import JobEnd, Spooler, cups_connection_factory
from tests.cups_rig import CupsRig
from tests.integration.backend_rig import Deployment, kiosk_command

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
#: Steps the folder-printer transaction journals, in order; the CUPS one adds print-submitted.
STEPS = ["begin", "card-read", "authenticated", "document-chosen", "payment-collected", "verified", "printed",
         "reported-printed"]  # fmt: skip
PRINTED_STEPS = {"printed", "reported-printed"}
PAID_STEPS = {"payment-collected", "verified", "printed", "reported-printed"}


@pytest.fixture(scope="module")
def card(deployment: Deployment, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("crash-card") / "card"
    made = kiosk_command("backend", "make-card", "--data", str(deployment.data), "--resident", "R0001",
                         "--out", str(out), "--json")  # fmt: skip
    assert made.returncode == 0, made.stderr
    return out


def _crash(config: Path, card: Path, journal: Path, step: str, pdf_dir: Path, *cups: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.integration.crash_driver", str(config), str(card), str(journal), step,
         str(pdf_dir), *cups],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == -signal.SIGKILL, (
        f"expected the kiosk to be killed after {step!r}; exit {result.returncode}\n{result.stderr[-3000:]}"
    )


def _outcome_at_backend(backend: BackendClient, request_id: str) -> tuple[Outcome, int]:
    """A repeated completion answers the first one (the protocol's exactly-once): read it back that way."""
    answer = backend.complete(request_id, CompletionRequest(outcome=Outcome.FAILED, copies_printed=0))
    return answer.outcome, answer.charged_yen


@pytest.mark.parametrize("step", STEPS)
def test_a_kiosk_killed_after_each_step_is_settled_exactly_once(
    deployment: Deployment, card: Path, tmp_path: Path, step: str
) -> None:
    journal_path, pdf_dir = tmp_path / "journal.db", tmp_path / "printed"
    _crash(deployment.config, card, journal_path, step, pdf_dir)
    printed_before = sorted(pdf_dir.glob("*.pdf")) if pdf_dir.exists() else []
    clock = SystemClock()
    config = load_site_config(deployment.config)
    with Journal.open(journal_path, clock) as journal, BackendClient(config.backend, clock=clock) as backend:
        (trail,) = journal.unfinished()
        assert str(trail.last_step) == step
        done = recover(journal, backend=backend)
        assert len(done) == 1 and done[0].settled
        settled = done[0]
        assert settled.printed == (step in PRINTED_STEPS)
        assert settled.refund_due == (step in PAID_STEPS and step not in PRINTED_STEPS)
        if trail.request_id is not None:
            outcome, charged = _outcome_at_backend(backend, trail.request_id)
            if step in PRINTED_STEPS:
                assert outcome is Outcome.PRINTED and charged > 0
            else:
                assert outcome is Outcome.FAILED and charged == 0
        else:
            assert step not in PAID_STEPS - {"payment-collected"}
        # Exactly once: a second start finds nothing to do, and the journal is intact.
        assert recover(journal, backend=backend) == []
        assert journal.unfinished() == []
        assert journal.verify().ok
        rows = [row["step"] for row in journal.export(since=trail.started_at)]
        assert rows[-1] == str(Step.RECONCILED)
    # Nothing printed after the crash: the document only lived in the killed process.
    time.sleep(0.5)
    assert (sorted(pdf_dir.glob("*.pdf")) if pdf_dir.exists() else []) == printed_before
    assert len(printed_before) == (1 if step in PRINTED_STEPS else 0)


def test_a_job_left_in_cups_by_a_killed_kiosk_is_cancelled_and_never_prints(
    deployment: Deployment, card: Path, cupsd: CupsRig, tmp_path: Path
) -> None:
    cupsd.set_mode("off")  # the printer takes the job and makes no progress: it would print later
    journal_path = tmp_path / "journal.db"
    _crash(deployment.config, card, journal_path, "print-submitted", tmp_path / "unused", cupsd.server)
    clock = SystemClock()
    config = load_site_config(deployment.config)
    spooler = Spooler("Kiosk", connection_factory=cups_connection_factory(cupsd.server))
    with Journal.open(journal_path, clock) as journal, BackendClient(config.backend, clock=clock) as backend:
        (trail,) = journal.unfinished()
        assert trail.job_id is not None and trail.request_id is not None
        (settled,) = recover(journal, backend=backend, cancel_job=lambda job: str(spooler.cancel_job(job)))
        assert settled.settled and not settled.printed and settled.refund_due
        assert _outcome_at_backend(backend, trail.request_id) == (Outcome.FAILED, 0)
    # The printer comes back: the cancelled job must not come out.
    cupsd.set_mode("ok")
    time.sleep(2)
    assert trail.job_id not in cupsd.printed_jobs()
    assert spooler.cancel_job(trail.job_id) in (JobEnd.CANCELLED, JobEnd.UNKNOWN)
