"""Every kiosk screen renders offscreen, in Japanese, at 1920×1080, 1280×1024 and 1024×768, without a QML
warning, without clipped or truncated text, inside the window, with touch targets of at least Theme.minTouch;
and the translation sources are complete (every qsTr extracted, Japanese fully translated)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.qml_rig import I18N, LANGUAGES, ROOT, SCREENS, SIZES, QmlRig, build_translations

QML_DIR = ROOT / "ui" / "qml"
TS_LANGUAGES = [lang for lang in LANGUAGES if lang != "en"]


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QmlRig]:
    rig = QmlRig(build_translations(tmp_path_factory.mktemp("qm")))
    assert rig.take_messages() == []
    yield rig
    rig.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screens")


def _check_all(rig: QmlRig, size: tuple[int, int], language: str, shots: Path | None) -> list[str]:
    failures = []
    for screen in SCREENS:
        rig.show(screen, size=size, language=language)
        assert rig.root.property("screenItem") is not None, screen
        for message in rig.take_messages() + rig.problems():
            failures.append(f"{screen} {size[0]}x{size[1]} {language}: {message}")
        if shots is not None:
            rig.grab(shots / f"{screen}-{size[0]}x{size[1]}-{language}.png")
    return failures


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_in_japanese_fits(rig: QmlRig, shots: Path, size: tuple[int, int]) -> None:
    assert _check_all(rig, size, "ja", shots) == []
    assert len(list(shots.glob(f"*-{size[0]}x{size[1]}-ja.png"))) == len(SCREENS)


@pytest.mark.parametrize("language", ["en", "zh", "ko", "pt", "es", "vi"])
def test_every_screen_in_every_language_fits_the_smallest_window(rig: QmlRig, language: str) -> None:
    assert _check_all(rig, (1024, 768), language, None) == []


def test_the_screens_speak_japanese(rig: QmlRig) -> None:
    rig.show("pin", size=(1024, 768), language="ja")
    texts = {str(i.property("text")) for i in rig.items() if i.inherits("QQuickText")}
    assert "暗証番号（数字4桁）を入力してください" in texts
    assert "残り 3 回" in texts
    rig.show("pin", language="en")
    from PySide6.QtCore import QCoreApplication

    source = "Please enter your PIN (4 digits)"
    if QCoreApplication.translate("Pin", source) == source:  # no translator left behind by another test
        texts = {str(i.property("text")) for i in rig.items() if i.inherits("QQuickText")}
        assert source in texts
    rig.show("pin", language="ja")


def test_the_language_menu_fits(rig: QmlRig) -> None:
    for size in SIZES:
        rig.show("document", size=size, language="ja")
        rig.root.setProperty("languageMenuOpen", True)
        rig.view.grabWindow()
        names = rig.touch_targets()
        assert {f"touch:set-language-{code}" for code in LANGUAGES} <= set(names)
        assert rig.take_messages() + rig.problems() == []
        rig.root.setProperty("languageMenuOpen", False)


def test_resident_screens_show_the_countdown_and_cancel_where_the_flow_has_it(rig: QmlRig) -> None:
    from kiosk.flow import TIMEOUTS, TRANSITIONS, Event, State

    for screen in SCREENS:
        state = State(screen)
        seconds = 33 if state in TIMEOUTS else -1
        rig.show(screen, size=(1280, 1024), language="ja", secondsLeft=seconds)
        badge = rig.find("countdown")
        assert (badge is not None) == (state in TIMEOUTS), screen
        has_cancel = (state, Event.CANCEL) in TRANSITIONS
        assert (rig.find("touch:cancel") is not None) == has_cancel, screen
        has_back = (state, Event.BACK) in TRANSITIONS
        assert (rig.find("touch:back") is not None or rig.find("touch:last-try-back") is not None) == has_back


def test_taps_reach_the_controller(rig: QmlRig) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    rig.show("pin", size=(1024, 768), language="ja", pinLength=0)
    rig.fake.calls.clear()
    for key in ("touch:pin-digit-5", "touch:pin-digit-0", "touch:pin-backspace"):
        QTest.mouseClick(rig.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         rig.center_of(key).toPoint())  # fmt: skip
    calls = [c for c in rig.fake.calls if c[0] != "touched"]
    assert calls == [("pinDigit", (5,)), ("pinDigit", (0,)), ("pinBackspace", ())]
    assert [c[0] for c in rig.fake.calls].count("touched") == 3  # every tap restarts the countdown
    assert rig.fake.pinLength == 1
    ok_key = rig.find("touch:pin-ok")
    assert ok_key is not None
    assert not ok_key.isEnabled()  # OK waits for 4 digits

    rig.show("document")
    rig.fake.calls.clear()
    QTest.mouseClick(rig.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     rig.center_of("touch:document-juminhyo").toPoint())  # fmt: skip
    assert ("chooseDocument", ("juminhyo",)) in rig.fake.calls
    assert rig.find("touch:document-inkan") is None  # refused: greyed out, not a target

    rig.show("payment")
    rig.fake.calls.clear()
    QTest.mouseClick(rig.view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     rig.center_of("touch:demo-coin-100").toPoint())  # fmt: skip
    assert ("insertCoin", (100,)) in rig.fake.calls


def test_the_staff_gesture_is_a_three_second_hold_on_idle_closed_and_paused(rig: QmlRig) -> None:
    for screen in SCREENS:
        rig.show(screen, size=(1024, 768))
        corner = rig.find("touch:staff-gesture")
        assert (corner is not None) == (screen in ("idle", "closed", "paused")), screen
        if corner is not None:
            assert corner.property("pressAndHoldInterval") == 3000


def test_no_hover_and_no_keyboard_in_the_qml() -> None:
    for path in QML_DIR.rglob("*.qml"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"hoverEnabled:\s*true|containsMouse|HoverHandler|\bhovered\b", text), path
        assert not re.search(r"TextInput|TextField|TextEdit|Keys\.", text), path


def _parse(ts: Path) -> ET.Element:
    return ET.parse(ts).getroot()  # noqa: S314 (our own .ts files)


def _sources(ts: Path) -> set[tuple[str, str]]:
    out = set()
    for context in _parse(ts).iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") not in ("vanished", "obsolete"):
                out.add((context.findtext("name") or "", message.findtext("source") or ""))
    return out


def test_translation_sources_are_up_to_date_and_every_language_is_complete(tmp_path: Path) -> None:
    for lang in TS_LANGUAGES:
        shutil.copy(I18N / f"kiosk_{lang}.ts", tmp_path / f"kiosk_{lang}.ts")
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    subprocess.run([str(lupdate), "-silent", "-no-obsolete", "-extensions", "qml,js", str(QML_DIR), "-ts",
                    *(str(tmp_path / f"kiosk_{lang}.ts") for lang in TS_LANGUAGES)],
                   check=True, capture_output=True)  # fmt: skip
    fresh = _sources(tmp_path / "kiosk_ja.ts")
    assert len(fresh) > 100
    for lang in TS_LANGUAGES:
        stale = f"run tools/build_translations.py --update ({lang})"
        assert _sources(I18N / f"kiosk_{lang}.ts") == fresh, stale
    for lang in TS_LANGUAGES:
        untranslated = [
            m.findtext("source")
            for m in _parse(I18N / f"kiosk_{lang}.ts").iter("message")
            if m.find("translation").get("type") == "unfinished" or not m.findtext("translation")  # type: ignore[union-attr]
        ]
        assert untranslated == [], lang


@pytest.mark.parametrize("language", ["ja", "en", "zh", "ko", "pt", "es", "vi"])
def test_the_terminal_unwell_message_fits_the_closed_screen(rig: QmlRig, language: str) -> None:
    """A full or read-only journal, or no printer: residents see the service closed, staff see what to do."""
    for reason in ("journal-disk-full", "printer-unavailable"):
        rig.show("closed", size=(1024, 768), language=language, closedReason=reason, opensAt="")
        texts = {str(i.property("text")) for i in rig.items() if i.inherits("QQuickText")}
        assert reason not in texts, f"{reason} shown raw"
        assert rig.take_messages() + rig.problems() == []
