"""The flow table: every pair defined or refused, and no sequence of events prints without verification."""

from __future__ import annotations

import itertools
from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.flow import (
    RESIDENT_STATES,
    TIMEOUTS,
    TRANSITIONS,
    Effect,
    Event,
    FlowError,
    State,
    step,
)


@pytest.mark.parametrize(("state", "event"), list(itertools.product(State, Event)))
def test_every_pair_is_defined_or_raises(state: State, event: Event) -> None:
    if (state, event) in TRANSITIONS:
        target, effects = step(state, event)
        assert target is TRANSITIONS[state, event].target
        assert effects == TRANSITIONS[state, event].effects
    else:
        with pytest.raises(FlowError) as caught:
            step(state, event)
        assert (caught.value.state, caught.value.event) == (state, event)


def test_print_is_on_one_transition_only() -> None:
    printing = [pair for pair, transition in TRANSITIONS.items() if Effect.PRINT in transition.effects]
    assert printing == [(State.ISSUING, Event.DOCUMENT_VERIFIED)]


def test_every_state_is_reachable_from_idle() -> None:
    seen = {State.IDLE}
    queue = deque([State.IDLE])
    while queue:
        state = queue.popleft()
        for (source, _), transition in TRANSITIONS.items():
            if source is state and transition.target not in seen:
                seen.add(transition.target)
                queue.append(transition.target)
    assert seen == set(State)


def test_every_resident_screen_can_time_out_and_timing_out_aborts() -> None:
    for state in RESIDENT_STATES:
        assert state in TIMEOUTS
        target, effects = step(state, Event.TIMEOUT)
        assert target is State.IDLE
        assert Effect.ABORT in effects


def test_every_state_with_a_timer_defines_timeout() -> None:
    for state in TIMEOUTS:
        assert (state, Event.TIMEOUT) in TRANSITIONS, state


def test_pulling_the_card_before_authentication_aborts() -> None:
    for state in (State.READING, State.PIN, State.LAST_TRY, State.AUTHENTICATING):
        assert step(state, Event.CARD_REMOVED) == (State.ERROR, (Effect.ABORT,))
    assert step(State.REMOVE_CARD, Event.CARD_REMOVED) == (State.DOCUMENT, ())


def test_the_last_try_needs_a_confirmation() -> None:
    assert step(State.PIN, Event.PIN_ENTERED_LAST_TRY) == (State.LAST_TRY, ())
    assert step(State.LAST_TRY, Event.LAST_TRY_CONFIRMED) == (State.AUTHENTICATING, (Effect.AUTHENTICATE,))


def test_the_happy_path() -> None:
    state = State.IDLE
    effects_seen: list[Effect] = []
    for event in (
        Event.START,
        Event.LANGUAGE_CHOSEN,
        Event.CARD_PLACED,
        Event.CARD_READ,
        Event.PIN_ENTERED,
        Event.AUTHENTICATED,
        Event.CARD_REMOVED,
        Event.DOCUMENT_WITH_OPTIONS,
        Event.OPTIONS_DONE,
        Event.COPIES_DONE,
        Event.FEE_ACCEPTED,
        Event.PAID,
        Event.DOCUMENT_VERIFIED,
        Event.PRINTER_NEEDS_STAFF,
        Event.PRINTER_RESUMED,
        Event.PRINTED,
        Event.ACKNOWLEDGED,
        Event.TIMEOUT,
    ):
        state, effects = step(state, event)
        effects_seen.extend(effects)
    assert state is State.IDLE
    assert effects_seen == [
        Effect.BEGIN,
        Effect.WAIT_FOR_CARD,
        Effect.READ_CARD,
        Effect.AUTHENTICATE,
        Effect.WAIT_FOR_REMOVAL,
        Effect.COLLECT_PAYMENT,
        Effect.OBTAIN_DOCUMENT,
        Effect.PRINT,
        Effect.REPORT_PRINTED,
        Effect.START_REMINDER,
        Effect.STOP_REMINDER,
        Effect.FINISH,
    ]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(list(Event)), max_size=60))
def test_no_sequence_prints_without_a_verified_document_of_this_transaction(events: list[Event]) -> None:
    """Feed any events (undefined pairs are skipped, as the orchestrator would refuse them): PRINT only
    ever follows DOCUMENT_VERIFIED in the same transaction, after payment, and at most once per transaction;
    an abort or a finish closes the transaction."""
    state = State.IDLE
    in_transaction = paid = printed = False
    for event in events:
        try:
            state, effects = step(state, event)
        except FlowError:
            continue
        for effect in effects:
            if effect is Effect.BEGIN:
                in_transaction, paid, printed = True, False, False
            elif effect in (Effect.ABORT, Effect.FINISH):
                in_transaction = paid = False
            elif effect is Effect.COLLECT_PAYMENT:
                paid = True
            elif effect is Effect.PRINT:
                assert in_transaction and paid and event is Event.DOCUMENT_VERIFIED and not printed
                printed = True
