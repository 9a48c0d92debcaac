"""The lowest card layer: one APDU in, response data and status word out.

`pcsc.py` implements it over pyscard, `virtual.py` in-process over the software card, and the unit
tests with scripted fakes. Everything above (`jpki.py`) sees only this protocol.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["CardConnection"]


class CardConnection(Protocol):
    """A connected card. `transmit` takes a complete short C-APDU and returns (data, SW1SW2).

    Implementations resolve 61xx (GET RESPONSE) and 6Cxx (repeat with the right Le) themselves, so
    callers see only final status words. They raise `kiosk.errors.CardError` subclasses for transport
    failures (card removed, reader gone, timeout), never for status words. A bytearray APDU (VERIFY
    carrying a PIN) is accepted so that the caller can zero it afterwards; implementations copy it as
    little as they can.
    """

    @property
    def atr(self) -> bytes: ...

    def transmit(self, apdu: bytes | bytearray) -> tuple[bytes, int]: ...

    def close(self) -> None: ...
