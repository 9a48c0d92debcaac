"""Printing through CUPS: stream a PDF to the local queue, watch it to the end, cancel it on any give-up.

This is the only module that imports `cups` (pycups). Everything else talks to `Spooler` and gets back a
`PrintOutcome`, a `PrinterStatus` or a `PrinterUnavailableError`.

How the PDF reaches cupsd without a file of ours: Create-Job, then Send-Document with the bytes streamed on
the same HTTP connection (`createJob`, `startDocument`, `writeRequestData`, `finishDocument`). The only copy
on disk is cupsd's own spool file, which `PreserveJobFiles No` removes when the job ends.

Why every give-up cancels: a job left in the queue after the kiosk has moved on prints later, for the next
resident (the 2023 Yokohama mis-issues). So a progress or staff timeout, a failed submission and any
exception while watching all cancel the job first; a cancel that cannot be confirmed raises.

pycups pitfalls this module works around (pycups 2.0.4 on libcups 2.4.2):
- `createJob` (libcups `cupsCreateJob`) looks the queue up again and treats the connection as the local
  scheduler only if it is a domain socket or matches libcups' *per-thread* default server; a plain
  `Connection(host, port)` to another cupsd fails with "printer or class does not exist". See
  `cups_connection_factory`.
- `writeRequestData` with a `str` crashes the interpreter (segmentation fault): only `bytes` go in.
- A single-valued keyword attribute comes back as a `str`, a multi-valued one as a `list`.

Blocking: `print_pdf` polls until the job ends, so the UI calls it from a worker thread; `on_status` is
called from that thread.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any, Protocol, TypeVar

import cups

from kiosk.errors import KioskError

__all__ = [
    "MAX_COPIES",
    "STAFF_REASON_PREFIXES",
    "ConnectionFactory",
    "CupsConnection",
    "JobEnd",
    "PrintFailedError",
    "PrintJob",
    "PrintOutcome",
    "PrintStatus",
    "PrinterState",
    "PrinterStatus",
    "PrinterUnavailableError",
    "Spooler",
    "cups_connection_factory",
    "is_staff_reason",
    "print_or_raise",
    "printer_status",
]

_log = logging.getLogger(__name__)
_T = TypeVar("_T")

MAX_COPIES = 10
#: printer-state-reasons keywords a store clerk can fix. Matched by prefix: the suffix (-report, -warning,
#: -error) follows the printer's state, not the problem, and vendors add qualifiers (media-jam-tray-2-error).
STAFF_REASON_PREFIXES = (
    "media-empty",
    "media-needed",
    "media-jam",
    "cover-open",
    "door-open",
    "toner-empty",
    "marker-supply-empty",
    "input-tray-missing",
)
#: A4 for both worlds: `media` for IPP Everywhere queues, `PageSize` for PPD-driven ones.
_MEDIA_OPTIONS = {"media": "iso_a4_210x297mm", "PageSize": "A4"}
_PDF = "application/pdf"
#: Job names go to the job history, the printer and its panel: letters, digits and . _ - only, so that a
#: resident's name or number cannot be passed by mistake (the message never echoes the rejected value).
_JOB_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_CHUNK = 64 * 1024
_HTTP_CONTINUE = 100
#: IPP status codes from 0x0400 on are errors (RFC 8011 §4.1.6.2).
_IPP_FIRST_ERROR = 0x0400

_JOB_ATTRIBUTES = [
    "job-state",
    "job-state-reasons",
    "job-impressions-completed",
    "job-media-sheets-completed",
]
_PRINTER_ATTRIBUTES = [
    "printer-state",
    "printer-state-reasons",
    "printer-is-accepting-jobs",
    "printer-state-message",
]
#: job-state-reasons that say nothing about why a job ended. cupsd 2.4 leaves processing-to-stop-point on
#: completed and aborted jobs alike.
_UNINFORMATIVE_JOB_REASONS = frozenset(
    {
        "none",
        "job-incoming",
        "job-queued",
        "job-printing",
        "processing-to-stop-point",
        "job-completed-successfully",
    }
)

# pycups raises IPPError(status, text) for IPP answers and broken connections, RuntimeError when it
# cannot connect at all, HTTPError for HTTP-level refusals.
_CUPS_ERRORS: tuple[type[BaseException], ...] = (cups.IPPError, cups.HTTPError, RuntimeError, OSError)


class _JobState(IntEnum):
    """RFC 8011 job-state values."""

    PENDING = 3
    HELD = 4
    PROCESSING = 5
    STOPPED = 6
    CANCELED = 7
    ABORTED = 8
    COMPLETED = 9


_ENDED = frozenset({_JobState.CANCELED, _JobState.ABORTED, _JobState.COMPLETED})


class PrinterState(IntEnum):
    """RFC 8011 printer-state values."""

    IDLE = 3
    PROCESSING = 4
    STOPPED = 5


class PrintStatus(StrEnum):
    """How a print ended. `print_pdf` returns completed, failed or offline; needs-staff is the condition
    `PrinterStatus.needs_staff` reports through `on_status` while the job waits for a clerk."""

    COMPLETED = "completed"
    FAILED = "failed"
    NEEDS_STAFF = "needs-staff"
    OFFLINE = "offline"


class JobEnd(StrEnum):
    """How a job of an earlier run ended, as crash recovery finds it."""

    COMPLETED = "completed"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


class PrintFailedError(KioskError):
    """The certificate did not print: `status` (failed, offline) and the printer's reasons, for staff."""

    code = "print-failed"
    reported = ("status", "reasons")

    def __init__(self, status: str, reasons: tuple[str, ...]) -> None:
        self.status = status
        self.reasons = reasons
        super().__init__(f"printing {status}: {', '.join(reasons) or 'no reason given'}")


