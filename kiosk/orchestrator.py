"""Runs the flow: feeds events to `kiosk.flow.step`, runs the effects on worker threads, keeps the context.

The UI calls the resident's and the staff's actions (`start`, `pin_digit`, `choose_document`, ...) from its
thread; card, backend, payment and printer work runs on worker threads and comes back as events. Every
piece of work belongs to one transaction: its result is dropped when the transaction has moved on (an
answer that arrives after a timeout must never act on the next resident's transaction — domain.md
section 8). `on_change(View)` is called after every change, from whichever thread made it; the UI copies
the view onto its own thread.

Nothing here is Qt, and nothing here decides a screen: the table in kiosk.flow does. What this module
decides is only which event an outcome means (a wrong PIN with one try left, a refusal or a failure).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Protocol

from kiosk.backend.api import Offer
from kiosk.backend.document import DocumentType
from kiosk.backend.verify import MunicipalKey, VerifiedDocument
from kiosk.card.connection import CardConnection
from kiosk.card.operations import read_status
from kiosk.card.reader import CardReader
from kiosk.errors import (
    BackendRefusedError,
    CardError,
    CardRemovedError,
    KioskError,
    LastTryRefusedError,
    OfferRefusedError,
    PinBlockedError,
    ServiceClosedError,
    WrongPinError,
)
from kiosk.flow import TIMEOUTS, TRANSITIONS, Effect, Event, FlowError, State, step
from kiosk.issue import (
    Authenticated,
    Backend,
    Gate,
    IssueOrder,
    ObtainedDocument,
    authenticate_resident,
    obtain_document,
    report_failed,
    report_printed,
)
from kiosk.journal import JournalEntry, JournalError, Outcome, Step
from kiosk.payment import Payment, PaymentDevice

__all__ = ["DocumentPrinter", "Orchestrator", "Ports", "StaffPort", "TransactionJournal", "View"]

_log = logging.getLogger("kiosk.orchestrator")

PIN_DIGITS = 4
STAFF_PIN_MAX = 12
#: How often the card watchers look at the cancel flag (seconds).
_POLL = 0.2


class DocumentPrinter(Protocol):
    """Renders and prints a verified document (printing/ implements it; kiosk/ may not import printing)."""

    def print_document(
        self,
        document: VerifiedDocument,
        copies: int,
        *,
        on_staff_needed: Callable[[tuple[str, ...]], None],
        on_job_created: Callable[[int], None],
        cancelled: threading.Event,
    ) -> str:
        """Returns where it went once every copy printed; raises KioskError when it did not.
        `on_staff_needed` gets the printer-state-reasons a clerk must fix, () once they are gone;
        `on_job_created` the spooler's job id before the document is sent (for crash recovery)."""
        ...

    def check_ready(self) -> None:
        """Raises KioskError when nothing could be printed (fonts missing, renderer failed)."""
        ...

    def prepare(self) -> None:
        """Get ready to print (load fonts) without blocking; called once the first frame is up."""
        ...

    def test_print(self) -> str: ...


class TransactionJournal(Protocol):
    """kiosk.journal.Journal, or a stand-in that refuses every transaction when it could not be opened."""

    def append(self, entry: JournalEntry) -> int: ...
    def check_writable(self) -> None: ...


class StaffPort(Protocol):
    def verify_pin(self, pin: bytearray) -> bool: ...
    def status(self, counters: Mapping[str, int]) -> Mapping[str, object]: ...


@dataclass(frozen=True)
class Ports:
    reader: CardReader
    backend: Backend
    terminal_id: str
    municipal_key: Callable[[str], MunicipalKey]
    gate: Gate
    payment: PaymentDevice
    printer: DocumentPrinter
    staff: StaffPort | None = None
    #: the audit journal; every step of a transaction is in it before the next one starts
    journal: TransactionJournal | None = None
    #: the site's own restrictions on what the backend offers (kiosk.settings.SiteConfig.restrict_offer)
    offer_policy: Callable[[str, Offer], Offer] = lambda _municipality, offer: offer
    #: new ports when the configuration changed (a synced bundle), asked between transactions only
    reload: Callable[[], Ports | None] | None = None


