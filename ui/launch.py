"""Starting the application: full screen for residents, or offscreen with a scripted resident for the demo.

The orchestrator is made after the QGuiApplication, inside the controller, so that its `on_change` can be
a queued Qt signal from the first event on.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from kiosk import sdnotify
from kiosk.orchestrator import Orchestrator, Ports, View
from ui.app import KioskWindow, build_window, show_full_screen
from ui.controller import DemoHooks
from ui.demo_scenes import demo_scenes
from ui.headless import ScreenRecorder, play_scene
from ui.sound import ReminderChime

__all__ = ["make_app", "run_headless", "run_windowed"]

_log = logging.getLogger("ui.launch")


def make_app(*, offscreen: bool) -> object:
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QGuiApplication.instance()
    if app is None:
        app = QGuiApplication(sys.argv[:1])
    return app


def _factory(
    ports: Callable[[], Ports],
    exit_app: Callable[[], None],
    on_orchestrator: Callable[[Orchestrator], None] = lambda _orchestrator: None,
) -> Callable[[Callable[[View], None]], Orchestrator]:
    def make(on_change: Callable[[View], None]) -> Orchestrator:
        orchestrator = Orchestrator(ports(), on_change=on_change, on_exit=exit_app)
        on_orchestrator(orchestrator)
        return orchestrator

    return make


def run_windowed(
    ports: Callable[[], Ports],
    *,
    hooks: DemoHooks | None,
    hours: str,
    full_screen: bool = True,
    on_orchestrator: Callable[[Orchestrator], None] = lambda _orchestrator: None,
) -> int:
    """The kiosk on a display until staff exit it; returns the process exit status."""
    app = make_app(offscreen=False)
    assert isinstance(app, QGuiApplication)  # noqa: S101 - make_app made it
    chime = ReminderChime()
    holder: list[object] = []

    def exit_app() -> None:
        window = holder[0]
        window.allow_close = True  # type: ignore[attr-defined]
        QTimer.singleShot(0, lambda: app.exit(0))

    window, controller = build_window(
        app, _factory(ports, exit_app, on_orchestrator), hours=hours, demo=hooks, play_reminder=chime
    )
    holder.append(window)
    window.frameSwapped.connect(_first_frame_reporter(window))
    _watchdog(app)
    _quit_on_sigterm(app)
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


def _first_frame_reporter(window: KioskWindow) -> Callable[[], None]:
    """Logs where the first frame went (what an installer checks: full screen, the whole screen)."""
    done: list[bool] = []

    def report() -> None:
        if done:
            return
        done.append(True)
        sdnotify.ready()  # systemd (Type=notify): the kiosk is up when residents can see it
        geometry, screen = window.geometry(), window.screen().geometry()
        _log.info(
            "first frame: window %dx%d+%d+%d on screen %s %dx%d, %s",
            geometry.width(),
            geometry.height(),
            geometry.x(),
            geometry.y(),
            window.screen().name(),
            screen.width(),
            screen.height(),
            window.visibility().name,
        )

    return report


def _watchdog(app: QGuiApplication) -> None:
    """WATCHDOG=1 from the GUI thread: a hung event loop stops the pings and systemd restarts the kiosk."""
    interval = sdnotify.watchdog_interval()
    if interval is None:
        return
    timer = QTimer(app)
    timer.setInterval(max(100, int(interval * 1000)))
    timer.timeout.connect(lambda: sdnotify.watchdog())  # noqa: PLW0108 - watchdog(environ=...) stays default
    timer.start()


def _quit_on_sigterm(app: QGuiApplication) -> None:
    """systemd stops the kiosk with SIGTERM. Qt's loop runs in C++, so Python only sees the signal when
    the interpreter runs: a idle timer gives it the chance a few times a second."""

    # exit(), not quit(): Qt 6's quit() first asks every window to close, and the kiosk window refuses.
    def stop(_signum: int, _frame: object) -> None:
        sdnotify.stopping()
        app.exit(0)

    signal.signal(signal.SIGTERM, stop)
    wake = QTimer(app)
    wake.setInterval(200)
    wake.timeout.connect(lambda: None)
    wake.start()


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