def print_or_raise(spooler: Spooler, pdf: bytes, name: str, copies: int) -> str:
    """Print and return "cups:QUEUE/JOB", or raise PrintFailedError: only a completed job counts."""
    outcome = spooler.print_pdf(PrintJob(pdf=pdf, name=name, copies=copies))
    if outcome.status is not PrintStatus.COMPLETED:
        raise PrintFailedError(str(outcome.status), outcome.reasons)
    return f"cups:{spooler.queue}/{outcome.job_id}"


class PrinterUnavailableError(KioskError):
    """cupsd cannot be reached, the queue does not exist or refuses jobs, or a job could not be submitted or
    its cancellation confirmed. `stage` says which: connect, queue, not-accepting, stopped, submit, cancel."""

    code = "printer-unavailable"
    reported = ("queue",)

    def __init__(self, queue: str, stage: str) -> None:
        self.queue = queue
        self.stage = stage
        super().__init__(f"printer queue {queue!r} unavailable: {stage}")


class CupsConnection(Protocol):
    """The part of `cups.Connection` this module uses (the unit tests script a fake of it)."""

    def createJob(self, printer: str, title: str, options: dict[str, str]) -> int: ...

    def startDocument(
        self, printer: str, job_id: int, doc_name: str, format: str, last_document: int
    ) -> int: ...

    def writeRequestData(self, buffer: bytes, length: int) -> int: ...

    def finishDocument(self, printer: str) -> int: ...

    def getJobAttributes(self, jobid: int, requested_attributes: list[str]) -> dict[str, Any]: ...

    def getPrinterAttributes(self, name: str, requested_attributes: list[str]) -> dict[str, Any]: ...

    def cancelJob(self, jobid: int) -> None: ...


ConnectionFactory = Callable[[], CupsConnection]


def cups_connection_factory(server: str | None = None) -> ConnectionFactory:
    """A factory of pycups connections to `server`: None (libcups' default: CUPS_SERVER, client.conf, then
    /run/cups/cups.sock on Debian), a domain socket path, or "host:port".

    For "host:port" each call also sets libcups' default server *of the calling thread*
    (`cups.setServer`/`setPort`, which are per thread in libcups): `createJob` only accepts a connection
    that matches it. Setting CUPS_SERVER in the environment before the first connection works too.
    """
    if server is None:
        return cups.Connection  # type: ignore[no-any-return]
    if server.startswith("/"):
        return lambda: cups.Connection(host=server)
    host, _, port_text = server.rpartition(":")
    if not host or not port_text.isdigit():
        raise ValueError("server must be a socket path or host:port")
    port = int(port_text)

    def connect() -> CupsConnection:
        cups.setServer(host)
        cups.setPort(port)
        return cups.Connection(host=host, port=port)  # type: ignore[no-any-return]

    return connect


