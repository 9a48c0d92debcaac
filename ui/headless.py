"""A scripted resident (and a clerk) driving the real application offscreen, saving a PNG of every screen.

`kiosk demo --headless --out DIR` runs this on a machine with no display, and the UI tests use it to walk
the application. Each scene starts on the attract screen and reacts to the screens as they come, like a
person would: the script is "on this screen, do that", never a fixed sequence of sleeps. Every screen is
captured the first time it is shown, before anything else happens on it (waiting screens included).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer

from ui.controller import KioskController

__all__ = ["Action", "Scene", "SceneFailedError", "ScreenRecorder", "play_scene"]

_log = logging.getLogger("ui.headless")

Action = Callable[[KioskController], None]


class SceneFailedError(RuntimeError):
    def __init__(self, scene: str, screen: str, seen: list[str]) -> None:
        super().__init__(f"scene {scene!r} stuck on {screen!r} (screens: {' → '.join(seen)})")
        self.scene = scene
        self.screen = screen
        self.seen = seen


@dataclass(frozen=True)
class Scene:
    """`actions[screen]` runs when `screen` appears (once per appearance); the scene ends on `until`."""

    name: str
    actions: Mapping[str, Action]
    until: Callable[[list[str]], bool]
    setup: Action = lambda _kiosk: None
    teardown: Action = lambda _kiosk: None
    #: delay before acting, so that a screen is seen (and captured) before it is left
    pause_ms: int = 50
    timeout_s: float = 60.0


class ScreenRecorder(QObject):
    """Saves `NN-screen.png` the first time each screen is shown (or every time, with `every_time`)."""

    def __init__(self, window: object, controller: KioskController, out_dir: Path, size: str = "") -> None:
        super().__init__(controller)
        self._window = window
        self._controller = controller
        self._out = out_dir
        self._suffix = f"-{size}" if size else ""
        self._last = ""
        self.saved: dict[str, Path] = {}
        out_dir.mkdir(parents=True, exist_ok=True)
        controller.viewChanged.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        view = self._controller.current
        screen = view.state.value
        if screen == self._last:
            if screen == "staff" and view.staff_status and screen in self.saved:
                self.capture(screen)  # the status panel filled in: the picture should show it
            return
        self._last = screen
        if screen not in self.saved:
            self.capture(screen)

    def capture(self, screen: str) -> Path:
        path = self.saved.get(screen) or self._out / f"{len(self.saved) + 1:02d}-{screen}{self._suffix}.png"
        image = self._window.grabWindow()  # type: ignore[attr-defined]
        image.save(str(path))
        self.saved[screen] = path
        return path


def play_scene(controller: KioskController, scene: Scene) -> list[str]:
    """Run `scene` with the Qt event loop until `until(seen)`; returns the screens in the order seen."""
    seen: list[str] = []
    done: list[bool] = [False]
    loop = QEventLoop()
    last = [""]

    def act(screen: str) -> None:
        if controller.current.state.value != screen or done[0]:
            return  # the screen moved on by itself (a waiting screen)
        action = scene.actions.get(screen)
        if action is not None:
            action(controller)

    def changed() -> None:
        screen = controller.current.state.value
        if screen == last[0]:
            return
        last[0] = screen
        seen.append(screen)
        if scene.until(seen):
            done[0] = True
            loop.quit()
            return
        if screen in scene.actions:
            QTimer.singleShot(scene.pause_ms, lambda: act(screen))

    controller.viewChanged.connect(changed)
    try:
        scene.setup(controller)
        last[0] = ""
        changed()
        deadline = time.monotonic() + scene.timeout_s
        while not done[0] and time.monotonic() < deadline:
            QTimer.singleShot(200, loop.quit)
            loop.exec()
        if not done[0]:
            raise SceneFailedError(scene.name, controller.current.state.value, seen)
    finally:
        controller.viewChanged.disconnect(changed)
        scene.teardown(controller)
    QCoreApplication.processEvents()
    return seen
