"""The spooler against a scripted pycups connection and a fake monotonic clock: exact calls, every
classification, the timers, and what is cancelled when. Nothing sleeps, nothing talks to cupsd."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import cups
import pytest

from printing.spool import (
    STAFF_REASON_PREFIXES,
    PrinterState,
    PrinterStatus,
    PrinterUnavailableError,
    PrintJob,
    PrintOutcome,
    PrintStatus,
    Spooler,
    cups_connection_factory,
    is_staff_reason,
    printer_status,
)

QUEUE = "Kiosk"
JOB_ID = 42
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n"
JOB_ATTRS = ["job-state", "job-state-reasons", "job-impressions-completed", "job-media-sheets-completed"]
PRINTER_ATTRS = [
    "printer-state",
    "printer-state-reasons",
    "printer-is-accepting-jobs",
    "printer-state-message",
]
A4 = {"media": "iso_a4_210x297mm", "PageSize": "A4"}

Answer = dict[str, Any] | BaseException


def printer(
    state: int = 3, reasons: str | list[str] = "none", accepting: bool = True, message: str = ""
) -> dict[str, Any]:
    return {
        "printer-state": state,
        "printer-state-reasons": reasons if isinstance(reasons, list) else [reasons],
        "printer-is-accepting-jobs": accepting,
        "printer-state-message": message,
    }


def job(state: int, reasons: str | list[str] = "job-printing", impressions: int = 0) -> dict[str, Any]:
    # pycups gives a single keyword as a str and several as a list: the fakes do the same.
    return {
        "job-state": state,
        "job-state-reasons": reasons,
        "job-impressions-completed": impressions,
        "job-media-sheets-completed": impressions,
    }


def not_found() -> BaseException:
    error: BaseException = cups.IPPError(cups.IPP_NOT_FOUND, "client-error-not-found")
    return error


@dataclass
class FakeClock:
    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class FakeCups:
    """A scripted `cups.Connection`: each poll takes the next scripted answer (the last one repeats), an
    exception answer is raised; every call is recorded, in order, across all connections it hands out."""

    jobs: list[Answer]
    printers: list[Answer]
    cancel_answer: BaseException | None = None
    after_cancel: list[Answer] = field(default_factory=lambda: [job(7, "job-canceled-by-user")])
    fail_on: dict[str, BaseException] = field(default_factory=dict)
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    connections: int = 0
    cancelled: bool = False

    def factory(self) -> FakeCups:
        self.connections += 1
        return self

    def _maybe_fail(self, name: str) -> None:
        if name in self.fail_on:
            raise self.fail_on.pop(name)

    @staticmethod
    def _next(script: list[Answer]) -> dict[str, Any]:
        answer = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(answer, BaseException):
            raise answer
        return dict(answer)

    def createJob(self, printer: str, title: str, options: dict[str, str]) -> int:
        self.calls.append(("createJob", printer, title, dict(options)))
        self._maybe_fail("createJob")
        return JOB_ID

    def startDocument(self, printer: str, job_id: int, doc_name: str, format: str, last_document: int) -> int:
        self.calls.append(("startDocument", printer, job_id, doc_name, format, last_document))
        self._maybe_fail("startDocument")
        return 100

    def writeRequestData(self, buffer: bytes, length: int) -> int:
        assert type(buffer) is bytes, "pycups crashes on anything but bytes"
        assert length == len(buffer)
        self.calls.append(("writeRequestData", buffer, length))
        self._maybe_fail("writeRequestData")
        return 100

    def finishDocument(self, printer: str) -> int:
        self.calls.append(("finishDocument", printer))
        self._maybe_fail("finishDocument")
        return 0

    def getJobAttributes(self, jobid: int, requested_attributes: list[str]) -> dict[str, Any]:
        self.calls.append(("getJobAttributes", jobid, list(requested_attributes)))
        return self._next(self.after_cancel if self.cancelled else self.jobs)

    def getPrinterAttributes(self, name: str, requested_attributes: list[str]) -> dict[str, Any]:
        self.calls.append(("getPrinterAttributes", name, list(requested_attributes)))
        return self._next(self.printers)

    def cancelJob(self, jobid: int) -> None:
        self.calls.append(("cancelJob", jobid))
        self.cancelled = True  # later job reads answer from after_cancel, whatever this call answers
        if self.cancel_answer is not None:
            raise self.cancel_answer

    def names(self) -> list[str]:
        return [call[0] for call in self.calls]


def spooler(fake: FakeCups, clock: FakeClock, **options: Any) -> Spooler:
    settings: dict[str, Any] = {"poll_interval": 1.0, "progress_timeout": 10.0, "staff_timeout": 30.0}
    settings.update(options)
    return Spooler(
        QUEUE, connection_factory=fake.factory, monotonic=clock.monotonic, sleep=clock.sleep, **settings
    )


def run(
    fake: FakeCups,
    *,
    copies: int = 1,
    pdf: bytes = PDF,
    on_status: Callable[[PrinterStatus], None] | None = None,
    **options: Any,
) -> tuple[PrintOutcome, FakeClock]:
    clock = FakeClock()
    outcome = spooler(fake, clock, **options).print_pdf(
        PrintJob(pdf=pdf, name="kiosk-S0001", copies=copies), on_status=on_status
    )
    return outcome, clock


POLL = [("getJobAttributes", JOB_ID, JOB_ATTRS), ("getPrinterAttributes", QUEUE, PRINTER_ATTRS)]


# ------------------------------------------------------------------------------------------- submission


def test_completed_job_makes_exactly_these_calls() -> None:
    fake = FakeCups(
        jobs=[job(5), job(9, "processing-to-stop-point")], printers=[printer(3), printer(4), printer(3)]
    )
    outcome, clock = run(fake, copies=2)

    assert outcome == PrintOutcome(PrintStatus.COMPLETED, JOB_ID, (), 2)
    assert fake.calls == [
        ("getPrinterAttributes", QUEUE, PRINTER_ATTRS),
        ("createJob", QUEUE, "kiosk-S0001", {"copies": "2", **A4}),
        ("startDocument", QUEUE, JOB_ID, "kiosk-S0001", "application/pdf", 1),
        ("writeRequestData", PDF, len(PDF)),
        ("finishDocument", QUEUE),
        *POLL,
        *POLL,
    ]
    assert clock.sleeps == [1.0]
    assert fake.connections == 1


def test_large_pdf_is_streamed_in_bytes_chunks() -> None:
    pdf = b"%PDF-1.7\n" + bytes(300 * 1024)
    fake = FakeCups(jobs=[job(9)], printers=[printer()])
    run(fake, pdf=pdf)
    chunks = [call[1] for call in fake.calls if call[0] == "writeRequestData"]
    assert len(chunks) == 5
    assert all(len(chunk) <= 64 * 1024 for chunk in chunks)
    assert b"".join(chunks) == pdf


def test_unreachable_cupsd_is_printer_unavailable() -> None:
    def refuse() -> FakeCups:
        raise RuntimeError("failed to connect to server")

    spool = Spooler(
        QUEUE, connection_factory=refuse, monotonic=FakeClock().monotonic, sleep=FakeClock().sleep
    )
    with pytest.raises(PrinterUnavailableError) as caught:
        spool.print_pdf(PrintJob(pdf=PDF, name="kiosk-S0001"))
    assert caught.value.code == "printer-unavailable"
    assert caught.value.stage == "connect"
    assert caught.value.to_dict() == {
        "code": "printer-unavailable",
        "message": "printer queue 'Kiosk' unavailable: connect",
        "queue": "Kiosk",
    }


def test_missing_queue_is_refused_before_any_job() -> None:
    fake = FakeCups(jobs=[job(9)], printers=[not_found()])
    with pytest.raises(PrinterUnavailableError) as caught:
        run(fake)
    assert caught.value.stage == "queue"
    assert fake.names() == ["getPrinterAttributes"]


@pytest.mark.parametrize(
    ("status", "stage"),
    [(printer(3, accepting=False), "not-accepting"), (printer(5, "paused"), "stopped")],
)
def test_refusing_or_disabled_queue_gets_no_job(status: Answer, stage: str) -> None:
    fake = FakeCups(jobs=[job(9)], printers=[status])
    with pytest.raises(PrinterUnavailableError) as caught:
        run(fake)
    assert caught.value.stage == stage
    assert "createJob" not in fake.names()


def test_create_job_failure_is_printer_unavailable() -> None:
    fake = FakeCups(jobs=[job(9)], printers=[printer()], fail_on={"createJob": cups.IPPError(1280, "x")})
    with pytest.raises(PrinterUnavailableError) as caught:
        run(fake)
    assert caught.value.stage == "submit"
    assert "cancelJob" not in fake.names()


@pytest.mark.parametrize("step", ["startDocument", "writeRequestData", "finishDocument"])
def test_failed_upload_cancels_the_created_job(step: str) -> None:
    fake = FakeCups(
        jobs=[job(4, "job-incoming")], printers=[printer()], fail_on={step: cups.IPPError(1282, "gone")}
    )
    with pytest.raises(PrinterUnavailableError) as caught:
        run(fake)
    assert caught.value.stage == "submit"
    assert fake.calls[-2:] == [("cancelJob", JOB_ID), ("getJobAttributes", JOB_ID, JOB_ATTRS)]
    assert fake.connections == 2, "the cancel goes over a fresh connection"


# ------------------------------------------------------------------------------------------- endings


def test_aborted_job_is_failed_with_the_reasons_seen() -> None:
    fake = FakeCups(
        jobs=[job(5), job(8, "processing-to-stop-point")],
        printers=[printer(3), printer(4), printer(3, "media-jam-error", message="paper jam")],
    )
    outcome, _ = run(fake)
    assert outcome.status is PrintStatus.FAILED
    assert outcome.reasons == ("media-jam-error",)
    assert outcome.staff_reasons == ("media-jam-error",)
    assert "cancelJob" not in fake.names()


def test_job_canceled_by_someone_else_is_failed() -> None:
    fake = FakeCups(
        jobs=[job(5), job(7, ["job-canceled-at-device", "processing-to-stop-point"])], printers=[printer()]
    )
    outcome, _ = run(fake)
    assert outcome == PrintOutcome(PrintStatus.FAILED, JOB_ID, ("job-canceled-at-device",), 1)
    assert "cancelJob" not in fake.names()


def test_job_purged_from_cupsd_is_failed() -> None:
    fake = FakeCups(jobs=[job(5), not_found()], printers=[printer(4)])
    outcome, _ = run(fake)
    assert outcome.status is PrintStatus.FAILED
    assert "cancelJob" not in fake.names()


def test_lost_connection_while_watching_reconnects() -> None:
    fake = FakeCups(jobs=[job(5), cups.IPPError(1282, "broken pipe"), job(9)], printers=[printer(4)])
    outcome, _ = run(fake)
    assert outcome.status is PrintStatus.COMPLETED
    assert fake.connections == 2


# ------------------------------------------------------------------------------------------- staff


@pytest.mark.parametrize("prefix", STAFF_REASON_PREFIXES)
@pytest.mark.parametrize("suffix", ["", "-report", "-warning", "-error"])
def test_staff_reasons_match_by_prefix_whatever_the_suffix(prefix: str, suffix: str) -> None:
    assert is_staff_reason(prefix + suffix)
    status = PrinterStatus(PrinterState.PROCESSING, ("toner-low-report", prefix + suffix), True, "")
    assert status.needs_staff
    assert status.staff_reasons == (prefix + suffix,)


@pytest.mark.parametrize(
    "reason",
    [
        "media-low-report",
        "toner-low-warning",
        "connecting-to-device",
        "offline-report",
        "media-jammed",
        "paused",
    ],
)
def test_other_reasons_do_not_call_staff(reason: str) -> None:
    assert not is_staff_reason(reason)


def test_vendor_qualified_staff_reason_matches() -> None:
    assert is_staff_reason("media-jam-tray-2-error")


def test_staff_is_reported_and_waited_for_beyond_the_progress_timeout() -> None:
    """Paper runs out for 25 s (longer than progress_timeout 10 s, shorter than staff_timeout 30 s)."""
    empty = printer(4, ["media-empty-warning", "media-needed-warning"], message="load paper")
    fake = FakeCups(
        jobs=[*([job(5)] * 28), job(9, "processing-to-stop-point")],
        printers=[printer(3), printer(4), *([empty] * 25), printer(4)],
    )
    seen: list[PrinterStatus] = []
    outcome, clock = run(fake, on_status=seen.append)

    assert outcome.status is PrintStatus.COMPLETED
    assert outcome.reasons == ("media-empty-warning", "media-needed-warning")
    assert [status.needs_staff for status in seen] == [False, False, True, False]
    assert seen[2].staff_reasons == ("media-empty-warning", "media-needed-warning")
    assert seen[2].message == "load paper"
    assert "cancelJob" not in fake.names()
    assert clock.now == 28.0


def test_staff_timeout_cancels_and_fails() -> None:
    jam = printer(4, "media-jam-error")
    fake = FakeCups(jobs=[job(5)], printers=[printer(3), jam])
    outcome, clock = run(fake, staff_timeout=5.0)

    assert outcome.status is PrintStatus.FAILED
    assert outcome.reasons == ("media-jam-error", "job-canceled-by-user")
    assert fake.calls[-2:] == [("cancelJob", JOB_ID), ("getJobAttributes", JOB_ID, JOB_ATTRS)]
    assert clock.now == 6.0, "gave up at the first poll past 5 s of staff wait"


def test_staff_time_adds_up_over_separate_episodes() -> None:
    """A 4-second wait for a clerk, the printer fine for 2 s, then another wait: 6 s are used up at t=9."""
    jam = printer(4, "media-jam-error")
    ok = printer(4)
    fake = FakeCups(
        jobs=[job(5, impressions=n) for n in range(30)],  # progress all along: never "offline"
        printers=[printer(3), jam, jam, jam, jam, ok, ok, jam],
    )
    outcome, clock = run(fake, staff_timeout=6.0)
    assert outcome.status is PrintStatus.FAILED
    assert "cancelJob" in fake.names()
    assert clock.now == 9.0


def test_unanswered_poll_does_not_end_a_wait_for_staff() -> None:
    jam = printer(4, "media-jam-error")
    fake = FakeCups(jobs=[job(5)], printers=[printer(3), jam, RuntimeError("failed to connect"), jam])
    outcome, clock = run(fake, staff_timeout=3.0)
    assert outcome.status is PrintStatus.FAILED
    assert clock.now == 4.0, "the staff clock kept running through the unanswered poll"


# ------------------------------------------------------------------------------------------- offline


def test_no_progress_cancels_the_job_and_reports_offline() -> None:
    fake = FakeCups(
        jobs=[job(5)], printers=[printer(3), printer(4, "connecting-to-device", message="waiting")]
    )
    outcome, clock = run(fake, progress_timeout=3.0)

    assert outcome == PrintOutcome(
        PrintStatus.OFFLINE, JOB_ID, ("connecting-to-device", "job-canceled-by-user"), 1
    )
    assert clock.sleeps == [1.0] * 4, "gave up at the first poll more than 3 s after the last change"
    assert fake.calls[-4:] == [*POLL, ("cancelJob", JOB_ID), ("getJobAttributes", JOB_ID, JOB_ATTRS)]
    assert fake.names().count("cancelJob") == 1


def test_pending_job_that_never_starts_is_offline() -> None:
    fake = FakeCups(jobs=[job(3, "job-queued")], printers=[printer(3)])
    outcome, _ = run(fake, progress_timeout=3.0)
    assert outcome.status is PrintStatus.OFFLINE
    assert "cancelJob" in fake.names()


def test_progress_restarts_the_offline_clock() -> None:
    fake = FakeCups(jobs=[*(job(5, impressions=n) for n in range(20)), job(9)], printers=[printer(4)])
    outcome, clock = run(fake, progress_timeout=3.0)
    assert outcome.status is PrintStatus.COMPLETED
    assert clock.now == 20.0
    assert "cancelJob" not in fake.names()


def test_job_that_completes_as_it_is_cancelled_is_completed() -> None:
    fake = FakeCups(jobs=[job(5)], printers=[printer(4)], after_cancel=[job(9)])
    fake.cancel_answer = cups.IPPError(1028, "client-error-not-possible")
    outcome, _ = run(fake, progress_timeout=2.0)
    assert outcome.status is PrintStatus.COMPLETED


def test_cancel_that_cannot_be_confirmed_raises() -> None:
    fake = FakeCups(jobs=[job(5)], printers=[printer(4)], after_cancel=[RuntimeError("failed to connect")])
    fake.cancel_answer = cups.IPPError(1282, "service unavailable")
    with pytest.raises(PrinterUnavailableError) as caught:
        run(fake, progress_timeout=2.0)
    assert caught.value.stage == "cancel"


def test_cupsd_gone_while_watching_is_offline_then_unconfirmed() -> None:
    fake = FakeCups(jobs=[job(5), RuntimeError("failed")], printers=[printer(4), RuntimeError("failed")])
    fake.cancel_answer = RuntimeError("failed")
    fake.after_cancel = [RuntimeError("failed")]
    with pytest.raises(PrinterUnavailableError) as caught:
        run(fake, progress_timeout=2.0)
    assert caught.value.stage == "cancel"


def test_failing_status_callback_cancels_the_job() -> None:
    fake = FakeCups(jobs=[job(5)], printers=[printer(3), printer(4, "media-jam-error")])

    def explode(status: PrinterStatus) -> None:
        if status.needs_staff:
            raise KeyError("ui gone")

    with pytest.raises(KeyError):
        run(fake, on_status=explode)
    assert fake.names()[-2:] == ["cancelJob", "getJobAttributes"]


# ------------------------------------------------------------------------------------------- status


def test_printer_status_normalises_keywords() -> None:
    fake = FakeCups(jobs=[job(9)], printers=[{**printer(4), "printer-state-reasons": "media-empty-report"}])
    status = printer_status(QUEUE, connection_factory=fake.factory)
    assert status == PrinterStatus(PrinterState.PROCESSING, ("media-empty-report",), True, "")
    assert status.needs_staff


def test_printer_status_of_idle_printer_has_no_reasons() -> None:
    fake = FakeCups(jobs=[job(9)], printers=[printer(3)])
    assert printer_status(QUEUE, connection_factory=fake.factory) == PrinterStatus(
        PrinterState.IDLE, (), True, ""
    )


def test_printer_status_of_missing_queue_raises() -> None:
    fake = FakeCups(jobs=[job(9)], printers=[not_found()])
    with pytest.raises(PrinterUnavailableError) as caught:
        spooler(fake, FakeClock()).printer_status()
    assert (caught.value.queue, caught.value.stage) == (QUEUE, "queue")


# ------------------------------------------------------------------------------------------- requests


@pytest.mark.parametrize(
    "name", ["", "山田太郎", "kiosk S0001", "kiosk-S0001\n", "-leading", "k" * 65, "a/b"]
)
def test_job_names_must_be_short_ascii_tokens(name: str) -> None:
    with pytest.raises(ValueError, match="job name") as caught:
        PrintJob(pdf=PDF, name=name)
    if name:
        assert name not in str(caught.value), "a rejected name may be personal data: never echoed"


@pytest.mark.parametrize("copies", [0, 11, -1, True, "2", 1.0])
def test_copies_are_one_to_ten(copies: object) -> None:
    with pytest.raises(ValueError, match="copies"):
        PrintJob(pdf=PDF, name="kiosk-S0001", copies=copies)  # type: ignore[arg-type]


@pytest.mark.parametrize("pdf", [b"", b"hello", "%PDF-1.7", bytearray(PDF)])
def test_pdf_must_be_pdf_bytes(pdf: object) -> None:
    with pytest.raises(ValueError, match="pdf"):
        PrintJob(pdf=pdf, name="kiosk-S0001")  # type: ignore[arg-type]


def test_print_job_repr_has_no_document() -> None:
    text = repr(PrintJob(pdf=PDF, name="kiosk-S0001", copies=3))
    assert "PDF" not in text
    assert text == "PrintJob(name='kiosk-S0001', copies=3)"


@pytest.mark.parametrize("option", ["poll_interval", "progress_timeout", "staff_timeout"])
def test_timers_must_be_positive(option: str) -> None:
    with pytest.raises(ValueError, match=option):
        spooler(FakeCups([job(9)], [printer()]), FakeClock(), **{option: 0})


@pytest.mark.parametrize("server", ["127.0.0.1", ":631", "host:port"])
def test_connection_factory_rejects_bad_servers(server: str) -> None:
    with pytest.raises(ValueError, match="server"):
        cups_connection_factory(server)
