"""The Qt binding itself: PySide6-Essentials 6.12.0 on CPython 3.11 drops a reference to True on every
Signal.emit() and to None on every void call, and the interpreter aborts after a few thousand (the kiosk's
countdown emits four times a second). pyproject.toml excludes that release; this catches the next one."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_signals_and_void_calls_keep_the_singletons_alive() -> None:
    probe = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QCoreApplication, QObject, Signal

        class Emitter(QObject):
            fired = Signal()

        app = QCoreApplication([])
        emitter = Emitter()
        true_refs, none_refs = sys.getrefcount(True), sys.getrefcount(None)
        for _ in range(5000):
            emitter.fired.emit()
            emitter.setObjectName("probe")
            app.processEvents()
        print(sys.getrefcount(True) - true_refs, sys.getrefcount(None) - none_refs)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr[-500:]
    true_delta, none_delta = (int(value) for value in result.stdout.split())
    assert abs(true_delta) < 100 and abs(none_delta) < 100
