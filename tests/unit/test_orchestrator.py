"""The orchestrator with scripted ports: a new configuration applies between transactions only; a journal
that cannot be written, or a printer that cannot print, refuses a transaction before it starts."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.card.reader import VirtualCardReader
from kiosk.clock import FixedClock
from kiosk.errors import KioskError, ServiceClosedError
from kiosk.flow import State
from kiosk.journal import Journal, JournalUnavailableError, Step
from kiosk.orchestrator import Orchestrator, Ports, View
from kiosk.payment import VirtualCoinDevice


class OpenGate:
    def __init__(self, closed: bool = False) -> None:
        self.closed = closed

    def check_start(self) -> datetime:
        if self.closed:
            raise ServiceClosedError("after-hours", None)
        return datetime(2026, 11, 24, 14, 0, tzinfo=UTC)

    def check_document(self, municipality: str, document: str) -> datetime:
        return self.check_start()

    def check_not_overrun(self, deadline: datetime) -> None:
        pass


class ReadyPrinter:
    def __init__(self, error: KioskError | None = None) -> None:
        self.error = error

    def check_ready(self) -> None:
        if self.error is not None:
            raise self.error

    def print_document(self, *args: Any, **kwargs: Any) -> str:
        raise AssertionError("nothing prints in these tests")

    def test_print(self) -> str:
        return "none"

    def prepare(self) -> None:
        pass


def _ports(**changes: Any) -> Ports:
    ports = Ports(
        reader=VirtualCardReader(),
        backend=None,  # type: ignore[arg-type] - no transaction gets as far as the backend here
        terminal_id="T0001",
        municipal_key=lambda _code: None,  # type: ignore[arg-type,return-value]
        gate=OpenGate(),
        payment=VirtualCoinDevice(),
        printer=ReadyPrinter(),
    )
    return dataclasses.replace(ports, **changes)


def _orchestrator(ports: Ports) -> tuple[Orchestrator, list[View]]:
    views: list[View] = []
    return Orchestrator(ports, on_change=views.append), views


def test_a_new_configuration_is_applied_between_transactions_only() -> None:
    calls: list[str] = []
    closed = _ports(gate=OpenGate(closed=True))

    def reload() -> Ports | None:
        calls.append("reload")
        return closed if len(calls) > 1 else None

    orchestrator, _ = _orchestrator(_ports(reload=reload))
    try:
        orchestrator.start()
        assert orchestrator.view.state is State.LANGUAGE and calls == ["reload"]
        orchestrator.start()  # a second tap mid-transaction: no reload in the middle of one
        assert calls == ["reload"]
        orchestrator.cancel()
        assert orchestrator.view.state is State.IDLE
        orchestrator.start()  # between transactions: the new ports (a closed calendar) apply
        assert calls == ["reload", "reload"]
        assert orchestrator.view.state is State.CLOSED
    finally:
        orchestrator.close()


def test_no_transaction_starts_when_the_journal_cannot_be_written(tmp_path: Path) -> None:
    class FullJournal:
        def append(self, entry: object) -> int:
            raise JournalUnavailableError("disk-full")

        def check_writable(self) -> None:
            raise JournalUnavailableError("disk-full")

    orchestrator, _ = _orchestrator(_ports(journal=FullJournal()))
    try:
        orchestrator.start()
        assert orchestrator.view.state is State.CLOSED
        assert orchestrator.view.closed_reason == "journal-disk-full"
        assert orchestrator.counters["started"] == 0
    finally:
        orchestrator.close()


def test_no_transaction_starts_when_nothing_can_be_printed() -> None:
    orchestrator, _ = _orchestrator(_ports(printer=ReadyPrinter(KioskError("fonts missing"))))
    try:
        orchestrator.start()
        assert orchestrator.view.state is State.CLOSED
        assert orchestrator.view.closed_reason == "printer-unavailable"
    finally:
        orchestrator.close()


def test_a_cancelled_transaction_is_journaled_from_begin_to_aborted(tmp_path: Path) -> None:
    clock = FixedClock(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))
    with Journal.open(tmp_path / "journal.db", clock) as journal:
        orchestrator, _ = _orchestrator(_ports(journal=journal))
        try:
            orchestrator.start()
            orchestrator.cancel()
        finally:
            orchestrator.close()
        rows = list(journal.export(since=datetime(2026, 1, 1, tzinfo=UTC)))
        assert [row["step"] for row in rows] == [Step.BEGIN.value, Step.ABORTED.value]
        assert rows[1]["outcome"] == "cancelled" and rows[1]["error_code"] == "cancelled"
        assert journal.unfinished() == [] and journal.verify().ok


def test_a_timeout_aborts_and_is_journaled_as_timed_out(tmp_path: Path) -> None:
    clock = FixedClock(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))
    changed = threading.Event()
    with Journal.open(tmp_path / "journal.db", clock) as journal:
        views: list[View] = []

        def seen(view: View) -> None:
            views.append(view)
            if view.state is State.IDLE and len(views) > 1:
                changed.set()

        orchestrator = Orchestrator(_ports(journal=journal), on_change=seen, timeouts={State.LANGUAGE: 0.05})
        try:
            orchestrator.start()
            assert changed.wait(10)
        finally:
            orchestrator.close()
        rows = list(journal.export(since=datetime(2026, 1, 1, tzinfo=UTC)))
        assert [row["step"] for row in rows] == ["begin", "aborted"]
        assert rows[1]["outcome"] == "timed-out"