@dataclass(frozen=True)
class View:
    """What the UI may show: codes and numbers, and nothing of the resident but their choices."""

    state: State
    transaction: str | None = None
    timeout_seconds: float | None = None
    tries_left: int | None = None
    pin_length: int = 0
    offers: tuple[Offer, ...] = ()
    document_type: DocumentType | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    copies: int = 1
    fee_yen: int = 0
    paid_yen: int = 0
    change_yen: int = 0
    error_code: str = ""
    error_next: str = ""
    closed_reason: str = ""
    next_open: str | None = None
    printer_reasons: tuple[str, ...] = ()
    reminder: bool = False
    staff_pin_length: int = 0
    staff_status: Mapping[str, object] = field(default_factory=dict)
    output: str = ""


class _Transaction:
    """The one transaction's working data; `wipe` leaves nothing of the resident behind."""

    def __init__(self) -> None:
        self.id = uuid.uuid4().hex
        self.cancelled = threading.Event()
        self.pin = bytearray(PIN_DIGITS)
        self.pin_length = 0
        self.last_try = False
        self.connection: CardConnection | None = None
        self.authenticated: Authenticated | None = None
        self.obtained: ObtainedDocument | None = None
        self.payment: Payment | None = None
        self.printed = False
        self.reported = False
        self.report: Future[None] | None = None

    def take_pin(self) -> bytearray:
        pin = bytearray(self.pin[: self.pin_length])
        self.clear_pin()
        return pin

    def clear_pin(self) -> None:
        self.pin[:] = bytes(len(self.pin))
        self.pin_length = 0

    def wipe(self) -> None:
        self.cancelled.set()
        self.clear_pin()
        if self.connection is not None:
            try:
                self.connection.close()
            except KioskError as error:
                _log.info("closing the card connection: %s", error.code)
            self.connection = None
        self.authenticated = None
        self.obtained = None


#: Errors that send the resident to the municipal counter rather than to store staff.
_REFUSALS = (OfferRefusedError, BackendRefusedError, ServiceClosedError)


