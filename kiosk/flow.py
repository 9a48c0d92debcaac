"""The kiosk's screens and what moves between them, as data: a state enum, a transition table, `step`.

`step(state, event)` is pure: it looks the pair up and returns the next state and the effects the
orchestrator must run (card, backend, payment, printer work on worker threads). A pair that is not in the
table raises `FlowError`: an event the flow did not plan for is a bug, not something to guess about.

Why the table looks the way it does (domain.md section 8, the 2023 mis-issues):
* `PRINT` appears on exactly one transition, (ISSUING, DOCUMENT_VERIFIED): the only way to paper is a
  document whose signature and binding the orchestrator has just verified for this transaction.
* Every way out of a transaction that did not end in print is `ABORT`: the orchestrator cancels the
  transaction's work, reports the request failed (never printed later), refunds what was paid and wipes
  the transaction's personal data. A timeout aborts the whole transaction, never one step of it.
* The card is needed only until authentication; it must be taken off before the resident goes on (the
  real terminals insist on it), and pulling it earlier aborts.

Guards that need data (is this the last PIN try? does this document have options? is the service open?)
are decided by the orchestrator, which then sends the matching event: the table stays a plain lookup.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "ABORTING_EVENTS",
    "RESIDENT_STATES",
    "TIMEOUTS",
    "TRANSITIONS",
    "Effect",
    "Event",
    "FlowError",
    "State",
    "Transition",
    "step",
]


class State(StrEnum):
    """One screen of the kiosk. The UI shows the screen named by the state's value."""

    IDLE = "idle"  # attract screen
    CLOSED = "closed"  # outside the service window: hours, reason, next opening
    LANGUAGE = "language"
    PLACE_CARD = "place-card"
    READING = "reading"  # JPKI applet, certificate, tries left
    PIN = "pin"
    LAST_TRY = "last-try"  # confirm before the PIN's last try is spent
    AUTHENTICATING = "authenticating"  # PIN on the card, session and signature at the backend
    PIN_BLOCKED = "pin-blocked"  # both recovery routes explained
    REMOVE_CARD = "remove-card"
    DOCUMENT = "document"
    OPTIONS = "options"
    COPIES = "copies"
    FEE = "fee"  # confirm what will be issued and what it costs
    PAYMENT = "payment"
    ISSUING = "issuing"  # request, signature and binding checks
    PRINTING = "printing"
    STAFF_CALL = "staff-call"  # the printer needs staff (paper, jam, cover); the job waits
    TAKE_ITEMS = "take-items"  # card and paper reminder, sound until acknowledged
    THANK_YOU = "thank-you"
    ERROR = "error"  # what went wrong and the next step (counter, staff)
    PAUSED = "paused"  # service paused by staff
    STAFF_LOGIN = "staff-login"
    STAFF = "staff"


class Event(StrEnum):
    START = "start"  # the resident touched the attract screen (the service is open)
    SERVICE_CLOSED = "service-closed"
    SERVICE_OPEN = "service-open"
    LANGUAGE_CHOSEN = "language-chosen"
    CARD_PLACED = "card-placed"
    CARD_READ = "card-read"  # tries left > 0
    CARD_BLOCKED = "card-blocked"  # tries left == 0 when read, or the last try just failed
    CARD_UNUSABLE = "card-unusable"  # not a My Number card, unreadable, reader failure
    CARD_REMOVED = "card-removed"
    PIN_ENTERED = "pin-entered"  # more than one try left
    PIN_ENTERED_LAST_TRY = "pin-entered-last-try"  # exactly one try left: confirm first
    LAST_TRY_CONFIRMED = "last-try-confirmed"
    PIN_WRONG = "pin-wrong"  # tries left > 0
    AUTHENTICATED = "authenticated"
    REFUSED = "refused"  # the backend or the service rules said no: go to the counter
    FAILED = "failed"  # something broke (backend down, verification, printer): counter or staff
    DOCUMENT_WITH_OPTIONS = "document-with-options"
    DOCUMENT_WITHOUT_OPTIONS = "document-without-options"
    OPTIONS_DONE = "options-done"
    COPIES_DONE = "copies-done"
    FEE_ACCEPTED = "fee-accepted"
    PAID = "paid"
    DOCUMENT_VERIFIED = "document-verified"
    PRINTER_NEEDS_STAFF = "printer-needs-staff"
    PRINTER_RESUMED = "printer-resumed"
    PRINTED = "printed"
    ACKNOWLEDGED = "acknowledged"
    BACK = "back"
    CANCEL = "cancel"
    TIMEOUT = "timeout"
    STAFF_GESTURE = "staff-gesture"
    STAFF_PIN_OK = "staff-pin-ok"
    STAFF_PAUSE = "staff-pause"  # leave staff mode with the service paused
    STAFF_RESUME = "staff-resume"  # leave staff mode with the service running
    STAFF_TEST_PRINT = "staff-test-print"
    STAFF_EXIT = "staff-exit"  # quit the application (systemd or the session restarts it)