def is_staff_reason(reason: str) -> bool:
    """True for a printer-state-reasons keyword a clerk can fix, whatever its suffix."""
    return any(reason == prefix or reason.startswith(prefix + "-") for prefix in STAFF_REASON_PREFIXES)


@dataclass(frozen=True)
class PrinterStatus:
    """What the queue says about the printer, for the staff screen, `kiosk doctor` and `on_status`."""

    state: PrinterState
    reasons: tuple[str, ...]
    accepting: bool
    message: str

    @property
    def staff_reasons(self) -> tuple[str, ...]:
        return tuple(reason for reason in self.reasons if is_staff_reason(reason))

    @property
    def needs_staff(self) -> bool:
        return bool(self.staff_reasons)


@dataclass(frozen=True)
class PrintJob:
    """One print request. `pdf` is personal data: it never appears in a repr, a log line or an error."""

    pdf: bytes = field(repr=False)
    name: str
    copies: int = 1

    def __post_init__(self) -> None:
        # Checked at run time too: the types are not enforced, and a str given to pycups crashes it.
        _check_pdf(self.pdf)
        _check_name(self.name)
        _check_copies(self.copies)


def _check_pdf(pdf: object) -> None:
    if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF-"):
        raise ValueError("pdf must be the bytes of a PDF document")


def _check_name(name: object) -> None:
    if not isinstance(name, str) or _JOB_NAME.fullmatch(name) is None:
        raise ValueError("job name must be 1-64 ASCII letters, digits, '.', '_' or '-' (e.g. kiosk-<serial>)")


def _check_copies(copies: object) -> None:
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        raise ValueError(f"copies must be an integer from 1 to {MAX_COPIES}")


@dataclass(frozen=True)
class PrintOutcome:
    """How one job ended. `reasons` are the printer-state-reasons seen while it was watched, then the final
    job-state-reasons that say something (job-canceled-by-user, ...): IPP keywords, no personal data."""

    status: PrintStatus
    job_id: int
    reasons: tuple[str, ...]
    copies: int

    @property
    def staff_reasons(self) -> tuple[str, ...]:
        """The reasons a clerk should look at (a jam that aborted the job, paper that ran out, ...)."""
        return tuple(reason for reason in self.reasons if is_staff_reason(reason))


# ---------------------------------------------------------------------------------------------- reading


def _keywords(value: object) -> tuple[str, ...]:
    """An IPP keyword attribute as a tuple, without the placeholder "none"."""
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else list(value) if isinstance(value, Iterable) else [value]
    return tuple(str(v) for v in values if str(v) != "none")


