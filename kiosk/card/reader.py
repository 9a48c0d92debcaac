"""The card-reader port the orchestrator waits on, and the virtual reader the demo and the tests use.

`pcsc.PcscCardReader` is the real one. The orchestrator's worker thread waits in `wait_for_card` and
`wait_for_removal` with a cancel Event the UI side may set at any time; a wait ends with False on timeout
or cancel, never with an exception, so "nobody came" is not an error. A reader that is itself unusable
(unplugged, PC/SC gone) raises `kiosk.errors.CardError` subclasses.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from time import monotonic
from typing import Protocol

from kiosk.card.connection import CardConnection
from kiosk.card.virtual import InProcessConnection, SoftwareJpkiCard
from kiosk.errors import NoCardError

__all__ = ["CardReader", "VirtualCardReader"]

#: Longest wait between two looks at the caller's cancel Event (an Event cannot wake a Condition).
_POLL_S = 0.05


class CardReader(Protocol):
    """One card reader: wait for a card, wait for it to leave, connect to it."""

    @property
    def name(self) -> str:
        """The reader's name, for errors and the staff screens (no personal data)."""
        ...

    def wait_for_card(self, timeout: float, cancelled: threading.Event) -> bool:
        """True once a card is present (at once if it already is); False on timeout or when `cancelled`
        is set (a cancel set before the call wins over a card already present)."""
        ...

    def wait_for_removal(self, timeout: float, cancelled: threading.Event) -> bool:
        """True once the reader is empty (at once if it already is); False on timeout or cancel."""
        ...

    def card_present(self) -> bool: ...

    def connect(self) -> CardConnection:
        """A connection to the card in the reader; `NoCardError` if there is none."""
        ...


class _ReaderConnection(InProcessConnection):
    """An `InProcessConnection` whose transmit and pull exclude each other: an APDU in flight completes or
    sees the card gone, never a half-pulled card (a reset session answering odd status words)."""

    def __init__(self, card: SoftwareJpkiCard) -> None:
        # Reentrant: InProcessConnection.transmit itself calls remove_card for a scripted pull.
        self._lock = threading.RLock()
        super().__init__(card)

    @property
    def closed(self) -> bool:
        return self._closed

    def transmit(self, apdu: bytes | bytearray) -> tuple[bytes, int]:
        with self._lock:
            return super().transmit(apdu)

    def remove_card(self) -> None:
        with self._lock:
            super().remove_card()


class VirtualCardReader:
    """A `CardReader` holding a `SoftwareJpkiCard`: `insert` and `remove` are the resident's hand.

    Thread-safe: the demo's buttons (or a test) insert and remove from one thread while the orchestrator
    waits and transmits on another. `remove` pulls the card out from under every connection handed out
    for it, so their next transmit raises `CardRemovedError`, as on a real reader.
    """

    def __init__(self, name: str = "Virtual JPKI reader") -> None:
        self._name = name
        self._cond = threading.Condition()
        self._card: SoftwareJpkiCard | None = None
        self._connections: list[_ReaderConnection] = []

    @property
    def name(self) -> str:
        return self._name

    @property
    def card(self) -> SoftwareJpkiCard | None:
        """The card in the reader (for tests and the demo's staff view), None when empty."""
        with self._cond:
            return self._card

    def insert(self, card: SoftwareJpkiCard) -> None:
        """Place `card` on the reader; a card already there is pulled first (its connections die)."""
        with self._cond:
            if self._card is not None:
                self._pull()
            self._card = card
            self._cond.notify_all()

    def remove(self) -> None:
        """Take the card off the reader (nothing happens if it is empty)."""
        with self._cond:
            if self._card is not None:
                self._pull()
                self._cond.notify_all()

    def _pull(self) -> None:
        """Under the lock: end every connection to the current card, then empty the reader."""
        for connection in self._connections:
            connection.remove_card()
        self._connections.clear()
        self._card = None

    def card_present(self) -> bool:
        with self._cond:
            return self._card is not None

    def wait_for_card(self, timeout: float, cancelled: threading.Event) -> bool:
        return self._wait(timeout, cancelled, lambda: self._card is not None)

    def wait_for_removal(self, timeout: float, cancelled: threading.Event) -> bool:
        return self._wait(timeout, cancelled, lambda: self._card is None)

    def _wait(self, timeout: float, cancelled: threading.Event, done: Callable[[], bool]) -> bool:
        if not timeout >= 0:
            raise ValueError(f"timeout must be >= 0 seconds, got {timeout}")
        deadline = monotonic() + timeout
        with self._cond:
            while not cancelled.is_set():
                if done():
                    return True
                remaining = deadline - monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(min(remaining, _POLL_S))
        return False

    def connect(self) -> CardConnection:
        """Power the card up and connect (a reset: whatever an earlier connection verified is gone)."""
        with self._cond:
            if self._card is None:
                raise NoCardError(self._name, 0.0)
            connection = _ReaderConnection(self._card)
            # Closed ones are dropped here, so a long demo session does not grow the list.
            self._connections = [c for c in self._connections if not c.closed] + [connection]
            return connection