class Effect(StrEnum):
    BEGIN = "begin"  # a new transaction: fresh id, empty context
    WAIT_FOR_CARD = "wait-for-card"
    READ_CARD = "read-card"
    AUTHENTICATE = "authenticate"
    WAIT_FOR_REMOVAL = "wait-for-removal"
    COLLECT_PAYMENT = "collect-payment"
    OBTAIN_DOCUMENT = "obtain-document"
    PRINT = "print"
    REPORT_PRINTED = "report-printed"
    START_REMINDER = "start-reminder"
    STOP_REMINDER = "stop-reminder"
    ABORT = "abort"  # cancel work, report failed, refund, wipe
    FINISH = "finish"  # the transaction ended as it should: wipe
    TEST_PRINT = "test-print"
    EXIT = "exit"


class FlowError(Exception):
    """An event arrived in a state that has no transition for it: a bug in the caller."""

    def __init__(self, state: State, event: Event) -> None:
        super().__init__(f"no transition for {event.value!r} in state {state.value!r}")
        self.state = state
        self.event = event


@dataclass(frozen=True)
class Transition:
    target: State
    effects: tuple[Effect, ...] = ()


#: Screens a resident is in the middle of a transaction on: CANCEL, TIMEOUT and REFUSED/FAILED abort.
RESIDENT_STATES = frozenset(
    {
        State.LANGUAGE,
        State.PLACE_CARD,
        State.READING,
        State.PIN,
        State.LAST_TRY,
        State.AUTHENTICATING,
        State.REMOVE_CARD,
        State.DOCUMENT,
        State.OPTIONS,
        State.COPIES,
        State.FEE,
        State.PAYMENT,
        State.ISSUING,
        State.PRINTING,
        State.STAFF_CALL,
    }
)
#: While the card may still be in the reader and matters, pulling it aborts.
_CARD_STATES = frozenset({State.READING, State.PIN, State.LAST_TRY, State.AUTHENTICATING})
#: Events that end a transaction on the error screen.
ABORTING_EVENTS = frozenset({Event.REFUSED, Event.FAILED})

#: Seconds on each screen before the kiosk gives up (a visible countdown on resident screens). Waiting
#: screens have one too: every wait has a timeout, and it aborts the whole transaction.
TIMEOUTS: Mapping[State, float] = MappingProxyType(
    {
        State.LANGUAGE: 60,
        State.PLACE_CARD: 60,
        State.READING: 30,
        State.PIN: 60,
        State.LAST_TRY: 60,
        State.AUTHENTICATING: 60,
        State.PIN_BLOCKED: 60,
        State.REMOVE_CARD: 60,
        State.DOCUMENT: 90,
        State.OPTIONS: 90,
        State.COPIES: 60,
        State.FEE: 60,
        State.PAYMENT: 120,
        State.ISSUING: 120,
        State.PRINTING: 600,  # the spooler's own progress and staff timeouts end it sooner
        State.STAFF_CALL: 900,
        State.TAKE_ITEMS: 60,
        State.THANK_YOU: 10,
        State.ERROR: 60,
        State.STAFF_LOGIN: 60,
        State.STAFF: 300,
    }
)