def _printer_state(value: object) -> PrinterState:
    try:
        return PrinterState(int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        # cupsd always sends 3, 4 or 5; anything else is treated as "not printing".
        return PrinterState.STOPPED


def _read_printer(conn: CupsConnection, queue: str) -> PrinterStatus:
    attrs = conn.getPrinterAttributes(queue, requested_attributes=list(_PRINTER_ATTRIBUTES))
    return PrinterStatus(
        state=_printer_state(attrs.get("printer-state")),
        reasons=_keywords(attrs.get("printer-state-reasons")),
        accepting=bool(attrs.get("printer-is-accepting-jobs", False)),
        message=str(attrs.get("printer-state-message", "")),
    )


@dataclass(frozen=True)
class _JobSnapshot:
    """The job attributes whose change counts as progress."""

    state: int
    reasons: tuple[str, ...]
    impressions: int
    sheets: int

    @property
    def ended(self) -> bool:
        return self.state in _ENDED


class _JobVanishedError(Exception):
    """cupsd no longer knows the job (purged by hand): it cannot print any more."""


def _read_job(conn: CupsConnection, job_id: int) -> _JobSnapshot:
    try:
        attrs = conn.getJobAttributes(job_id, requested_attributes=list(_JOB_ATTRIBUTES))
    except cups.IPPError as exc:
        if exc.args and exc.args[0] == cups.IPP_NOT_FOUND:
            raise _JobVanishedError from exc
        raise
    return _JobSnapshot(
        state=int(attrs.get("job-state", 0)),
        reasons=_keywords(attrs.get("job-state-reasons")),
        impressions=int(attrs.get("job-impressions-completed", 0)),
        sheets=int(attrs.get("job-media-sheets-completed", 0)),
    )


def _is_not_found(exc: BaseException) -> bool:
    return isinstance(exc, cups.IPPError) and bool(exc.args) and exc.args[0] == cups.IPP_NOT_FOUND


def printer_status(queue: str, *, connection_factory: ConnectionFactory | None = None) -> PrinterStatus:
    """The queue's printer status now. Raises PrinterUnavailableError (connect, queue)."""
    factory = connection_factory or cups_connection_factory()
    try:
        conn = factory()
    except _CUPS_ERRORS as exc:
        raise PrinterUnavailableError(queue, "connect") from exc
    try:
        return _read_printer(conn, queue)
    except _CUPS_ERRORS as exc:
        raise PrinterUnavailableError(queue, "queue" if _is_not_found(exc) else "connect") from exc


# ---------------------------------------------------------------------------------------------- watching


class _Link:
    """One pycups connection, reopened after a failure (cupsd restarted, socket dropped)."""

    def __init__(self, factory: ConnectionFactory) -> None:
        self._factory = factory
        self._conn: CupsConnection | None = None

    def call(self, action: Callable[[CupsConnection], _T]) -> _T:
        if self._conn is None:
            self._conn = self._factory()
        try:
            return action(self._conn)
        except _CUPS_ERRORS:
            self._conn = None
            raise

    def attempt(self, action: Callable[[CupsConnection], _T]) -> _T | None:
        """`action`'s result, or None when cupsd could not be asked (counts as "no progress")."""
        try:
            return self.call(action)
        except _CUPS_ERRORS as exc:
            _log.debug("cupsd did not answer: %s", type(exc).__name__)
            return None


class _Watch:
    """What one job's watch has seen so far: timers, progress, reasons, the last status reported."""

    def __init__(self, now: float) -> None:
        self.progress_at = now
        self.last_job: _JobSnapshot | None = None
        self.staff_since: float | None = None
        self.staff_spent = 0.0
        self.reported: PrinterStatus | None = None
        self.reasons: dict[str, None] = {}  # insertion-ordered set

    def note_job(self, job: _JobSnapshot, now: float) -> None:
        if job != self.last_job:
            self.last_job = job
            self.progress_at = now

    def note_staff(self, needs_staff: bool | None, now: float) -> float:
        """Track time spent waiting for a clerk (summed over episodes); returns the total so far.
        None (cupsd did not answer) changes nothing: an unanswered poll is not a clerk fixing anything."""
        if needs_staff and self.staff_since is None:
            self.staff_since = now
        elif needs_staff is False and self.staff_since is not None:
            self.staff_spent += now - self.staff_since
            self.staff_since = None
            self.progress_at = now  # a clerk fixing the printer is progress: the offline clock restarts
        running = now - self.staff_since if self.staff_since is not None else 0.0
        return self.staff_spent + running

    def outcome_reasons(self, final: _JobSnapshot | None) -> tuple[str, ...]:
        job_reasons = () if final is None else final.reasons
        extra = tuple(r for r in job_reasons if r not in _UNINFORMATIVE_JOB_REASONS and r not in self.reasons)
        return (*self.reasons, *extra)


class Spooler:
    """Prints PDFs on one CUPS queue and reports how each job ended.

    progress_timeout: seconds a job may sit pending/processing with no change of job-state,
    job-state-reasons or completed impressions/sheets (and no clerk needed) before it is cancelled as
    offline. It must exceed the longest time the printer takes on one job without reporting progress.
    staff_timeout: total seconds one job may wait for a clerk (paper, jam, cover) before it is cancelled.
    """

    def __init__(
        self,
        queue: str,
        *,
        connection_factory: ConnectionFactory | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        poll_interval: float = 0.5,
        progress_timeout: float = 120.0,
        staff_timeout: float = 300.0,
    ) -> None:
        if not queue or "/" in queue:
            raise ValueError("queue must be a CUPS queue name")
        for name, value in (
            ("poll_interval", poll_interval),
            ("progress_timeout", progress_timeout),
            ("staff_timeout", staff_timeout),
        ):
            if not value > 0:
                raise ValueError(f"{name} must be positive")
        self.queue = queue
        self._factory = connection_factory or cups_connection_factory()
        self._monotonic = monotonic
        self._sleep = sleep
        self._poll_interval = poll_interval
        self._progress_timeout = progress_timeout
        self._staff_timeout = staff_timeout

    def printer_status(self) -> PrinterStatus:
        return printer_status(self.queue, connection_factory=self._factory)

    def print_pdf(
        self,
        job: PrintJob,
        *,
        on_status: Callable[[PrinterStatus], None] | None = None,
        on_created: Callable[[int], None] | None = None,
    ) -> PrintOutcome:
        """Submit `job`, wait until it ends or is given up, and say how it ended.

        Returns completed, failed (aborted or cancelled by someone else, or no clerk within
        staff_timeout: cancelled) or offline (no progress within progress_timeout: cancelled).
        `on_status` gets the printer status whenever it changes, first before submitting. `on_created` gets
        the job id as soon as cupsd has made the job, before the document is sent: the journal keeps it, so
        that a kiosk killed mid-print cancels the job when it starts again instead of letting it print.
        Raises PrinterUnavailableError when the job cannot be submitted or a cancel cannot be confirmed.
        """
        report = on_status or (lambda _status: None)
        link = _Link(self._factory)
        self._preflight(link, report)
        job_id = self._submit(link, job, on_created or (lambda _job_id: None))
        _log.info("job %d submitted to %s (%d copies)", job_id, self.queue, job.copies)
        try:
            outcome = self._watch(link, job_id, job.copies, report)
        except BaseException:
            # Whatever went wrong (the UI's callback included), the job must not print later.
            self._cancel_quietly(job_id)
            raise
        _log.info("job %d on %s: %s %s", job_id, self.queue, outcome.status, ",".join(outcome.reasons))
        return outcome

    # -- submission

    def _preflight(self, link: _Link, report: Callable[[PrinterStatus], None]) -> None:
        """Ask the queue first: a missing or refusing queue is refused clearly, before any job exists."""
        try:
            status = link.call(lambda conn: _read_printer(conn, self.queue))
        except _CUPS_ERRORS as exc:
            raise PrinterUnavailableError(self.queue, "queue" if _is_not_found(exc) else "connect") from exc
        report(status)
        if not status.accepting:
            raise PrinterUnavailableError(self.queue, "not-accepting")
        if status.state is PrinterState.STOPPED and not status.needs_staff:
            # A disabled queue keeps jobs without printing them; one waiting for a clerk is watched instead.
            raise PrinterUnavailableError(self.queue, "stopped")

    def cancel_job(self, job_id: int) -> JobEnd:
        """Cancel a job of an earlier run (crash recovery) and say how it had ended: a job that had already
        completed printed; one cancelled here never will. Raises PrinterUnavailableError if unconfirmed."""
        final = self._cancel(_Link(self._factory), job_id)
        if final is None:
            return JobEnd.UNKNOWN  # cupsd keeps no history of it (PreserveJobHistory No, or purged)
        return JobEnd.COMPLETED if final.state == _JobState.COMPLETED else JobEnd.CANCELLED

    def _submit(self, link: _Link, job: PrintJob, on_created: Callable[[int], None]) -> int:
        options = {"copies": str(job.copies), **_MEDIA_OPTIONS}
        try:
            job_id = int(link.call(lambda conn: conn.createJob(self.queue, job.name, options)))
        except _CUPS_ERRORS as exc:
            raise PrinterUnavailableError(self.queue, "submit") from exc
        if job_id <= 0:
            raise PrinterUnavailableError(self.queue, "submit")
        try:
            on_created(job_id)
            link.call(lambda conn: self._send_document(conn, job_id, job))
        except BaseException as exc:
            # The job exists but has no (complete) document: it must not linger in the queue.
            self._cancel_quietly(job_id)
            if isinstance(exc, _CUPS_ERRORS):
                raise PrinterUnavailableError(self.queue, "submit") from exc
            raise
        return job_id

    def _send_document(self, conn: CupsConnection, job_id: int, job: PrintJob) -> None:
        if conn.startDocument(self.queue, job_id, job.name, _PDF, 1) != _HTTP_CONTINUE:
            raise cups.IPPError(cups.IPP_INTERNAL_ERROR, "Send-Document not accepted")
        view = memoryview(job.pdf)
        for start in range(0, len(view), _CHUNK):
            chunk = bytes(view[start : start + _CHUNK])  # bytes only: a str here crashes pycups
            if conn.writeRequestData(chunk, len(chunk)) != _HTTP_CONTINUE:
                raise cups.IPPError(cups.IPP_INTERNAL_ERROR, "document data not accepted")
        if conn.finishDocument(self.queue) >= _IPP_FIRST_ERROR:
            raise cups.IPPError(cups.IPP_INTERNAL_ERROR, "Send-Document failed")

    # -- watching

    def _watch(
        self, link: _Link, job_id: int, copies: int, report: Callable[[PrinterStatus], None]
    ) -> PrintOutcome:
        watch = _Watch(self._monotonic())
        while True:
            try:
                job = link.attempt(lambda conn: _read_job(conn, job_id))
            except _JobVanishedError:
                return PrintOutcome(PrintStatus.FAILED, job_id, watch.outcome_reasons(None), copies)
            printer = link.attempt(lambda conn: _read_printer(conn, self.queue))
            now = self._monotonic()
            if printer is not None:
                self._note_printer(watch, printer, report)
            if job is not None and job.ended:
                return self._ended(job, job_id, copies, watch)
            staff_spent = watch.note_staff(None if printer is None else printer.needs_staff, now)
            if staff_spent > self._staff_timeout:
                _log.warning("job %d: no clerk within %g s; cancelling", job_id, self._staff_timeout)
                return self._give_up(link, job_id, copies, watch, PrintStatus.FAILED)
            if job is not None:
                watch.note_job(job, now)
            if watch.staff_since is None and now - watch.progress_at > self._progress_timeout:
                _log.warning("job %d: no progress for %g s; cancelling", job_id, self._progress_timeout)
                return self._give_up(link, job_id, copies, watch, PrintStatus.OFFLINE)
            self._sleep(self._poll_interval)

    @staticmethod
    def _note_printer(watch: _Watch, printer: PrinterStatus, report: Callable[[PrinterStatus], None]) -> None:
        for reason in printer.reasons:
            watch.reasons.setdefault(reason)
        if printer != watch.reported:
            watch.reported = printer
            report(printer)

    @staticmethod
    def _ended(job: _JobSnapshot, job_id: int, copies: int, watch: _Watch) -> PrintOutcome:
        # Canceled here means by someone else (staff, cupsd, the printer): our own cancels go through
        # _give_up and never reach this point.
        status = PrintStatus.COMPLETED if job.state == _JobState.COMPLETED else PrintStatus.FAILED
        return PrintOutcome(status, job_id, watch.outcome_reasons(job), copies)

    # -- cancelling

    def _give_up(
        self, link: _Link, job_id: int, copies: int, watch: _Watch, status: PrintStatus
    ) -> PrintOutcome:
        final = self._cancel(link, job_id)
        if final is not None and final.state == _JobState.COMPLETED:
            # It finished between the last poll and the cancel: the paper is out, say so.
            return PrintOutcome(PrintStatus.COMPLETED, job_id, watch.outcome_reasons(final), copies)
        return PrintOutcome(status, job_id, watch.outcome_reasons(final), copies)

    def _cancel(self, link: _Link, job_id: int) -> _JobSnapshot | None:
        """Cancel the job and confirm it has ended (None: cupsd no longer knows it). Raises if unconfirmed."""
        try:
            link.call(lambda conn: conn.cancelJob(job_id))
        except _CUPS_ERRORS as exc:
            # "not possible" means it already ended; anything else is settled by reading the state below.
            _log.debug("job %d: Cancel-Job answered %s", job_id, type(exc).__name__)
        try:
            final = link.call(lambda conn: _read_job(conn, job_id))
        except _JobVanishedError:
            return None
        except _CUPS_ERRORS as exc:
            raise PrinterUnavailableError(self.queue, "cancel") from exc
        if not final.ended:
            raise PrinterUnavailableError(self.queue, "cancel")
        return final

    def _cancel_quietly(self, job_id: int) -> None:
        """Best effort on a fresh connection, for paths that are already failing."""
        try:
            self._cancel(_Link(self._factory), job_id)
        except PrinterUnavailableError:
            _log.error("job %d on %s could not be cancelled", job_id, self.queue)
