"""The scripted people of `kiosk demo --headless`: residents and a clerk who, between them, show every screen.

The demo cards come in the order of kiosk/cli/demo_env.py: 0 a resident with a seal, 1 without a seal,
2 a PIN with one try left, 3 a blocked PIN, 4 a resident who moved out.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer

from ui.controller import DemoHooks, KioskController
from ui.headless import Action, Scene

__all__ = ["CARD_BLOCKED", "CARD_LAST_TRY", "CARD_MOVED_OUT", "CARD_SEAL", "demo_scenes", "happy_path"]

CARD_SEAL, CARD_NO_SEAL, CARD_LAST_TRY, CARD_BLOCKED, CARD_MOVED_OUT = range(5)


def _type_pin(pin: str) -> Callable[[KioskController], None]:
    def act(kiosk: KioskController) -> None:
        for digit in pin:
            kiosk.pinDigit(int(digit))
        kiosk.pinSubmit()

    return act


def _up_to_the_card(hooks: DemoHooks, card: int) -> dict[str, Action]:
    """The first steps of every resident: start, keep the screen's language, place `card`."""
    return {
        "idle": lambda k: k.start(),
        "language": lambda k: k.chooseLanguage(k.property("language") or "ja"),
        "place-card": lambda _k: hooks.place_card(card),
    }


def _reached(screen: str) -> Callable[[list[str]], bool]:
    return lambda seen: bool(seen) and seen[-1] == screen


def _back_to_idle(seen: list[str]) -> bool:
    return len(seen) > 1 and seen[-1] == "idle"


def _pay(hooks: DemoHooks) -> Callable[[KioskController], None]:
    def act(kiosk: KioskController) -> None:
        owed = kiosk.current.fee_yen
        while owed > 0:
            coin = next(c for c in (1000, 500, 100, 50, 10) if c <= owed) if owed >= 10 else 10
            hooks.insert_coin(coin)
            owed -= coin

    return act


def happy_path(
    hooks: DemoHooks,
    *,
    pin: str,
    document: str = "juminhyo",
    card: int = CARD_SEAL,
    paper_out: bool = False,
    options: dict[str, str] | None = None,
) -> Scene:
    """One resident from the attract screen to the thank-you screen; with `paper_out` the printer runs
    out of paper first and a clerk refills it (the staff-call screen)."""

    def choose_options(kiosk: KioskController) -> None:
        for key, value in (options or {"members": "all"}).items():
            kiosk.setOption(key, value)
        kiosk.optionsDone()

    def setup(_kiosk: KioskController) -> None:
        if paper_out:
            hooks.printer_fault(("media-empty-error",))

    return Scene(
        name=f"happy path, {document}" + (", paper out" if paper_out else ""),
        setup=setup,
        actions={
            **_up_to_the_card(hooks, card),
            "pin": _type_pin(pin),
            "remove-card": lambda _k: hooks.remove_card(),
            "document": lambda k: k.chooseDocument(document),
            "options": choose_options,
            "copies": lambda k: k.copiesDone(),
            "fee": lambda k: k.acceptFee(),
            "payment": _pay(hooks),
            "staff-call": lambda _k: hooks.fix_printer(),
            "take-items": lambda k: k.acknowledge(),
        },
        until=_reached("thank-you"),
        teardown=lambda k: k.acknowledge(),
    )


def _last_try(hooks: DemoHooks, pin: str) -> Scene:
    return Scene(
        name="last try: confirm, then back out",
        actions={
            **_up_to_the_card(hooks, CARD_LAST_TRY),
            "pin": _type_pin(pin),
            "last-try": lambda k: k.cancel(),
        },
        until=_back_to_idle,
        teardown=lambda _k: hooks.remove_card(),
    )


def _blocked(hooks: DemoHooks) -> Scene:
    return Scene(
        name="blocked PIN",
        actions={
            **_up_to_the_card(hooks, CARD_BLOCKED),
            "pin-blocked": lambda k: k.acknowledge(),
        },
        until=_back_to_idle,
        teardown=lambda _k: hooks.remove_card(),
    )


def _card_pulled(hooks: DemoHooks) -> Scene:
    return Scene(
        name="card pulled at the PIN",
        actions={
            **_up_to_the_card(hooks, CARD_SEAL),
            "pin": lambda _k: hooks.remove_card(),
            "error": lambda k: k.acknowledge(),
        },
        until=_back_to_idle,
    )


def _closed(hooks: DemoHooks) -> Scene:
    def close(kiosk: KioskController) -> None:
        hooks.close_service(True)
        kiosk.orchestrator.refresh_service()

    def reopen(kiosk: KioskController) -> None:
        hooks.close_service(False)
        kiosk.orchestrator.refresh_service()

    return Scene(
        name="closed, then open again",
        setup=close,
        actions={"closed": reopen},
        until=_back_to_idle,
        teardown=lambda _k: hooks.close_service(False),
    )


def _staff(staff_pin: str) -> Scene:
    def log_in(kiosk: KioskController) -> None:
        for digit in staff_pin:
            kiosk.staffPinDigit(int(digit))
        kiosk.staffPinSubmit()

    visits: list[str] = []

    def in_staff(kiosk: KioskController, waited: int = 0) -> None:
        # The clerk reads the status panel first: the reader, printer and backend answer within a second.
        if not kiosk.current.staff_status.get("printerState") and waited < 50:
            QTimer.singleShot(100, lambda: in_staff(kiosk, waited + 1))
            return
        visits.append("staff")
        if len(visits) == 1:
            kiosk.staffPause()
        else:
            kiosk.staffResume()

    return Scene(
        name="staff: log in, pause, log in again, resume",
        setup=lambda k: k.staffGesture(),
        actions={
            "staff-login": log_in,
            "staff": in_staff,
            "paused": lambda k: k.staffGesture(),
        },
        until=lambda seen: seen.count("staff") == 2 and seen[-1] == "idle",
        pause_ms=400,  # the staff screen gathers the printer, reader and backend status first
    )


def demo_scenes(hooks: DemoHooks, *, pin: str, staff_pin: str) -> list[Scene]:
    return [
        _closed(hooks),
        happy_path(hooks, pin=pin, paper_out=True),
        happy_path(hooks, pin=pin, document="inkan"),
        _last_try(hooks, pin),
        _blocked(hooks),
        _card_pulled(hooks),
        _staff(staff_pin),
    ]