class Orchestrator:
    def __init__(
        self,
        ports: Ports,
        *,
        on_change: Callable[[View], None],
        on_exit: Callable[[], None] = lambda: None,
        timeouts: Mapping[State, float] = TIMEOUTS,
        workers: int = 4,
    ) -> None:
        self._ports = ports
        self._on_change = on_change
        self._on_exit = on_exit
        self._timeouts = timeouts
        self._lock = threading.RLock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kiosk-worker")
        self._tx = _Transaction()
        self._tx.cancelled.set()  # no transaction yet
        self._view = View(state=State.IDLE)
        self._timer: threading.Timer | None = None
        self._timer_generation = 0
        self._staff_pin = bytearray(STAFF_PIN_MAX)
        self._staff_pin_length = 0
        self.counters: dict[str, int] = {"started": 0, "completed": 0, "failed": 0, "aborted": 0}
        self._end_reason: str | None = None  # why a transaction ended other than on the error screen
        #: the code of the last transaction that ended in error (for the operator's heartbeat)
        self.last_error_code: str | None = None

    # ------------------------------------------------------------------------------------------ public

    @property
    def view(self) -> View:
        return self._view

    def close(self) -> None:
        """Stop (SIGTERM, staff exit): a transaction under way is aborted like any other (reported failed,
        money given back, journaled), and its workers are waited for so that the report is not lost."""
        with self._lock:
            self._cancel_timer()
            if not self._tx.cancelled.is_set():
                self._end_reason = "shutdown"
                self._abort()
            self._tx.wipe()
        self._pool.shutdown(wait=True)

    def after_first_frame(self) -> None:
        """What start-up left until residents could see the screen: the printer's fonts, the calendar."""
        self._ports.printer.prepare()
        self.refresh_service()

    def refresh_service(self) -> None:
        """Re-evaluate the service window (the UI calls this every few seconds)."""
        with self._lock:
            if self._view.state not in (State.IDLE, State.CLOSED):
                return
            try:
                self._ports.gate.check_start()
            except ServiceClosedError as closed:
                self._view = replace(self._view, closed_reason=closed.reason, next_open=closed.next_open)
                self._dispatch(Event.SERVICE_CLOSED)
                return
            self._view = replace(self._view, closed_reason="", next_open=None)
            self._dispatch(Event.SERVICE_OPEN)

    def start(self) -> None:
        with self._lock:
            self._apply_new_config()
            self.refresh_service()
            if self._view.state is not State.IDLE:
                return
            try:
                self._ports.printer.check_ready()
            except KioskError as error:
                # Nothing can be printed: say so before the resident spends a PIN try on it.
                _log.error("printer not ready: %s", error.code)
                self._view = replace(self._view, closed_reason="printer-unavailable", next_open=None)
                self._dispatch(Event.SERVICE_CLOSED)
                return
            journal = self._ports.journal
            if journal is not None:
                try:
                    journal.check_writable()
                except JournalError as error:
                    # A transaction that cannot be accounted for does not start (full disk, read-only).
                    _log.error("journal not writable: %s", error.code)
                    reason = getattr(error, "reason", error.code)
                    self._view = replace(self._view, closed_reason=f"journal-{reason}", next_open=None)
                    self._dispatch(Event.SERVICE_CLOSED)
                    return
            self._dispatch(Event.START)

    def _apply_new_config(self) -> None:
        """Between transactions only (called from start, on the attract screen): never mid-transaction."""
        reload = self._ports.reload
        if reload is None or self._view.state is not State.IDLE:
            return
        try:
            fresh = reload()
        except KioskError as error:
            _log.error("new configuration not applied: %s", error.code)
            return
        if fresh is not None:
            _log.warning("new configuration applied")
            self._ports = fresh

    def choose_language(self) -> None:
        self._post(Event.LANGUAGE_CHOSEN)

    def touched(self) -> None:
        """Any tap: the resident is still there, so the screen's countdown starts again."""
        with self._lock:
            self._start_timer(self._view.state)

    def pin_digit(self, digit: int) -> None:
        with self._lock:
            if self._view.state is not State.PIN or not 0 <= digit <= 9:
                return
            tx = self._tx
            if tx.pin_length < PIN_DIGITS:
                tx.pin[tx.pin_length] = ord("0") + digit
                tx.pin_length += 1
            self._update(pin_length=tx.pin_length)

    def pin_backspace(self) -> None:
        with self._lock:
            tx = self._tx
            if self._view.state is State.PIN and tx.pin_length:
                tx.pin_length -= 1
                tx.pin[tx.pin_length] = 0
                self._update(pin_length=tx.pin_length)

    def pin_clear(self) -> None:
        with self._lock:
            self._tx.clear_pin()
            self._update(pin_length=0)

    def pin_submit(self) -> None:
        with self._lock:
            if self._view.state is not State.PIN or self._tx.pin_length != PIN_DIGITS:
                return
            last = self._view.tries_left == 1
            self._tx.last_try = False
            self._dispatch(Event.PIN_ENTERED_LAST_TRY if last else Event.PIN_ENTERED)

    def confirm_last_try(self) -> None:
        with self._lock:
            self._tx.last_try = True
            self._dispatch(Event.LAST_TRY_CONFIRMED)

    def back(self) -> None:
        self._post(Event.BACK)

    def cancel(self) -> None:
        self._post(Event.CANCEL)

    def acknowledge(self) -> None:
        self._post(Event.ACKNOWLEDGED)

    def choose_document(self, document_type: DocumentType) -> None:
        with self._lock:
            if self._view.state is not State.DOCUMENT:
                return
            offer = self._offer(document_type)
            if offer is None or not offer.available:
                return  # the UI greys these out; a stray tap changes nothing
            options = {option.key: option.default for option in offer.options}
            self._view = replace(
                self._view,
                document_type=document_type,
                options=options,
                copies=1,
                fee_yen=offer.fee_yen,
            )
            self._dispatch(Event.DOCUMENT_WITH_OPTIONS if offer.options else Event.DOCUMENT_WITHOUT_OPTIONS)

    def set_option(self, key: str, value: str) -> None:
        with self._lock:
            offer = self._chosen_offer()
            if self._view.state is not State.OPTIONS or offer is None:
                return
            for option in offer.options:
                if option.key == key and value in option.allowed:
                    self._update(options={**self._view.options, key: value})
                    return

    def options_done(self) -> None:
        self._post(Event.OPTIONS_DONE)

    def set_copies(self, copies: int) -> None:
        with self._lock:
            offer = self._chosen_offer()
            if self._view.state is not State.COPIES or offer is None:
                return
            copies = max(1, min(copies, offer.max_copies))
            self._update(copies=copies, fee_yen=offer.fee_yen * copies)

    def copies_done(self) -> None:
        self._post(Event.COPIES_DONE)

    def accept_fee(self) -> None:
        self._post(Event.FEE_ACCEPTED)

    # staff

    def staff_gesture(self) -> None:
        with self._lock:
            if self._ports.staff is not None and self._view.state in (State.IDLE, State.CLOSED, State.PAUSED):
                self._clear_staff_pin()
                self._dispatch(Event.STAFF_GESTURE)

    def staff_pin_digit(self, digit: int) -> None:
        with self._lock:
            if self._view.state is State.STAFF_LOGIN and self._staff_pin_length < STAFF_PIN_MAX:
                self._staff_pin[self._staff_pin_length] = ord("0") + digit % 10
                self._staff_pin_length += 1
                self._update(staff_pin_length=self._staff_pin_length)

    def staff_pin_backspace(self) -> None:
        with self._lock:
            if self._staff_pin_length:
                self._staff_pin_length -= 1
                self._staff_pin[self._staff_pin_length] = 0
                self._update(staff_pin_length=self._staff_pin_length)

    def staff_pin_submit(self) -> None:
        with self._lock:
            staff = self._ports.staff
            if self._view.state is not State.STAFF_LOGIN or staff is None:
                return
            pin = bytearray(self._staff_pin[: self._staff_pin_length])
            self._clear_staff_pin()
            try:
                accepted = staff.verify_pin(pin)
            except KioskError as error:
                self._update(error_code=error.code)
                return
            finally:
                pin[:] = bytes(len(pin))
            if not accepted:
                self._update(error_code="staff-pin-wrong")
                return
            self._update(error_code="")
            self._dispatch(Event.STAFF_PIN_OK)
            self._refresh_staff_status()

    def staff_refresh(self) -> None:
        with self._lock:
            if self._view.state is State.STAFF:
                self._refresh_staff_status()

    def staff_test_print(self) -> None:
        self._post(Event.STAFF_TEST_PRINT)

    def staff_pause(self) -> None:
        with self._lock:
            self._dispatch(Event.STAFF_PAUSE)
            self._update(closed_reason="paused")

    def staff_resume(self) -> None:
        with self._lock:
            self._dispatch(Event.STAFF_RESUME)
            self._update(closed_reason="")
        self.refresh_service()

    def staff_exit(self) -> None:
        self._post(Event.STAFF_EXIT)

    # ------------------------------------------------------------------------------------------ events

    def _post(self, event: Event, transaction: str | None = None) -> None:
        """An event from the UI (transaction None) or from a worker of `transaction`."""
        with self._lock:
            if transaction is not None and transaction != self._tx.id:
                _log.info("dropped %s from an ended transaction", event.value)
                return
            self._dispatch(event)

    def _dispatch(self, event: Event) -> None:
        state = self._view.state
        try:
            target, effects = step(state, event)
        except FlowError:
            # A button the screen no longer shows, pressed twice: the UI may race us, the table may not.
            _log.info("ignored %s in %s", event.value, state.value)
            return
        _log.info("%s --%s--> %s", state.value, event.value, target.value)
        self._view = replace(self._view, state=target, timeout_seconds=self._timeouts.get(target))
        if target is not state or event is Event.TIMEOUT:
            self._start_timer(target)
        for effect in effects:
            self._run(effect)
        self._notify()

    def _update(self, **changes: object) -> None:
        self._view = replace(self._view, **changes)  # type: ignore[arg-type]
        self._notify()

    def _notify(self) -> None:
        self._on_change(self._view)

    # ------------------------------------------------------------------------------------------ timers

    def _start_timer(self, state: State) -> None:
        self._cancel_timer()
        seconds = self._timeouts.get(state)
        if seconds is None:
            return
        generation = self._timer_generation
        timer = threading.Timer(seconds, self._timed_out, args=(generation,))
        timer.daemon = True
        self._timer = timer
        timer.start()

    def _cancel_timer(self) -> None:
        self._timer_generation += 1
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _timed_out(self, generation: int) -> None:
        with self._lock:
            if generation != self._timer_generation:
                return
            if self._view.state in (State.ERROR, State.PIN_BLOCKED, State.THANK_YOU, State.TAKE_ITEMS):
                self._dispatch(Event.TIMEOUT)
                return
            self._end_reason = "timeout"
            self._fail("timeout", "retry", event=Event.TIMEOUT)

    # ------------------------------------------------------------------------------------------ effects

    def _run(self, effect: Effect) -> None:
        tx = self._tx
        if effect is Effect.BEGIN:
            self._tx = _Transaction()
            self.counters["started"] += 1
            self._record(Step.BEGIN)
            self._view = View(
                state=self._view.state, transaction=self._tx.id, timeout_seconds=self._view.timeout_seconds
            )
        elif effect is Effect.WAIT_FOR_CARD:
            self._work(self._wait_for_card)
        elif effect is Effect.READ_CARD:
            self._work(self._read_card)
        elif effect is Effect.AUTHENTICATE:
            self._work(self._authenticate, tx.take_pin())
            self._view = replace(self._view, pin_length=0)
        elif effect is Effect.WAIT_FOR_REMOVAL:
            pass  # the removal watcher started with the card already reports it
        elif effect is Effect.COLLECT_PAYMENT:
            self._record(
                Step.DOCUMENT_CHOSEN,
                document_type=self._view.document_type,
                copies=self._view.copies,
                fee_yen=self._view.fee_yen,
            )
            self._work(self._collect_payment, self._view.fee_yen)
        elif effect is Effect.OBTAIN_DOCUMENT:
            self._work(self._obtain_document, self._order())
        elif effect is Effect.PRINT:
            self._work(self._print, self._verified_document(), self._view.copies)
        elif effect is Effect.REPORT_PRINTED:
            self._report_printed()
        elif effect is Effect.START_REMINDER:
            self._view = replace(self._view, reminder=True)
        elif effect is Effect.STOP_REMINDER:
            self._view = replace(self._view, reminder=False)
        elif effect is Effect.ABORT:
            self._abort()
        elif effect is Effect.FINISH:
            self._finish()
        elif effect is Effect.TEST_PRINT:
            self._pool.submit(self._test_print)
        elif effect is Effect.EXIT:
            self._on_exit()

    def _work(self, job: Callable[..., None], *args: object) -> None:
        tx_id = self._tx.id
        cancelled = self._tx.cancelled

        def run() -> None:
            try:
                job(tx_id, cancelled, *args)
            except Exception as error:
                code = error.code if isinstance(error, KioskError) else "internal-error"
                _log.error("%s failed: %s (%s)", job.__name__, code, type(error).__name__)
                self._fail_from_worker(tx_id, code, "staff")

        self._pool.submit(run)

    def _wait_for_card(self, tx_id: str, cancelled: threading.Event) -> None:
        reader = self._ports.reader
        timeout = self._timeouts.get(State.PLACE_CARD, 60.0)
        if reader.wait_for_card(timeout, cancelled):
            self._post(Event.CARD_PLACED, tx_id)
            self._pool.submit(self._watch_removal, tx_id, cancelled)

    def _watch_removal(self, tx_id: str, cancelled: threading.Event) -> None:
        reader = self._ports.reader
        while not cancelled.is_set():
            if reader.wait_for_removal(_POLL * 5, cancelled):
                self._card_removed(tx_id)
                return

    def _read_card(self, tx_id: str, cancelled: threading.Event) -> None:
        try:
            connection = self._ports.reader.connect()
            status = read_status(connection, self._ports.reader.name)
        except CardRemovedError:
            self._card_removed(tx_id)
            return
        except CardError as error:
            _log.info("card unusable: %s", error.code)
            self._fail_from_worker(tx_id, error.code, "counter", event=Event.CARD_UNUSABLE)
            return
        with self._lock:
            if tx_id != self._tx.id or cancelled.is_set():
                connection.close()
                return
            self._tx.connection = connection
            self._record(Step.CARD_READ)
            self._view = replace(self._view, tries_left=status.auth_pin_tries_left)
            self._dispatch(Event.CARD_READ if status.auth_pin_tries_left > 0 else Event.CARD_BLOCKED)

    def _authenticate(self, tx_id: str, cancelled: threading.Event, pin: bytearray) -> None:
        try:
            connection = self._tx.connection
            if connection is None or cancelled.is_set():
                return
            try:
                authenticated = authenticate_resident(
                    connection=connection,
                    backend=self._ports.backend,
                    terminal_id=self._ports.terminal_id,
                    pin=pin,
                    allow_last_try=self._tx.last_try,
                    gate=self._ports.gate,
                )
            except WrongPinError as wrong:
                with self._lock:
                    if tx_id == self._tx.id:
                        self._view = replace(self._view, tries_left=wrong.tries_left)
                        self._dispatch(Event.PIN_WRONG if wrong.tries_left > 0 else Event.CARD_BLOCKED)
                return
            except (PinBlockedError, LastTryRefusedError):
                self._post(Event.CARD_BLOCKED, tx_id)
                return
            except CardRemovedError:
                self._card_removed(tx_id)
                return
            except _REFUSALS as refused:
                self._fail_from_worker(tx_id, _refusal_code(refused), "counter", event=Event.REFUSED)
                return
            except CardError as error:
                self._fail_from_worker(tx_id, error.code, "counter", event=Event.CARD_UNUSABLE)
                return
        finally:
            pin[:] = bytes(len(pin))
        with self._lock:
            if tx_id != self._tx.id:
                return
            self._tx.authenticated = authenticated
            self._record(Step.AUTHENTICATED)
            code = authenticated.answer.municipality.code
            offers = tuple(self._ports.offer_policy(code, offer) for offer in authenticated.answer.offers)
            self._view = replace(self._view, offers=offers, tries_left=None)
            self._dispatch(Event.AUTHENTICATED)

    def _collect_payment(self, tx_id: str, cancelled: threading.Event, amount: int) -> None:
        def progress(inserted: int) -> None:
            with self._lock:
                if tx_id == self._tx.id:
                    self._update(paid_yen=inserted)

        try:
            payment = self._ports.payment.collect(
                amount,
                on_progress=progress,
                cancelled=cancelled,
                timeout=self._timeouts.get(State.PAYMENT, 120.0),
            )
        except KioskError as error:
            if not cancelled.is_set():
                self._fail_from_worker(tx_id, error.code, "retry")
            return
        with self._lock:
            if tx_id != self._tx.id or cancelled.is_set():
                self._ports.payment.refund(payment)
                return
            self._tx.payment = payment
            self._record(Step.PAYMENT_COLLECTED, payment_ref=payment.reference)
            self._view = replace(self._view, paid_yen=payment.inserted_yen, change_yen=payment.change_yen)
            self._dispatch(Event.PAID)

    def _obtain_document(self, tx_id: str, cancelled: threading.Event, order: IssueOrder) -> None:
        authenticated = self._tx.authenticated
        if authenticated is None or cancelled.is_set():
            return
        try:
            obtained = obtain_document(
                authenticated,
                backend=self._ports.backend,
                municipal_key=self._ports.municipal_key,
                order=order,
                gate=self._ports.gate,
            )
        except _REFUSALS as refused:
            self._fail_from_worker(tx_id, _refusal_code(refused), "counter", event=Event.REFUSED)
            return
        with self._lock:
            if tx_id != self._tx.id or cancelled.is_set():
                # Too late: the transaction was aborted while the backend answered. Never print it.
                report_failed(self._ports.backend, obtained.request_id, None)
                return
            self._tx.obtained = obtained
            self._record(Step.VERIFIED, request_id=obtained.request_id)
            self._dispatch(Event.DOCUMENT_VERIFIED)

    def _print(self, tx_id: str, cancelled: threading.Event, document: VerifiedDocument, copies: int) -> None:
        def staff_needed(reasons: tuple[str, ...]) -> None:
            with self._lock:
                if tx_id != self._tx.id:
                    return
                self._view = replace(self._view, printer_reasons=reasons)
                self._dispatch(Event.PRINTER_NEEDS_STAFF if reasons else Event.PRINTER_RESUMED)

        try:
            output = self._ports.printer.print_document(
                document,
                copies,
                on_staff_needed=staff_needed,
                on_job_created=lambda job_id: self._job_created(tx_id, job_id),
                cancelled=cancelled,
            )
        except KioskError as error:
            self._fail_from_worker(tx_id, error.code, "staff")
            return
        with self._lock:
            if tx_id != self._tx.id:
                return
            self._tx.printed = True
            self._record(Step.PRINTED, copies=self._view.copies)
            self._view = replace(self._view, output=output)
            self._dispatch(Event.PRINTED)

    def _job_created(self, tx_id: str, job_id: int) -> None:
        """Journaled before the document goes to cupsd: after a crash, recovery cancels this job."""
        self._record(Step.PRINT_SUBMITTED, transaction=tx_id, job_id=job_id, strict=True)

    def _report_printed(self) -> None:
        tx = self._tx
        obtained = tx.obtained
        if obtained is None:
            return
        tx.reported = True
        self.counters["completed"] += 1
        copies = self._view.copies
        tx_id = tx.id

        def report() -> None:
            try:
                response = report_printed(self._ports.backend, obtained, copies)
                self._record(
                    Step.REPORTED_PRINTED,
                    transaction=tx_id,
                    request_id=obtained.request_id,
                    fee_yen=response.charged_yen,
                )
            except KioskError as error:
                # Printed is printed: the backend closes it at its deadline; issue 7's journal reconciles.
                _log.warning("could not report printed for %s: %s", obtained.request_id, error.code)

        tx.report = self._pool.submit(report)

    def _test_print(self) -> None:
        try:
            output = self._ports.printer.test_print()
        except KioskError as error:
            self._post_staff_message(error.code)
            return
        self._post_staff_message(f"test-print:{output}")

    def _post_staff_message(self, message: str) -> None:
        with self._lock:
            self._update(staff_status={**self._view.staff_status, "message": message})

    def _refresh_staff_status(self) -> None:
        staff = self._ports.staff
        if staff is None:
            return
        counters = dict(self.counters)

        def gather() -> None:
            try:
                status = staff.status(counters)
            except Exception as error:  # a probe bug must not leave the staff screen empty and silent
                _log.error("staff status failed: %s", type(error).__name__)
                status = {"message": "status-unavailable"}
            with self._lock:
                if self._view.state is State.STAFF:
                    self._update(staff_status=dict(status))

        self._pool.submit(gather)

    # ------------------------------------------------------------------------------------------ endings

    def _fail_from_worker(
        self, tx_id: str, code: str, next_step: str, *, event: Event = Event.FAILED
    ) -> None:
        with self._lock:
            if tx_id != self._tx.id:
                return
            self._fail(code, next_step, event=event)

    def _fail(self, code: str, next_step: str, *, event: Event) -> None:
        transition = TRANSITIONS.get((self._view.state, event))
        if transition is not None and transition.target is State.ERROR:
            self._view = replace(self._view, error_code=code, error_next=next_step)
            self.last_error_code = code
        self._dispatch(event)

    def _card_removed(self, tx_id: str) -> None:
        """Taken off when asked to, the transaction goes on; pulled any earlier, it is over."""
        self._fail_from_worker(tx_id, "card-removed", "retry", event=Event.CARD_REMOVED)

    def _abort(self) -> None:
        """Cancel the work, report the request failed, refund, wipe. Exactly once per transaction."""
        tx = self._tx
        if tx.cancelled.is_set():
            return
        tx.cancelled.set()
        # On the error screens the transaction failed; anywhere else the resident left or timed out.
        ended_in_error = self._view.state in (State.ERROR, State.PIN_BLOCKED)
        self.counters["failed" if ended_in_error else "aborted"] += 1
        obtained, payment, printed = tx.obtained, tx.payment, tx.printed
        tx.wipe()
        if obtained is not None and not tx.reported:
            tx.reported = True
            self._pool.submit(report_failed, self._ports.backend, obtained.request_id, None)
        if payment is not None and not printed:
            self._pool.submit(self._refund, tx.id, payment)
        code = self._view.error_code or self._end_reason or "cancelled"
        self._end_reason = None
        self._record(
            Step.FAILED if ended_in_error else Step.ABORTED,
            outcome=_outcome_of(code, ended_in_error),
            error_code=_journal_code(code),
            request_id=None if obtained is None else obtained.request_id,
        )
        self._view = View(
            state=self._view.state,
            timeout_seconds=self._view.timeout_seconds,
            error_code=self._view.error_code,
            error_next=self._view.error_next,
        )

    def _refund(self, tx_id: str, payment: Payment) -> None:
        refunded = self._ports.payment.refund(payment)
        self._record(Step.REFUNDED, transaction=tx_id, fee_yen=refunded, payment_ref=payment.reference)

    def _record(
        self, step: Step, *, transaction: str | None = None, strict: bool = False, **fields: object
    ) -> None:
        """Append one row for the current (or the named) transaction. A journal that fails mid-transaction
        is logged by code; with `strict` (a print job the journal must know of) the error propagates, so
        the job is cancelled rather than left unaccounted for."""
        journal = self._ports.journal
        if journal is None:
            return
        try:
            journal.append(JournalEntry(transaction or self._tx.id, step, **fields))  # type: ignore[arg-type]
        except JournalError as error:
            _log.error("journal: %s not recorded: %s", step.value, error.code)
            if strict:
                raise

    def _finish(self) -> None:
        tx = self._tx
        report, tx_id = tx.report, tx.id

        def finished() -> None:
            # After the backend has the outcome: `finished` must be the transaction's last row.
            if report is not None:
                report.result()
            self._record(Step.FINISHED, transaction=tx_id, outcome=Outcome.PRINTED)

        self._pool.submit(finished)
        tx.wipe()
        self._view = View(state=self._view.state, timeout_seconds=self._view.timeout_seconds)

    # ------------------------------------------------------------------------------------------ helpers

    def _offer(self, document_type: DocumentType) -> Offer | None:
        return next((offer for offer in self._view.offers if offer.document_type is document_type), None)

    def _chosen_offer(self) -> Offer | None:
        chosen = self._view.document_type
        return None if chosen is None else self._offer(chosen)

    def _order(self) -> IssueOrder:
        chosen = self._view.document_type
        if chosen is None:
            raise RuntimeError("no document chosen")  # the flow cannot get here without one
        return IssueOrder(chosen, dict(self._view.options), self._view.copies)

    def _verified_document(self) -> VerifiedDocument:
        obtained = self._tx.obtained
        if obtained is None:
            # The table allows PRINT only after DOCUMENT_VERIFIED; this is the second lock on that door.
            raise RuntimeError("print without a verified document")
        return obtained.document

    def _clear_staff_pin(self) -> None:
        self._staff_pin[:] = bytes(len(self._staff_pin))
        self._staff_pin_length = 0


def _journal_code(code: str) -> str:
    """Error codes as the journal allows them ([a-z0-9:-], at most 64)."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in ":-") else "-" for c in code.lower())
    return cleaned[:64] or "unknown"


def _outcome_of(code: str, ended_in_error: bool) -> Outcome:
    if code == "timeout":
        return Outcome.TIMED_OUT
    if code.startswith(("refused:", "closed:")):
        return Outcome.REFUSED
    return Outcome.FAILED if ended_in_error else Outcome.CANCELLED


def _refusal_code(error: KioskError) -> str:
    if isinstance(error, OfferRefusedError):
        return f"refused:{error.reason}"
    if isinstance(error, ServiceClosedError):
        return f"closed:{error.reason}"
    if isinstance(error, BackendRefusedError):
        return f"refused:{error.error_code}"
    return error.code
