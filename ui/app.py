"""The composition root of the full-screen application: window, translations, the controller, the QML.

`KioskWindow` is a frameless QQuickView on the primary screen that refuses to close (Alt+F4, the window
manager's close) and swallows every key (Ctrl+Q, Escape, ...): a resident must not be able to leave the
kiosk. Only staff mode exits, through the orchestrator's EXIT effect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QTranslator, QUrl
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtQuick import QQuickView

from kiosk.orchestrator import Orchestrator, View
from ui.controller import DemoHooks, KioskController

__all__ = ["QML_MAIN", "KioskWindow", "Translations", "build_window"]

_log = logging.getLogger("ui.app")

UI_DIR = Path(__file__).resolve().parent
QML_MAIN = UI_DIR / "qml" / "Main.qml"
I18N_DIR = UI_DIR / "i18n"


class Translations:
    """Installs the .qm of the chosen language (English is the source text: no translator)."""

    def __init__(self, app: QGuiApplication, folder: Path = I18N_DIR) -> None:
        self._app = app
        self._folder = folder
        self._current: QTranslator | None = None
        self.retranslate: Callable[[], None] = lambda: None

    def set(self, code: str) -> None:
        self.remove()
        if code != "en":
            translator = QTranslator(self._app)
            path = self._folder / f"kiosk_{code}.qm"
            if not translator.load(str(path)):
                # The set-up builds the .qm files (tools/build_translations.py); without one the screens
                # fall back to English rather than failing in front of a resident.
                _log.error("no translation for %s at %s", code, path)
            else:
                self._app.installTranslator(translator)
                self._current = translator
        self.retranslate()

    def remove(self) -> None:
        if self._current is not None:
            self._app.removeTranslator(self._current)
            self._current = None


class _SwallowKeys(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        del watched
        return event.type() in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)


class KioskWindow(QQuickView):
    def __init__(self) -> None:
        super().__init__()
        self.allow_close = False
        self.setResizeMode(QQuickView.ResizeMode.SizeRootObjectToView)
        self.setTitle("kiosk")

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.allow_close:
            event.accept()
        else:
            event.ignore()


def build_window(
    app: QGuiApplication,
    orchestrator_factory: Callable[[Callable[[View], None]], Orchestrator],
    *,
    hours: str,
    demo: DemoHooks | None = None,
    play_reminder: Callable[[], None] = lambda: None,
    language: str = "ja",
) -> tuple[KioskWindow, KioskController]:
    """The window with the QML loaded and the controller attached; not shown yet."""
    window = KioskWindow()
    translations = Translations(app)
    translations.retranslate = window.engine().retranslate
    controller = KioskController(
        orchestrator_factory,
        set_language=translations.set,
        release_language=translations.remove,
        hours=hours,
        demo=demo,
        play_reminder=play_reminder,
        parent=window,
    )
    keys = _SwallowKeys(window)
    app.installEventFilter(keys)
    window.rootContext().setContextProperty("kiosk", controller)
    window.setSource(QUrl.fromLocalFile(str(QML_MAIN)))
    # After setSource, never before: QML compiles on a loader thread that may call translate(), and a
    # Python QTranslator there waits for the GIL that setSource holds (a deadlock on a cold QML cache).
    controller.setLanguage(language)
    for error in window.errors():
        _log.error("QML: %s", error.toString())
    if window.status() is not QQuickView.Status.Ready:
        raise RuntimeError(f"the QML did not load: {[e.toString() for e in window.errors()]}")
    _after_first_frame(window, controller.orchestrator.after_first_frame)
    return window, controller


def _after_first_frame(window: QQuickView, action: Callable[[], None]) -> None:
    """Run `action` once, after the first frame (or after a second if no frame comes, e.g. hidden)."""
    done: list[bool] = []

    def once() -> None:
        if not done:
            done.append(True)
            action()

    window.frameSwapped.connect(once, Qt.ConnectionType.QueuedConnection)
    QTimer.singleShot(1000, once)


def show_full_screen(app: QGuiApplication, window: KioskWindow) -> None:
    """Frameless, on top, covering the primary screen."""
    window.setFlags(
        Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
    )
    screen = app.primaryScreen()
    window.setScreen(screen)
    window.setGeometry(screen.geometry())
    window.showFullScreen()