class _Table:
    def __init__(self) -> None:
        self.pairs: dict[tuple[State, Event], Transition] = {}

    def add(self, state: State, event: Event, target: State, *effects: Effect) -> None:
        if (state, event) in self.pairs:
            raise AssertionError(f"two transitions for {event} in {state}")  # pragma: no cover
        self.pairs[state, event] = Transition(target, effects)

    def ignore(self, state: State, event: Event) -> None:
        self.pairs.setdefault((state, event), Transition(state))


def _card_and_pin(t: _Table) -> None:
    t.add(State.IDLE, Event.START, State.LANGUAGE, Effect.BEGIN)
    t.add(State.IDLE, Event.SERVICE_CLOSED, State.CLOSED)
    t.add(State.CLOSED, Event.SERVICE_OPEN, State.IDLE)
    t.add(State.LANGUAGE, Event.LANGUAGE_CHOSEN, State.PLACE_CARD, Effect.WAIT_FOR_CARD)
    t.add(State.PLACE_CARD, Event.CARD_PLACED, State.READING, Effect.READ_CARD)
    t.add(State.READING, Event.CARD_READ, State.PIN)
    t.add(State.READING, Event.CARD_BLOCKED, State.PIN_BLOCKED, Effect.ABORT)
    t.add(State.READING, Event.CARD_UNUSABLE, State.ERROR, Effect.ABORT)
    t.add(State.PIN, Event.PIN_ENTERED, State.AUTHENTICATING, Effect.AUTHENTICATE)
    t.add(State.PIN, Event.PIN_ENTERED_LAST_TRY, State.LAST_TRY)
    t.add(State.LAST_TRY, Event.LAST_TRY_CONFIRMED, State.AUTHENTICATING, Effect.AUTHENTICATE)
    t.add(State.LAST_TRY, Event.BACK, State.PIN)
    t.add(State.AUTHENTICATING, Event.PIN_WRONG, State.PIN)
    t.add(State.AUTHENTICATING, Event.CARD_BLOCKED, State.PIN_BLOCKED, Effect.ABORT)
    t.add(State.AUTHENTICATING, Event.CARD_UNUSABLE, State.ERROR, Effect.ABORT)
    t.add(State.AUTHENTICATING, Event.AUTHENTICATED, State.REMOVE_CARD, Effect.WAIT_FOR_REMOVAL)
    for state in _CARD_STATES:
        t.add(state, Event.CARD_REMOVED, State.ERROR, Effect.ABORT)
    t.add(State.PIN_BLOCKED, Event.ACKNOWLEDGED, State.IDLE)
    t.add(State.PIN_BLOCKED, Event.TIMEOUT, State.IDLE)
    t.add(State.REMOVE_CARD, Event.CARD_REMOVED, State.DOCUMENT)


def _choose_pay_print(t: _Table) -> None:
    t.add(State.DOCUMENT, Event.DOCUMENT_WITH_OPTIONS, State.OPTIONS)
    t.add(State.DOCUMENT, Event.DOCUMENT_WITHOUT_OPTIONS, State.COPIES)
    t.add(State.OPTIONS, Event.OPTIONS_DONE, State.COPIES)
    t.add(State.OPTIONS, Event.BACK, State.DOCUMENT)
    t.add(State.COPIES, Event.COPIES_DONE, State.FEE)
    t.add(State.COPIES, Event.BACK, State.DOCUMENT)
    t.add(State.FEE, Event.FEE_ACCEPTED, State.PAYMENT, Effect.COLLECT_PAYMENT)
    t.add(State.FEE, Event.BACK, State.COPIES)
    t.add(State.PAYMENT, Event.PAID, State.ISSUING, Effect.OBTAIN_DOCUMENT)
    # PRINT is on this one transition only.
    t.add(State.ISSUING, Event.DOCUMENT_VERIFIED, State.PRINTING, Effect.PRINT)
    t.add(State.PRINTING, Event.PRINTER_NEEDS_STAFF, State.STAFF_CALL)
    t.add(State.PRINTING, Event.PRINTER_RESUMED, State.PRINTING)
    t.add(State.STAFF_CALL, Event.PRINTER_RESUMED, State.PRINTING)
    t.add(State.STAFF_CALL, Event.PRINTER_NEEDS_STAFF, State.STAFF_CALL)
    for state in (State.PRINTING, State.STAFF_CALL):
        t.add(state, Event.PRINTED, State.TAKE_ITEMS, Effect.REPORT_PRINTED, Effect.START_REMINDER)
    t.add(State.TAKE_ITEMS, Event.ACKNOWLEDGED, State.THANK_YOU, Effect.STOP_REMINDER, Effect.FINISH)
    t.add(State.TAKE_ITEMS, Event.TIMEOUT, State.IDLE, Effect.STOP_REMINDER, Effect.FINISH)
    t.add(State.THANK_YOU, Event.ACKNOWLEDGED, State.IDLE)
    t.add(State.THANK_YOU, Event.TIMEOUT, State.IDLE)


