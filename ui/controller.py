"""The QObject that QML sees as `kiosk`: the orchestrator's View as properties, the resident's taps as slots.

No rules live here: every slot forwards to the orchestrator, every property reads the last View. Views
arrive from worker threads; a queued signal moves them onto the GUI thread before QML sees them. The
PIN never reaches QML: only how many digits were typed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Property, QObject, Qt, QTimer, Signal, Slot

from kiosk.backend.document import DocumentType
from kiosk.flow import State
from kiosk.orchestrator import Orchestrator, View

__all__ = ["DemoHooks", "KioskController"]

LANGUAGES = ("ja", "en", "zh", "ko", "pt", "es", "vi")


@dataclass(frozen=True)
class DemoHooks:
    """What the demo adds to the screens: cards to place, a card to pull, coins to insert."""

    cards: Sequence[str]  # labels, no personal data
    place_card: Callable[[int], None]
    remove_card: Callable[[], None]
    card_present: Callable[[], bool]
    insert_coin: Callable[[int], object]
    #: for the scripted clerk of `kiosk demo --headless`: a printer fault, its fix, the closed screen
    printer_fault: Callable[[tuple[str, ...]], None] = lambda _reasons: None
    fix_printer: Callable[[], None] = lambda: None
    close_service: Callable[[bool], None] = lambda _closed: None


class KioskController(QObject):
    viewChanged = Signal()
    languageChanged = Signal()
    secondsLeftChanged = Signal()
    _viewArrived = Signal(object)

    def __init__(
        self,
        orchestrator_factory: Callable[[Callable[[View], None]], Orchestrator],
        *,
        set_language: Callable[[str], None],
        hours: str,
        release_language: Callable[[], None] = lambda: None,
        demo: DemoHooks | None = None,
        play_reminder: Callable[[], None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._view = View(state=State.IDLE)
        self._language = "en"  # the QML's source language, until setLanguage installs a translation
        self._set_language = set_language
        self._release_language = release_language
        self._hours = hours
        self._demo = demo
        self._play_reminder = play_reminder
        self._deadline: float | None = None
        self._seconds_left = -1
        self._viewArrived.connect(self._apply, Qt.ConnectionType.QueuedConnection)
        self._orchestrator = orchestrator_factory(self._viewArrived.emit)
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self._service_check = QTimer(self)
        self._service_check.setInterval(15_000)
        self._service_check.timeout.connect(self._orchestrator.refresh_service)
        self._service_check.start()
        self._reminder = QTimer(self)
        self._reminder.setInterval(4_000)
        self._reminder.timeout.connect(self._play_reminder)
        # The service window is first asked once the first frame is up (ui.app.build_window): the calendar's
        # holiday tables load on first use, and the attract screen should not wait for them.

    @property
    def orchestrator(self) -> Orchestrator:
        return self._orchestrator

    @property
    def current(self) -> View:
        return self._view

    def shutdown(self) -> None:
        self._tick.stop()
        self._service_check.stop()
        self._reminder.stop()
        self._orchestrator.close()
        self._release_language()

    # ------------------------------------------------------------------------------------- view updates

    @Slot(object)
    def _apply(self, view: View) -> None:
        previous = self._view
        self._view = view
        if view.state is not previous.state or view.timeout_seconds != previous.timeout_seconds:
            self._restart_countdown()
        if view.reminder and not self._reminder.isActive():
            self._play_reminder()
            self._reminder.start()
        elif not view.reminder and self._reminder.isActive():
            self._reminder.stop()
        self.viewChanged.emit()

    def _restart_countdown(self) -> None:
        seconds = self._view.timeout_seconds
        self._deadline = None if seconds is None else time.monotonic() + seconds
        self._on_tick()

    def _on_tick(self) -> None:
        left = -1 if self._deadline is None else max(0, round(self._deadline - time.monotonic()))
        if left != self._seconds_left:
            self._seconds_left = left
            self.secondsLeftChanged.emit()

    # ------------------------------------------------------------------------------------- properties

    def _screen(self) -> str:
        return self._view.state.value

    def _language_value(self) -> str:
        return self._language

    def _seconds(self) -> int:
        return self._seconds_left

    def _tries(self) -> int:
        return -1 if self._view.tries_left is None else self._view.tries_left

    def _pin_length(self) -> int:
        return self._view.pin_length

    def _offers(self) -> list[dict[str, Any]]:
        return [
            {
                "type": offer.document_type.value,
                "available": offer.available,
                "refusal": "" if offer.refusal is None else str(offer.refusal),
                "feeYen": offer.fee_yen,
                "maxCopies": offer.max_copies,
            }
            for offer in self._view.offers
        ]

    def _document_type(self) -> str:
        chosen = self._view.document_type
        return "" if chosen is None else chosen.value

    def _chosen_offer_options(self) -> list[dict[str, Any]]:
        chosen = self._view.document_type
        offer = next((o for o in self._view.offers if o.document_type is chosen), None)
        if offer is None:
            return []
        return [
            {
                "key": str(option.key),
                "values": [str(value) for value in option.allowed],
                "value": self._view.options.get(str(option.key), str(option.default)),
            }
            for option in offer.options
        ]

    def _max_copies(self) -> int:
        chosen = self._view.document_type
        offer = next((o for o in self._view.offers if o.document_type is chosen), None)
        return 1 if offer is None else offer.max_copies

    def _staff_status(self) -> dict[str, Any]:
        return dict(self._view.staff_status)

    def _demo_cards(self) -> list[dict[str, Any]]:
        if self._demo is None:
            return []
        return [{"index": index, "label": label} for index, label in enumerate(self._demo.cards)]

    def _card_present(self) -> bool:
        return self._demo is not None and self._demo.card_present()

    screen = Property(str, _screen, notify=viewChanged)
    language = Property(str, _language_value, notify=languageChanged)
    secondsLeft = Property(int, _seconds, notify=secondsLeftChanged)
    triesLeft = Property(int, _tries, notify=viewChanged)
    pinLength = Property(int, _pin_length, notify=viewChanged)
    offers = Property(list, _offers, notify=viewChanged)
    documentType = Property(str, _document_type, notify=viewChanged)
    optionChoices = Property(list, _chosen_offer_options, notify=viewChanged)
    copies = Property(int, lambda self: self._view.copies, notify=viewChanged)
    maxCopies = Property(int, _max_copies, notify=viewChanged)
    feeYen = Property(int, lambda self: self._view.fee_yen, notify=viewChanged)
    paidYen = Property(int, lambda self: self._view.paid_yen, notify=viewChanged)
    changeYen = Property(int, lambda self: self._view.change_yen, notify=viewChanged)
    errorCode = Property(str, lambda self: self._view.error_code, notify=viewChanged)
    errorNext = Property(str, lambda self: self._view.error_next, notify=viewChanged)
    closedReason = Property(str, lambda self: self._view.closed_reason, notify=viewChanged)
    opensAt = Property(str, lambda self: self._view.next_open or "", notify=viewChanged)
    hours = Property(str, lambda self: self._hours, constant=True)
    printerReasons = Property(list, lambda self: list(self._view.printer_reasons), notify=viewChanged)
    reminderActive = Property(bool, lambda self: self._view.reminder, notify=viewChanged)
    demo = Property(bool, lambda self: self._demo is not None, constant=True)
    demoCards = Property(list, _demo_cards, constant=True)
    cardPresent = Property(bool, _card_present, notify=viewChanged)
    staffStatus = Property(dict, _staff_status, notify=viewChanged)
    staffPinLength = Property(int, lambda self: self._view.staff_pin_length, notify=viewChanged)
    staffLockedSeconds = Property(int, lambda self: 0, notify=viewChanged)

    # ------------------------------------------------------------------------------------- slots

    @Slot()
    def start(self) -> None:
        self._orchestrator.start()

    @Slot(str)
    def chooseLanguage(self, code: str) -> None:
        self.setLanguage(code)
        self._orchestrator.choose_language()

    @Slot(str)
    def setLanguage(self, code: str) -> None:
        if code not in LANGUAGES or code == self._language:
            return
        self._language = code
        self._set_language(code)  # installs the translator and retranslates; the flow state is untouched
        self.languageChanged.emit()
        self.touched()

    @Slot()
    def touched(self) -> None:
        self._orchestrator.touched()
        self._restart_countdown()

    @Slot(int)
    def pinDigit(self, digit: int) -> None:
        self._orchestrator.pin_digit(digit)

    @Slot()
    def pinBackspace(self) -> None:
        self._orchestrator.pin_backspace()

    @Slot()
    def pinClear(self) -> None:
        self._orchestrator.pin_clear()

    @Slot()
    def pinSubmit(self) -> None:
        self._orchestrator.pin_submit()

    @Slot()
    def confirmLastTry(self) -> None:
        self._orchestrator.confirm_last_try()

    @Slot()
    def back(self) -> None:
        self._orchestrator.back()

    @Slot()
    def cancel(self) -> None:
        self._orchestrator.cancel()

    @Slot(str)
    def chooseDocument(self, document_type: str) -> None:
        try:
            chosen = DocumentType(document_type)
        except ValueError:
            return
        self._orchestrator.choose_document(chosen)

    @Slot(str, str)
    def setOption(self, key: str, value: str) -> None:
        self._orchestrator.set_option(key, value)

    @Slot()
    def optionsDone(self) -> None:
        self._orchestrator.options_done()

    @Slot(int)
    def setCopies(self, copies: int) -> None:
        self._orchestrator.set_copies(copies)

    @Slot()
    def copiesDone(self) -> None:
        self._orchestrator.copies_done()

    @Slot()
    def acceptFee(self) -> None:
        self._orchestrator.accept_fee()

    @Slot(int)
    def insertCoin(self, yen: int) -> None:
        if self._demo is not None:
            self._demo.insert_coin(yen)

    @Slot()
    def acknowledge(self) -> None:
        self._orchestrator.acknowledge()

    @Slot()
    def staffGesture(self) -> None:
        self._orchestrator.staff_gesture()

    @Slot(int)
    def staffPinDigit(self, digit: int) -> None:
        self._orchestrator.staff_pin_digit(digit)

    @Slot()
    def staffPinBackspace(self) -> None:
        self._orchestrator.staff_pin_backspace()

    @Slot()
    def staffPinSubmit(self) -> None:
        self._orchestrator.staff_pin_submit()

    @Slot()
    def staffTestPrint(self) -> None:
        self._orchestrator.staff_test_print()

    @Slot()
    def staffPause(self) -> None:
        self._orchestrator.staff_pause()

    @Slot()
    def staffResume(self) -> None:
        self._orchestrator.staff_resume()

    @Slot()
    def staffExit(self) -> None:
        self._orchestrator.staff_exit()

    @Slot(int)
    def demoPlaceCard(self, index: int) -> None:
        if self._demo is not None:
            self._demo.place_card(index)
            self.viewChanged.emit()

    @Slot()
    def demoRemoveCard(self) -> None:
        if self._demo is not None:
            self._demo.remove_card()
            self.viewChanged.emit()
