"""The real application offscreen for tests: `start_app` builds the demo's ports, the window and the
controller; `RunningApp` waits for screens and walks the QML item tree."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem

from kiosk.cli.app import DemoParts, demo_parts
from kiosk.cli.demo_env import DemoEnvironment
from kiosk.flow import State
from kiosk.orchestrator import Orchestrator, View
from ui.app import KioskWindow, build_window
from ui.controller import KioskController
from ui.headless import Scene, play_scene


@dataclass
class RunningApp:
    window: KioskWindow
    controller: KioskController
    parts: DemoParts

    @property
    def screen(self) -> str:
        return self.controller.current.state.value

    @property
    def view(self) -> View:
        return self.controller.current

    def play(self, scene: Scene) -> list[str]:
        return play_scene(self.controller, scene)

    def wait_for(self, screen: str, timeout: float = 15.0) -> None:
        self.wait_until(lambda: self.screen == screen, timeout, f"screen {screen!r}")

    def wait_until(
        self, condition: Callable[[], bool], timeout: float = 15.0, what: str = "condition"
    ) -> None:
        deadline = time.monotonic() + timeout
        loop = QEventLoop()
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; on {self.screen!r}")
            QTimer.singleShot(20, loop.quit)
            loop.exec()

    def texts(self) -> list[str]:
        """Every visible text on the current screen (Text items' `text`)."""
        root = self.window.rootObject()
        found: list[str] = []

        def walk(item: QQuickItem) -> None:
            if not item.isVisible():
                return
            text = item.property("text")
            if isinstance(text, str) and text and item.inherits("QQuickText"):
                found.append(text)
            for child in item.childItems():
                walk(child)

        walk(root)
        return found

    def close(self) -> None:
        self.controller.shutdown()
        self.parts.close()
        self.window.allow_close = True
        self.window.close()
        QCoreApplication.processEvents()


def start_app(
    env: DemoEnvironment,
    *,
    timeouts: Mapping[State, float],
    size: tuple[int, int] = (1024, 768),
    language: str = "ja",
) -> RunningApp:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    parts = demo_parts(env)

    def factory(on_change: Callable[[View], None]) -> Orchestrator:
        return Orchestrator(parts.ports, on_change=on_change, timeouts=timeouts)

    window, controller = build_window(app, factory, hours=parts.hours, demo=parts.hooks, language=language)
    window.resize(*size)
    window.show()
    return RunningApp(window, controller, parts)