def _aborts(t: _Table) -> None:
    """Every resident screen: cancel and timeout abort to idle; refusals and failures to the error screen."""
    for state in RESIDENT_STATES:
        if state not in (State.PRINTING, State.STAFF_CALL):
            # Once paper may be moving, the resident cannot call it off; the spooler's timeouts can.
            t.add(state, Event.CANCEL, State.IDLE, Effect.ABORT)
        t.add(state, Event.TIMEOUT, State.IDLE, Effect.ABORT)
        for event in ABORTING_EVENTS:
            t.add(state, event, State.ERROR, Effect.ABORT)
    t.add(State.ERROR, Event.ACKNOWLEDGED, State.IDLE)
    t.add(State.ERROR, Event.TIMEOUT, State.IDLE)


def _staff(t: _Table) -> None:
    """Staff mode opens only where no resident is in the middle of anything."""
    for state in (State.IDLE, State.CLOSED, State.PAUSED):
        t.add(state, Event.STAFF_GESTURE, State.STAFF_LOGIN)
    t.add(State.STAFF_LOGIN, Event.STAFF_PIN_OK, State.STAFF)
    t.add(State.STAFF_LOGIN, Event.CANCEL, State.IDLE)
    t.add(State.STAFF_LOGIN, Event.TIMEOUT, State.IDLE)
    t.add(State.STAFF, Event.STAFF_TEST_PRINT, State.STAFF, Effect.TEST_PRINT)
    t.add(State.STAFF, Event.STAFF_PAUSE, State.PAUSED)
    t.add(State.STAFF, Event.STAFF_RESUME, State.IDLE)
    t.add(State.STAFF, Event.TIMEOUT, State.IDLE)
    t.add(State.STAFF, Event.STAFF_EXIT, State.STAFF, Effect.EXIT)


def _late_events(t: _Table) -> None:
    """Events that can arrive late or twice and mean nothing where they land: defined, with no effect."""
    # A card placed or pulled after authentication is not part of the transaction any more.
    after_card = RESIDENT_STATES - _CARD_STATES - {State.LANGUAGE, State.PLACE_CARD, State.REMOVE_CARD}
    quiet = {State.IDLE, State.CLOSED, State.ERROR, State.PIN_BLOCKED, State.TAKE_ITEMS, State.THANK_YOU}
    for state in after_card | quiet | {State.PAUSED, State.STAFF_LOGIN, State.STAFF}:
        t.ignore(state, Event.CARD_PLACED)
        t.ignore(state, Event.CARD_REMOVED)
    for state in (State.LANGUAGE, State.REMOVE_CARD):
        t.ignore(state, Event.CARD_PLACED)
    for state in State:
        # The gate is re-evaluated on a timer; it only moves IDLE and CLOSED. A transaction under way is
        # held to its own deadline by the orchestrator's gate checks instead.
        t.ignore(state, Event.SERVICE_OPEN)
        t.ignore(state, Event.SERVICE_CLOSED)


def _build() -> Mapping[tuple[State, Event], Transition]:
    table = _Table()
    _card_and_pin(table)
    _choose_pay_print(table)
    _aborts(table)
    _staff(table)
    _late_events(table)
    return MappingProxyType(table.pairs)


TRANSITIONS: Mapping[tuple[State, Event], Transition] = _build()


def step(state: State, event: Event) -> tuple[State, tuple[Effect, ...]]:
    """The next state and the effects to run, or FlowError for a pair the flow does not define."""
    try:
        transition = TRANSITIONS[state, event]
    except KeyError:
        raise FlowError(state, event) from None
    return transition.target, transition.effects
