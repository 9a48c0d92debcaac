"""Render the kiosk's QML offscreen without the real app: a stand-in controller and a reusable view.

`FakeKiosk` has the controller's API (ui/qml/Main.qml's `kiosk`): the same properties, each with a
`<name>Changed` signal, and the same slots, which only record their calls (plus the few obvious echoes a
screen needs to look alive: PIN dots, copies, language). `QmlRig` owns one QQuickView on ui/qml/Main.qml,
switches screens by setting `fake.screen`, checks the layout (`problems()`) and grabs PNGs.

Reuse for docs (the lead): `render_screens(Path("docs/images/screens"), sizes=[(1920, 1080)])` writes
`<screen>-<w>x<h>-<lang>.png` for every screen.

Qt needs `QT_QPA_PLATFORM=offscreen` before the first Qt import; this module sets it if unset.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    Property,
    QObject,
    QPointF,
    QRectF,
    QtMsgType,
    QTranslator,
    QUrl,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem, QQuickView

ROOT = Path(__file__).resolve().parents[2]
QML_MAIN = ROOT / "ui" / "qml" / "Main.qml"
I18N = ROOT / "ui" / "i18n"

#: Every value of kiosk.flow.State, in flow order.
SCREENS = (
    "idle", "closed", "language", "place-card", "reading", "pin", "last-try", "authenticating",
    "pin-blocked", "remove-card", "document", "options", "copies", "fee", "payment", "issuing",
    "printing", "staff-call", "take-items", "thank-you", "error", "paused", "staff-login", "staff",
)  # fmt: skip
SIZES = ((1920, 1080), (1280, 1024), (1024, 768))
LANGUAGES = ("ja", "en", "zh", "ko", "pt", "es", "vi")

#: name -> (Qt property type, default). Sample values that fill every screen.
PROPERTIES: dict[str, tuple[type | str, Any]] = {
    "screen": (str, "idle"),
    "language": (str, "ja"),
    "secondsLeft": (int, 45),
    "triesLeft": (int, 3),
    "pinLength": (int, 2),
    "offers": ("QVariantList", [
        {"type": "juminhyo", "available": True, "refusal": "", "feeYen": 200, "maxCopies": 10},
        {"type": "inkan", "available": False, "refusal": "no-seal", "feeYen": 200, "maxCopies": 10},
    ]),
    "documentType": (str, "juminhyo"),
    "optionChoices": ("QVariantList", [
        {"key": "members", "values": ["self", "all"], "value": "all"},
        {"key": "householder", "values": ["yes", "no"], "value": "yes"},
        {"key": "honseki", "values": ["yes", "no"], "value": "no"},
        {"key": "previous_address", "values": ["yes", "no"], "value": "no"},
        {"key": "moved_in", "values": ["yes", "no"], "value": "no"},
        {"key": "my_number", "values": ["yes", "no"], "value": "no"},
    ]),
    "copies": (int, 2),
    "maxCopies": (int, 10),
    "feeYen": (int, 400),
    "paidYen": (int, 100),
    "changeYen": (int, 0),
    "errorCode": (str, "refused:moved-out"),
    "errorNext": (str, "counter"),
    "closedReason": (str, "after-hours"),
    "opensAt": (str, "06:30"),
    "hours": (str, "06:30–23:00"),
    "printerReasons": ("QVariantList", ["media-empty-error", "media-jam"]),
    "reminderActive": (bool, True),
    "demo": (bool, False),
    "demoCards": ("QVariantList", [
        {"index": 0, "label": "山田 太郎 (PIN 1234)"},
        {"index": 1, "label": "Locked card"},
        {"index": 2, "label": "One try left"},
    ]),
    "cardPresent": (bool, False),
    "staffStatus": ("QVariantMap", {
        "reader": "ACS ACR1252 00 00", "cardPresent": False, "printerState": "idle",
        "printerReasons": ["toner-low-report"], "paper": "A4, about 400 sheets", "backendReachable": True,
        "clockSkewSeconds": 0.4, "configVersion": "2026-11-01.3",
        "counters": {"issued": 42, "failed": 1, "refused": 3, "pin-blocked": 0, "timeouts": 5},
        "paused": False, "message": "",
    }),
    "staffPinLength": (int, 3),
    "staffLockedSeconds": (int, 0),
}  # fmt: skip

SLOTS: dict[str, tuple[type, ...]] = {
    "start": (), "chooseLanguage": (str,), "setLanguage": (str,), "touched": (),
    "pinDigit": (int,), "pinBackspace": (), "pinClear": (), "pinSubmit": (), "confirmLastTry": (),
    "back": (), "cancel": (), "chooseDocument": (str,), "setOption": (str, str), "optionsDone": (),
    "setCopies": (int,), "copiesDone": (), "acceptFee": (), "insertCoin": (int,), "acknowledge": (),
    "staffGesture": (), "staffPinDigit": (int,), "staffPinBackspace": (), "staffPinSubmit": (),
    "staffTestPrint": (), "staffPause": (), "staffResume": (), "staffExit": (),
    "demoPlaceCard": (int,), "demoRemoveCard": (),
}  # fmt: skip


def _build_fake() -> type[QObject]:
    namespace: dict[str, Any] = {}
    for name, (qtype, _default) in PROPERTIES.items():
        signal = Signal()
        namespace[f"{name}Changed"] = signal

        def getter(self: Any, _n: str = name) -> Any:
            return self._values[_n]

        namespace[name] = Property(qtype, getter, notify=signal)  # type: ignore[arg-type]

    def __init__(self: Any, parent: QObject | None = None) -> None:
        QObject.__init__(self, parent)
        self._values = {name: default for name, (_t, default) in PROPERTIES.items()}
        self.calls = []  # (slot name, args) in call order
        self.on_language = None  # callable(code): the rig installs the translator there

    def set(self: Any, **values: Any) -> None:
        """Set properties by name and emit their change signals (what the real controller does)."""
        for name, value in values.items():
            if name not in PROPERTIES:
                raise AttributeError(name)
            if name == "language" and self.on_language is not None:
                self.on_language(value)  # translator first, then the signal: bindings see the new words
            self._values[name] = value
            getattr(self, f"{name}Changed").emit()

    namespace.update(__init__=__init__, set=set)

    for slot_name, arg_types in SLOTS.items():

        def record(self: Any, *args: Any, _n: str = slot_name) -> None:
            self.calls.append((_n, args))
            echo = _ECHOES.get(_n)
            if echo is not None:
                echo(self, *args)

        record.__name__ = slot_name
        namespace[slot_name] = Slot(*arg_types)(record)

    return type("FakeKiosk", (QObject,), namespace)


_ECHOES: dict[str, Any] = {
    "pinDigit": lambda k, _d: k.set(pinLength=min(4, k.pinLength + 1)),
    "pinBackspace": lambda k: k.set(pinLength=max(0, k.pinLength - 1)),
    "pinClear": lambda k: k.set(pinLength=0),
    "staffPinDigit": lambda k, _d: k.set(staffPinLength=k.staffPinLength + 1),
    "staffPinBackspace": lambda k: k.set(staffPinLength=max(0, k.staffPinLength - 1)),
    "setCopies": lambda k, n: k.set(copies=max(1, min(k.maxCopies, n))),
    "setLanguage": lambda k, code: k.set(language=code),
    "chooseLanguage": lambda k, code: k.set(language=code, screen="place-card"),
}

FakeKiosk: Any = _build_fake()

#: Per-screen overrides that make each screen show what it is for (demo controls where they exist).
SCREEN_STATE: dict[str, dict[str, Any]] = {
    "idle": {"secondsLeft": -1},
    "closed": {"secondsLeft": -1, "closedReason": "year-end", "opensAt": "1月4日 06:30"},
    "place-card": {"demo": True},
    "reading": {"demo": True, "cardPresent": True, "secondsLeft": 28},
    "pin": {"demo": True, "cardPresent": True},
    "last-try": {"triesLeft": 1, "demo": True, "cardPresent": True},
    "authenticating": {"cardPresent": True},
    "pin-blocked": {"triesLeft": 0, "cardPresent": True},
    "payment": {"demo": True, "secondsLeft": 8},
    "take-items": {"changeYen": 100},
    "paused": {"secondsLeft": -1},
    "staff": {"secondsLeft": 280},
}
#: Neutral values restored before every screen so overrides do not leak from one screen to the next.
_BASE = {name: default for name, (_t, default) in PROPERTIES.items() if name not in ("screen", "language")}


def build_translations(out_dir: Path) -> Path:
    """Compile ui/i18n/*.ts to out_dir with tools/build_translations.py; returns out_dir."""
    subprocess.run([sys.executable, str(ROOT / "tools" / "build_translations.py"), "--out", str(out_dir)],
                   check=True, capture_output=True)  # fmt: skip
    return out_dir


class QmlRig:
    """One QQuickView on Main.qml with a FakeKiosk; collects every QML warning."""

    def __init__(self, qm_dir: Path | None = None) -> None:
        self.app = QGuiApplication.instance() or QGuiApplication(["kiosk-qml-test"])
        self.fake: Any = FakeKiosk()
        self.qm_dir = qm_dir
        self.translator: QTranslator | None = None
        self.messages: list[str] = []
        self.view = QQuickView()
        self.view.setResizeMode(QQuickView.ResizeMode.SizeRootObjectToView)
        self.view.engine().warnings.connect(self._on_warnings)
        self.view.rootContext().setContextProperty("kiosk", self.fake)
        self.fake.on_language = self._install_language
        with self.capture():
            # Source first, translator second: with a PySide QTranslator installed, loading a QML file
            # deadlocks (the type-loader thread calls translate(), which waits for the GIL held by setSource).
            self.view.setSource(QUrl.fromLocalFile(str(QML_MAIN)))
            self._install_language(self.fake.language)
        if self.view.status() != QQuickView.Status.Ready:
            errors = "\n".join(e.toString() for e in self.view.errors())
            raise RuntimeError(f"Main.qml did not load:\n{errors}")
        self.view.resize(*SIZES[0])
        self.view.show()
        self.settle()

    def close(self) -> None:
        """Tear the view down before the fake (else bindings see a null `kiosk` on the way out)."""
        self.view.setSource(QUrl())
        self.view.close()
        self.view.deleteLater()
        self.settle()

    # -- warnings -------------------------------------------------------------------------------------

    def _on_warnings(self, warnings: list[Any]) -> None:
        self.messages.extend(w.toString() for w in warnings)

    @contextmanager
    def capture(self) -> Iterator[None]:
        """Also catch qWarning/console.warn output (installed around work only: pytest-qt has its own)."""

        def handler(mode: QtMsgType, _context: Any, message: str) -> None:
            if mode not in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
                self.messages.append(message)

        previous = qInstallMessageHandler(handler)
        try:
            yield
        finally:
            qInstallMessageHandler(previous)

    def take_messages(self) -> list[str]:
        out, self.messages = self.messages, []
        return out

    # -- driving --------------------------------------------------------------------------------------

    def _install_language(self, code: str) -> None:
        if self.translator is not None:
            QGuiApplication.removeTranslator(self.translator)
            self.translator = None
        if self.qm_dir is not None and code != "en":
            translator = QTranslator()
            if translator.load(str(self.qm_dir / f"kiosk_{code}.qm")):
                QGuiApplication.installTranslator(translator)
                self.translator = translator
        self.view.engine().retranslate()

    def settle(self) -> None:
        for _ in range(3):
            self.app.processEvents()

    @property
    def root(self) -> QQuickItem:
        return self.view.rootObject()

    def show(self, screen: str, size: tuple[int, int] | None = None, language: str | None = None,
             **overrides: Any) -> None:  # fmt: skip
        with self.capture():
            if size is not None and (self.view.width(), self.view.height()) != size:
                self.view.resize(*size)
            if language is not None and language != self.fake.language:
                self.fake.set(language=language)
            self.fake.set(**{**_BASE, **SCREEN_STATE.get(screen, {}), **overrides})
            self.fake.set(screen=screen)
            self.settle()
            self.view.grabWindow()  # polish and lay out now, so the checks see the final geometry
            self.settle()

    def grab(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with self.capture():
            image = self.view.grabWindow()
        if image.isNull() or not image.save(str(path)):
            raise RuntimeError(f"could not grab {path}")
        return path

    # -- checks ---------------------------------------------------------------------------------------

    def items(self) -> Iterator[QQuickItem]:
        """Every visible item below the root, depth first."""
        stack = [self.root]
        while stack:
            item = stack.pop()
            if not item.isVisible() or item.opacity() == 0:
                continue
            yield item
            stack.extend(reversed(item.childItems()))

    @staticmethod
    def _in_scroller(item: QQuickItem) -> bool:
        parent: QQuickItem | None = item.parentItem()
        while parent is not None:
            if parent.inherits("QQuickFlickable"):
                return True
            parent = parent.parentItem()
        return False

    def min_touch(self) -> float:
        return float(self.root.property("minTouch"))

    def problems(self) -> list[str]:
        """Clipped or truncated text, items outside the window, touch targets below the minimum."""
        out: list[str] = []
        root = self.root
        w, h = root.width(), root.height()
        minimum = self.min_touch()
        for item in self.items():
            if item.width() <= 0 or item.height() <= 0:
                continue
            label = _describe(item)
            if not self._in_scroller(item):
                r = item.mapRectToItem(root, QRectF(0, 0, item.width(), item.height()))
                if r.left() < -0.5 or r.top() < -0.5 or r.right() > w + 0.5 or r.bottom() > h + 0.5:
                    out.append(f"outside the window: {label} at {_rect(r)}")
            if item.inherits("QQuickText") and item.property("text"):
                cw, ch = item.property("contentWidth"), item.property("contentHeight")
                if item.property("truncated"):
                    out.append(f"truncated text: {label}")
                elif cw > item.width() + 1 or ch > item.height() + 1:
                    out.append(f"text overflows: {label} content {cw:.0f}x{ch:.0f} in box "
                               f"{item.width():.0f}x{item.height():.0f}")  # fmt: skip
            name = item.objectName()
            too_small = item.width() + 0.5 < minimum or item.height() + 0.5 < minimum
            if name.startswith("touch:") and item.isEnabled() and too_small:
                out.append(f"touch target below {minimum:.0f}px: {label}")
        return out

    def touch_targets(self) -> list[str]:
        return [i.objectName() for i in self.items() if i.objectName().startswith("touch:")]

    def find(self, object_name: str) -> QQuickItem | None:
        for item in self.items():
            if item.objectName() == object_name:
                return item
        return None

    def center_of(self, object_name: str) -> QPointF:
        item = self.find(object_name)
        if item is None:
            raise LookupError(object_name)
        return item.mapToScene(QPointF(item.width() / 2, item.height() / 2))


def _describe(item: QQuickItem) -> str:
    text = item.property("text") if item.inherits("QQuickText") else None
    name = item.objectName()
    kind = type(item).__name__ if type(item).__name__ != "QQuickItem" else item.metaObject().className()
    bits = [kind]
    if name:
        bits.append(repr(name))
    if text:
        bits.append(repr(str(text)[:40]))
    return " ".join(bits)


def _rect(r: QRectF) -> str:
    return f"({r.left():.0f},{r.top():.0f} {r.width():.0f}x{r.height():.0f})"


def render_screens(out_dir: Path, sizes: Iterable[tuple[int, int]] = SIZES,
                   languages: Iterable[str] = ("ja",), qm_dir: Path | None = None) -> list[Path]:  # fmt: skip
    """Write <screen>-<w>x<h>-<lang>.png for every screen (e.g. into docs/images/screens/)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        rig = QmlRig(qm_dir or build_translations(Path(tmp)))
        written = []
        for language in languages:
            for size in sizes:
                for screen in SCREENS:
                    rig.show(screen, size=size, language=language)
                    written.append(rig.grab(out_dir / f"{screen}-{size[0]}x{size[1]}-{language}.png"))
        rig.close()
        return written
