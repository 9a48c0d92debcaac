"""Crash recovery: settle, exactly once, every transaction the journal shows as unfinished.

A kiosk killed in the middle of a transaction (power cut, SIGKILL, a crash) left rows in the journal but no
terminal one. Before the first new transaction, `recover` settles each of them:

* a print job the journal knows of is cancelled in the spooler first, so it can never come out later for
  the next resident (the 2023 mis-issues); only a job cupsd says had already completed counts as printed;
* the backend request, if there was one, is completed `printed` (the paper came out) or `failed` (no
  charge). The backend answers a repeated completion with the first result, so a recovery that is itself
  interrupted and run again changes nothing;
* money taken for a transaction that did not print is flagged for refund (`refund-due`): the coin device's
  escrow is gone with the process, so staff or the operator pay it back;
* a `reconciled` row closes the transaction in the journal. A transaction whose backend could not be reached
  stays open and is tried again at the next start.

The document itself was only ever in the process's memory, so nothing else can print it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.backend.api import CompletionRequest
from kiosk.backend.api import Outcome as WireOutcome
from kiosk.errors import KioskError
from kiosk.issue import Backend
from kiosk.journal import Journal, JournalEntry, Outcome, Step, TransactionTrail

__all__ = ["Reconciliation", "recover"]

_log = logging.getLogger("kiosk.recovery")

#: What the spooler says about a job of an earlier run (printing.spool.JobEnd values).
JOB_COMPLETED = "completed"


@dataclass(frozen=True)
class Reconciliation:
    transaction_id: str
    last_step: str
    printed: bool
    request_id: str | None
    refund_due: bool
    settled: bool
    error_code: str | None = None


def recover(
    journal: Journal,
    *,
    backend: Backend,
    cancel_job: Callable[[int], str] | None = None,
) -> list[Reconciliation]:
    """Settle every unfinished transaction; returns what was done (for the log and the staff screen)."""
    done = []
    for trail in journal.unfinished():
        done.append(_settle(journal, trail, backend, cancel_job))
    return done


def _settle(
    journal: Journal, trail: TransactionTrail, backend: Backend, cancel_job: Callable[[int], str] | None
) -> Reconciliation:
    printed = Step.PRINTED in trail.steps
    if not printed and trail.job_id is not None and cancel_job is not None:
        try:
            printed = cancel_job(trail.job_id) == JOB_COMPLETED
        except KioskError as error:
            # Not confirmed cancelled: leave the transaction open, try again at the next start.
            _log.error(
                "recovery of %s: job %d not cancelled: %s", trail.transaction_id, trail.job_id, error.code
            )
            return _open(trail, printed, error.code)
    if trail.request_id is not None and Step.REPORTED_PRINTED not in trail.steps:
        completion = CompletionRequest(
            outcome=WireOutcome.PRINTED if printed else WireOutcome.FAILED,
            copies_printed=(trail.copies or 1) if printed else 0,
        )
        try:
            backend.complete(trail.request_id, completion)
        except KioskError as error:
            _log.error("recovery of %s: backend not told: %s", trail.transaction_id, error.code)
            return _open(trail, printed, error.code)
    refund_due = trail.payment_ref is not None and not printed and Step.REFUNDED not in trail.steps
    journal.append(
        JournalEntry(
            trail.transaction_id,
            Step.RECONCILED,
            document_type=trail.document_type,
            copies=trail.copies,
            fee_yen=trail.fee_yen if refund_due else None,
            outcome=Outcome.PRINTED if printed else (Outcome.REFUNDED if refund_due else Outcome.CANCELLED),
            error_code="refund-due" if refund_due else f"crashed-at:{trail.last_step}",
            request_id=trail.request_id,
            job_id=trail.job_id,
            payment_ref=trail.payment_ref,
        )
    )
    _log.warning(
        "recovered transaction %s (crashed after %s): %s%s",
        trail.transaction_id,
        trail.last_step,
        "printed" if printed else "not printed",
        ", refund due" if refund_due else "",
    )
    return Reconciliation(
        trail.transaction_id, str(trail.last_step), printed, trail.request_id, refund_due, True
    )


def _open(trail: TransactionTrail, printed: bool, code: str) -> Reconciliation:
    return Reconciliation(
        trail.transaction_id,
        str(trail.last_step),
        printed,
        trail.request_id,
        refund_due=False,
        settled=False,
        error_code=code,
    )
