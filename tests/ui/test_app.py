"""The whole application offscreen: QML, controller, orchestrator, the reference backend over TLS, software
cards in a virtual reader, virtual coins and the folder printer. Residents and clerks are scripted per
screen (ui/demo_scenes.py); nothing here sleeps for a fixed time or measures one."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.flow import RESIDENT_STATES, TIMEOUTS, State
from kiosk.orchestrator import View
from tests.ui.app_rig import RunningApp
from ui.demo_scenes import CARD_BLOCKED, CARD_LAST_TRY, CARD_MOVED_OUT, CARD_SEAL, happy_path
from ui.headless import Scene

pytestmark = pytest.mark.integration

DEMO_PIN = "1234"
RESIDENTS = Path(__file__).resolve().parents[2] / "config" / "samples" / "residents.json"


def _names() -> set[str]:
    data = json.loads(RESIDENTS.read_text(encoding="utf-8"))
    names: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("name", "kana", "name_kana") and isinstance(value, str) and len(value) > 1:
                    names.add(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return names


def _type(app: RunningApp, pin: str) -> None:
    for digit in pin:
        app.controller.pinDigit(int(digit))
    app.controller.pinSubmit()


def _to_pin(app: RunningApp, card: int = CARD_SEAL) -> None:
    app.controller.start()
    app.wait_for("language")
    app.controller.chooseLanguage("ja")
    app.wait_for("place-card")
    app.parts.hooks.place_card(card)


def _to_document(app: RunningApp, card: int = CARD_SEAL) -> None:
    _to_pin(app, card)
    app.wait_for("pin")
    _type(app, DEMO_PIN)
    app.wait_for("remove-card")
    app.parts.hooks.remove_card()
    app.wait_for("document")


def _pdfs(folder: Path) -> set[str]:
    return {path.name for path in folder.glob("*.pdf")}


def _is_wiped(view: View) -> bool:
    return (
        view.transaction is None
        and view.offers == ()
        and view.document_type is None
        and view.options == {}
        and view.pin_length == 0
        and view.tries_left is None
        and view.paid_yen == 0
    )


@pytest.mark.parametrize("document", ["juminhyo", "inkan"])
def test_the_happy_path_prints_the_certificate(app: RunningApp, pdf_dir: Path, document: str) -> None:
    before = _pdfs(pdf_dir)
    seen = app.play(happy_path(app.parts.hooks, pin=DEMO_PIN, document=document))
    assert seen[-1] == "thank-you"
    for screen in ("language", "place-card", "pin", "remove-card", "document", "copies", "fee", "payment"):
        assert screen in seen
    printed = _pdfs(pdf_dir) - before
    prefix = "kiosk-J-" if document == "juminhyo" else "kiosk-I-"
    assert len(printed) == 1 and next(iter(printed)).startswith(prefix)
    app.wait_for("idle")
    assert _is_wiped(app.view)


def test_a_wrong_pin_then_the_right_one(app: RunningApp) -> None:
    _to_pin(app)
    app.wait_for("pin")
    assert app.controller.property("triesLeft") == 3
    _type(app, "9999")
    app.wait_until(lambda: app.controller.property("triesLeft") == 2, what="tries left 2")
    app.wait_for("pin")
    assert app.controller.property("pinLength") == 0
    _type(app, DEMO_PIN)
    app.wait_for("remove-card")


def test_the_last_try_is_confirmed_before_it_is_spent(app: RunningApp) -> None:
    _to_pin(app, CARD_LAST_TRY)
    app.wait_for("pin")
    assert app.controller.property("triesLeft") == 1
    _type(app, DEMO_PIN)
    app.wait_for("last-try")
    app.controller.back()
    app.wait_for("pin")
    _type(app, DEMO_PIN)
    app.wait_for("last-try")
    app.controller.confirmLastTry()
    app.wait_for("remove-card")


def test_a_blocked_card_explains_both_recovery_routes(app: RunningApp) -> None:
    _to_pin(app, CARD_BLOCKED)
    app.wait_for("pin-blocked")
    assert _is_wiped(app.view)
    assert len(app.texts()) >= 3  # the explanation is on screen
    app.controller.acknowledge()
    app.wait_for("idle")


def test_the_last_try_wrong_blocks_the_card(app: RunningApp) -> None:
    _to_pin(app, CARD_LAST_TRY)
    app.wait_for("pin")
    _type(app, "9999")
    app.wait_for("last-try")
    app.controller.confirmLastTry()
    app.wait_for("pin-blocked")


def test_closed_hours_show_the_closed_screen_and_start_nothing(app: RunningApp) -> None:
    app.parts.hooks.close_service(True)
    app.controller.orchestrator.refresh_service()
    app.wait_for("closed")
    assert app.controller.property("closedReason") == "after-hours"
    app.controller.start()
    app.wait_for("closed")
    assert app.view.transaction is None
    app.parts.hooks.close_service(False)
    app.controller.orchestrator.refresh_service()
    app.wait_for("idle")


def test_a_card_pulled_at_the_pin_aborts_the_transaction(app: RunningApp) -> None:
    _to_pin(app)
    app.wait_for("pin")
    app.controller.pinDigit(1)
    app.parts.hooks.remove_card()
    app.wait_for("error")
    assert app.controller.property("errorCode") == "card-removed"
    assert _is_wiped(app.view)


def test_refused_documents_are_shown_with_their_reason_and_cannot_be_chosen(app: RunningApp) -> None:
    _to_document(app, CARD_MOVED_OUT)
    offers = app.controller.property("offers")
    assert offers and all(not offer["available"] and offer["refusal"] for offer in offers)
    app.controller.chooseDocument(offers[0]["type"])
    app.wait_for("document")
    app.controller.cancel()
    app.wait_for("idle")


def test_paper_out_calls_the_store_staff_then_prints(app: RunningApp, pdf_dir: Path) -> None:
    before = _pdfs(pdf_dir)
    reasons: list[list[str]] = []

    def fix(_kiosk: object) -> None:
        reasons.append(list(app.controller.property("printerReasons")))
        app.parts.hooks.fix_printer()

    scene = happy_path(app.parts.hooks, pin=DEMO_PIN, paper_out=True)
    scene = Scene(scene.name, {**scene.actions, "staff-call": fix}, scene.until, scene.setup, scene.teardown)
    seen = app.play(scene)
    assert "staff-call" in seen and seen[-1] == "thank-you"
    assert reasons == [["media-empty-error"]]
    assert len(_pdfs(pdf_dir) - before) == 1


def test_a_language_switch_mid_flow_keeps_the_state(app: RunningApp) -> None:
    _to_document(app)
    offers = app.controller.property("offers")
    japanese = set(app.texts())
    app.controller.setLanguage("en")
    app.wait_until(lambda: set(app.texts()) != japanese, what="English texts")
    assert app.screen == "document"
    assert app.controller.property("offers") == offers
    assert app.controller.property("language") == "en"
    app.controller.chooseDocument("juminhyo")
    app.wait_for("options")


# ---------------------------------------------------------------------------------------------- timeouts

#: How to bring a resident to each screen that waits for them (the waiting screens follow the card, the
#: backend and the printer, whose own timeouts are tested in their packages).
_INTERACTIVE = {
    State.LANGUAGE: [],
    State.PLACE_CARD: ["language"],
    State.PIN: ["language", "place-card"],
    State.REMOVE_CARD: ["language", "place-card", "pin"],
    State.DOCUMENT: ["language", "place-card", "pin", "remove-card"],
    State.OPTIONS: ["language", "place-card", "pin", "remove-card", "document"],
    State.COPIES: ["language", "place-card", "pin", "remove-card", "document", "options"],
    State.FEE: ["language", "place-card", "pin", "remove-card", "document", "options", "copies"],
    State.PAYMENT: ["language", "place-card", "pin", "remove-card", "document", "options", "copies", "fee"],
    State.STAFF_CALL: [],  # reached through the paper-out scene below
}


@pytest.mark.parametrize("screen", list(_INTERACTIVE), ids=lambda state: state.value)
def test_a_timeout_on_each_screen_aborts_the_whole_transaction(
    make_app: Callable[..., RunningApp], pdf_dir: Path, screen: State
) -> None:
    # Long enough for the scripted resident to act everywhere else; short on the screen under test.
    timeouts = {state: 30.0 for state in TIMEOUTS} | {screen: 0.8}
    app = make_app(timeouts=timeouts)
    before = _pdfs(pdf_dir)
    full = happy_path(app.parts.hooks, pin=DEMO_PIN, paper_out=screen is State.STAFF_CALL)
    if screen is State.STAFF_CALL:
        actions = {k: v for k, v in full.actions.items() if k != "staff-call"}
    else:
        actions = {k: v for k, v in full.actions.items() if k in ["idle", *_INTERACTIVE[screen]]}
    if screen is State.PAYMENT:
        # Some money in, not all: the abort must give it back.
        actions["payment"] = lambda _k: app.parts.hooks.insert_coin(100)
    seen = app.play(
        Scene(
            f"timeout on {screen.value}",
            actions,
            until=lambda seen: len(seen) > 2 and seen[-1] == "idle",
            setup=full.setup,
            teardown=lambda _k: app.parts.hooks.remove_card(),
        )
    )
    assert screen.value in seen
    assert seen[-1] == "idle"
    assert _is_wiped(app.view)
    assert _pdfs(pdf_dir) == before
    assert app.controller.orchestrator.counters["aborted"] >= 1


def test_every_resident_screen_has_a_countdown(app: RunningApp) -> None:
    for state in RESIDENT_STATES:
        assert TIMEOUTS[state] > 0
    _to_pin(app)
    app.wait_for("pin")
    app.wait_until(
        lambda: 0 < app.controller.property("secondsLeft") <= TIMEOUTS[State.PIN], what="countdown"
    )


# ---------------------------------------------------------------------------------------------- privacy


def test_no_personal_data_reaches_the_log_or_the_view(
    app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app.play(happy_path(app.parts.hooks, pin=DEMO_PIN))
    app.wait_for("idle")
    names = _names()
    assert names
    text = caplog.text
    assert not [name for name in names if name in text]
    assert DEMO_PIN not in [record.getMessage() for record in caplog.records]
    assert _is_wiped(app.view)


# ---------------------------------------------------------------------------------------------- escapes


def test_closing_the_window_and_keys_do_nothing(app: RunningApp) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    app.window.close()
    assert app.window.isVisible()
    QTest.keyClick(app.window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(app.window, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(app.window, Qt.Key.Key_Escape)
    assert app.window.isVisible()
    assert app.screen == "idle"


def test_staff_mode_needs_the_pin_and_can_pause_the_service(app: RunningApp) -> None:
    app.controller.staffGesture()
    app.wait_for("staff-login")
    for digit in "9999":
        app.controller.staffPinDigit(int(digit))
    app.controller.staffPinSubmit()
    app.wait_until(lambda: app.controller.property("errorCode") == "staff-pin-wrong", what="wrong staff PIN")
    assert app.screen == "staff-login"
    for digit in DEMO_PIN:
        app.controller.staffPinDigit(int(digit))
    app.controller.staffPinSubmit()
    app.wait_for("staff")
    app.wait_until(lambda: bool(app.controller.property("staffStatus").get("printerState")), what="status")
    status = app.controller.property("staffStatus")
    assert status["backendReachable"] is True
    app.controller.staffPause()
    app.wait_for("paused")
    app.controller.start()
    app.wait_for("paused")  # a paused kiosk starts nothing
