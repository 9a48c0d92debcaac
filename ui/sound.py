"""The take-your-card-and-paper reminder chime.

PySide6-Essentials has no QtMultimedia, so the chime is a short WAV made here once and played with ALSA's
`aplay` when the terminal has it (Debian's alsa-utils). A terminal without sound shows the reminder on
screen only; that is logged once, not raised: a missing speaker must not stop the kiosk.
"""

from __future__ import annotations

import io
import logging
import math
import shutil
import struct
import subprocess
import tempfile
import wave
from pathlib import Path

__all__ = ["ReminderChime", "chime_wav"]

_log = logging.getLogger("ui.sound")
_RATE = 22_050


def chime_wav() -> bytes:
    """Two falling tones (E6, C6), 0.25 s each, with a soft attack and decay."""
    frames = bytearray()
    for frequency in (1318.5, 1046.5):
        count = int(_RATE * 0.25)
        for index in range(count):
            envelope = min(1.0, index / 400) * (1 - index / count)
            sample = 0.4 * envelope * math.sin(2 * math.pi * frequency * index / _RATE)
            frames += struct.pack("<h", int(sample * 32767))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(_RATE)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


class ReminderChime:
    def __init__(self, player: str | None = None) -> None:
        self._player = player if player is not None else shutil.which("aplay")
        self._folder = tempfile.TemporaryDirectory(prefix="kiosk-chime-")
        self._file = Path(self._folder.name) / "chime.wav"
        self._file.write_bytes(chime_wav())
        self._warned = False
        self._process: subprocess.Popen[bytes] | None = None
        self.played = 0

    def __call__(self) -> None:
        self.played += 1
        if self._player is None:
            if not self._warned:
                _log.warning("no aplay: the reminder is shown on screen only")
                self._warned = True
            return
        if self._process is not None and self._process.poll() is None:
            return  # still playing the last one (poll also reaps it)
        try:
            self._process = subprocess.Popen(
                [self._player, "-q", str(self._file)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as error:
            _log.warning("could not play the reminder: %s", error.strerror)

    def close(self) -> None:
        self._folder.cleanup()
