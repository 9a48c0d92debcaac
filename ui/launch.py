"""Starting the application: full screen for residents, or offscreen with a scripted resident for the demo.

The orchestrator is made after the QGuiApplication, inside the controller, so that its `on_change` can be
a queued Qt signal from the first event on.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from kiosk.orchestrator import Orchestrator, Ports, View
from ui.app import build_window, show_full_screen
from ui.controller import DemoHooks
from ui.demo_scenes import demo_scenes
from ui.headless import ScreenRecorder, play_scene
from ui.sound import ReminderChime

__all__ = ["make_app", "run_headless", "run_windowed"]


def make_app(*, offscreen: bool) -> object:
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QGuiApplication.instance()
    if app is None:
        app = QGuiApplication(sys.argv[:1])
    return app


def _factory(
    ports: Callable[[], Ports], exit_app: Callable[[], None]
) -> Callable[[Callable[[View], None]], Orchestrator]:
    def make(on_change: Callable[[View], None]) -> Orchestrator:
        return Orchestrator(ports(), on_change=on_change, on_exit=exit_app)

    return make


def run_windowed(
    ports: Callable[[], Ports], *, hooks: DemoHooks | None, hours: str, full_screen: bool = True
) -> int:
    """The kiosk on a display until staff exit it; returns the process exit status."""
    app = make_app(offscreen=False)
    assert isinstance(app, QGuiApplication)  # noqa: S101 - make_app made it
    chime = ReminderChime()
    holder: list[object] = []

    def exit_app() -> None:
        window = holder[0]
        window.allow_close = True  # type: ignore[attr-defined]
        QTimer.singleShot(0, app.quit)

    window, controller = build_window(
        app, _factory(ports, exit_app), hours=hours, demo=hooks, play_reminder=chime
    )
    holder.append(window)
    if full_screen:
        show_full_screen(app, window)
    else:
        window.resize(1280, 1024)
        window.show()
    try:
        return int(app.exec())
    finally:
        controller.shutdown()
        chime.close()


def run_headless(
    ports: Callable[[], Ports],
    *,
    hooks: DemoHooks,
    hours: str,
    out_dir: Path,
    size: tuple[int, int] = (1920, 1080),
    language: str = "ja",
    pin: str = "1234",
    staff_pin: str = "1234",
) -> list[Path]:
    """Every demo scene offscreen; returns the PNG of each screen, in the order first seen."""
    app = make_app(offscreen=True)
    assert isinstance(app, QGuiApplication)  # noqa: S101 - make_app made it
    window, controller = build_window(
        app, _factory(ports, lambda: None), hours=hours, demo=hooks, language=language
    )
    window.resize(*size)
    window.show()
    try:
        recorder = ScreenRecorder(window, controller, out_dir, size=f"{size[0]}x{size[1]}")
        for scene in demo_scenes(hooks, pin=pin, staff_pin=staff_pin):
            play_scene(controller, scene)
        return list(recorder.saved.values())
    finally:
        controller.shutdown()
        window.allow_close = True
        window.close()
