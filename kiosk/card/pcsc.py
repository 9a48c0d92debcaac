"""PC/SC transport over pyscard's low-level `smartcard.scard` API: the only module that imports pyscard.

The low-level API is used rather than `smartcard.System`/`CardConnection` because it gives exact return
codes and real timeouts. Every PC/SC failure leaves this module as a `kiosk.errors.CardError` subclass.
A card-worker thread uses it; the GUI never calls it directly.

Two SCARDCONTEXTs, on purpose: `PcscContext` owns one for reader listing and presence waits, and each
`PcscConnection` owns another for its card handle. pcsc-lite serialises all calls on one context with a
mutex, so a transmit stuck in a dead reader would otherwise also freeze `wait_for_removal` and `close()`.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from time import monotonic
from typing import Any, TypeVar

from smartcard import scard
from smartcard.Exceptions import SmartcardException
from smartcard.pcsc.PCSCExceptions import BaseSCardException

from kiosk.card.apdu import resolve_response
from kiosk.errors import (
    CardCommunicationError,
    CardError,
    CardRemovedError,
    CardTimeoutError,
    MalformedResponseError,
    NoCardError,
    NoReaderError,
    ReaderUnavailableError,
)

__all__ = ["PcscCardReader", "PcscConnection", "PcscContext"]

#: INS, lengths and status words only: APDU data carries PINs and personal data and is never logged.
_traffic = logging.getLogger("kiosk.card.traffic")
_log = logging.getLogger(__name__)

_T = TypeVar("_T")

#: Longest single SCardGetStatusChange call. pcsc-lite drops an SCardCancel that arrives just before the
#: wait starts, so waits are sliced and re-check the cancel flag between slices (bounds a lost wake-up).
_WAIT_SLICE_S = 1.0
#: pcscd sees a pulled card only at its next presence poll (~0.4 s); how long a failed exchange waits for it.
_PULL_GRACE_S = 1.0
#: How often `PcscCardReader` looks at its caller's cancel Event to turn it into an SCardCancel.
_CANCEL_POLL_S = 0.05

_REMOVED = frozenset(
    c & 0xFFFFFFFF
    for c in (
        scard.SCARD_W_REMOVED_CARD,
        scard.SCARD_E_NO_SMARTCARD,
        # Another application reset the card: whatever we had verified is gone, same as a pull.
        scard.SCARD_W_RESET_CARD,
    )
)
_UNAVAILABLE = {
    c & 0xFFFFFFFF: text
    for c, text in (
        (scard.SCARD_E_NO_SERVICE, "PC/SC service not running"),
        (scard.SCARD_E_SERVICE_STOPPED, "PC/SC service stopped"),
        (scard.SCARD_E_READER_UNAVAILABLE, "reader unavailable"),
        (scard.SCARD_E_UNKNOWN_READER, "reader unknown to PC/SC"),
        (scard.SCARD_E_NO_READERS_AVAILABLE, "no readers connected"),
    )
}


def _code(rc: int) -> int:
    """PC/SC codes as unsigned 32-bit values: pyscard returns them signed on some platforms."""
    return int(rc) & 0xFFFFFFFF


class _PcscFailure(Exception):
    """Internal: a PC/SC call did not return SCARD_S_SUCCESS (or pyscard raised). Never leaves the module."""

    def __init__(self, code: int) -> None:
        super().__init__(f"0x{code:08X}")
        self.code = code


def _call(fn: Callable[..., Any], *args: Any) -> Any:
    """Call one `scard` function; normalise pyscard's exceptions and error return codes to `_PcscFailure`."""
    try:
        result = fn(*args)
    except (SmartcardException, BaseSCardException) as exc:
        hresult = int(getattr(exc, "hresult", -1))
        raise _PcscFailure(_code(scard.SCARD_F_UNKNOWN_ERROR if hresult == -1 else hresult)) from exc
    except scard.error as exc:  # SWIG-level failure (bad argument types): a bug here, not a card event
        raise _PcscFailure(_code(scard.SCARD_F_INTERNAL_ERROR)) from exc
    rc = result[0] if isinstance(result, list | tuple) else result
    if _code(rc) != scard.SCARD_S_SUCCESS:
        raise _PcscFailure(_code(rc))
    return result


def _error(operation: str, code: int, reader: str | None = None) -> CardError:
    """The kiosk error for a failed PC/SC call."""
    if code in _REMOVED:
        return CardRemovedError(f"card removed or reset during {operation}")
    if code in _UNAVAILABLE:
        where = f" ({reader!r})" if reader else ""
        return ReaderUnavailableError(f"{_UNAVAILABLE[code]}{where} during {operation}")
    return CardCommunicationError(operation, code)


def _has_card(state: int) -> bool:
    return bool(state & scard.SCARD_STATE_PRESENT) and not state & scard.SCARD_STATE_MUTE


def _is_empty(state: int) -> bool:
    return bool(state & scard.SCARD_STATE_EMPTY)


def _wait_state(
    context: Any,
    operation: str,
    reader: str,
    timeout: float,
    done: Callable[[int], bool],
    cancelled: threading.Event,
) -> bytes | None:
    """Wait for a reader state accepted by `done`: its ATR, or None on timeout or cancel."""
    if not timeout >= 0:
        raise ValueError(f"timeout must be >= 0 seconds, got {timeout}")
    deadline = monotonic() + timeout
    known = scard.SCARD_STATE_UNAWARE  # the first call returns at once with the current state
    while not cancelled.is_set():
        remaining = deadline - monotonic()
        if known != scard.SCARD_STATE_UNAWARE and remaining <= 0:
            return None
        first = known == scard.SCARD_STATE_UNAWARE
        wait_ms = 0 if first else math.ceil(min(remaining, _WAIT_SLICE_S) * 1000)
        try:
            _, states = _call(scard.SCardGetStatusChange, context, wait_ms, [(reader, known)])
        except _PcscFailure as f:
            if f.code == _code(scard.SCARD_E_TIMEOUT):
                continue
            if f.code == _code(scard.SCARD_E_CANCELLED):
                return None
            raise _error(operation, f.code, reader) from None
        _, event, atr = states[0]
        if event & scard.SCARD_STATE_UNKNOWN:  # unplugged, or never existed
            raise ReaderUnavailableError(f"reader {reader!r} is not known to PC/SC")
        if done(event):
            return bytes(atr)
        # The upper 16 bits are pcsc-lite's event counter: handing the state back unchanged is correct.
        known = event & ~scard.SCARD_STATE_CHANGED
    return None


class PcscContext:
    """One PC/SC context: list readers, wait for a card to arrive or leave, connect.

    Use from one thread; only `cancel()` may be called from another. Create it after the environment
    (`PCSCLITE_CSOCK_NAME`) is final: libpcsclite reads it when the context is established. A context
    does not survive a pcscd restart (it keeps answering "no service"): after `ReaderUnavailableError`,
    close it and make a new one.
    """

    def __init__(self) -> None:
        self._cancelled = threading.Event()
        try:
            _, self._handle = _call(scard.SCardEstablishContext, scard.SCARD_SCOPE_USER)
        except _PcscFailure as f:
            raise _error("establish context", f.code) from None
        self._open = True

    def __enter__(self) -> PcscContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _context(self) -> Any:
        if not self._open:
            raise RuntimeError("PC/SC context is closed")
        return self._handle

    def readers(self) -> tuple[str, ...]:
        try:
            _, names = _call(scard.SCardListReaders, self._context(), [])
        except _PcscFailure as f:
            if f.code == _code(scard.SCARD_E_NO_READERS_AVAILABLE):
                return ()
            raise _error("list readers", f.code) from None
        return tuple(names)

    def pick_reader(self, wanted: str | None) -> str:
        """The first reader whose name contains `wanted` (case-insensitive); None means the first reader."""
        available = self.readers()
        for name in available:
            if wanted is None or wanted.casefold() in name.casefold():
                return name
        raise NoReaderError(wanted, available)

    def wait_for_card(self, reader: str, timeout: float) -> bytes:
        """The ATR once a responsive card is in `reader` (at once if already there).

        Raises `NoCardError(reader, waited)` on timeout, and also when `cancel()` ends the wait early
        (then `waited` is the time actually waited). A mute card (inserted wrongly) counts as no card.
        """
        start = monotonic()
        found = _wait_state(self._context(), "wait for card", reader, timeout, _has_card, self._cancelled)
        if found is None:
            raise NoCardError(reader, round(monotonic() - start, 1) if self._cancelled.is_set() else timeout)
        return found

    def wait_for_removal(self, reader: str, timeout: float) -> bool:
        """True once `reader` is empty (at once if it already is); False on timeout or `cancel()`."""
        return (
            _wait_state(self._context(), "wait for removal", reader, timeout, _is_empty, self._cancelled)
            is not None
        )

    def cancel(self) -> None:
        """End the current wait (from any thread) and every later wait on this context: they return their
        timeout result (see the waits). Meant for shutdown or an aborted session; use a new context after.
        Best effort, never raises."""
        self._cancelled.set()
        if self._open:
            try:
                _call(scard.SCardCancel, self._handle)
            except _PcscFailure as f:
                _log.debug("SCardCancel failed with 0x%08X", f.code)

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def connect(self, reader: str, *, transmit_timeout: float = 10.0) -> PcscConnection:
        """Connect exclusively (T=0 or T=1): a kiosk owns its reader, so another user is an error."""
        self._context()
        return PcscConnection(reader, transmit_timeout)

    def close(self) -> None:
        """Release the context. Call `cancel()` first if another thread may be blocked in a wait."""
        if self._open:
            self._open = False
            try:
                _call(scard.SCardReleaseContext, self._handle)
            except _PcscFailure as f:
                _log.debug("SCardReleaseContext failed with 0x%08X", f.code)


class PcscConnection:
    """A connected card (`kiosk.card.connection.CardConnection`), made by `PcscContext.connect`.

    SCardTransmit has no timeout, so every call on the card handle runs on one daemon worker thread and
    the caller waits at most `transmit_timeout`. After any transport failure (timeout, removal, reader
    gone) the connection is unusable: later transmits raise at once, and the session starts over.
    """

    def __init__(self, reader: str, transmit_timeout: float) -> None:
        if not transmit_timeout > 0:
            raise ValueError(f"transmit_timeout must be > 0 seconds, got {transmit_timeout}")
        self.reader = reader
        self._timeout = transmit_timeout
        self._context: Any = None  # owned by the worker thread from here on
        self._card: Any = None
        self._pci: int = scard.SCARD_PCI_T1
        self._atr = b""
        self._broken: Callable[[], CardError] | None = None
        self._stuck = False
        self._closed = False
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        # Daemon: a transmit stuck forever in a dead reader must not keep the process alive at exit.
        threading.Thread(target=self._work, name="pcsc-card", daemon=True).start()
        try:
            self._submit("connect", self._open)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> PcscConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def atr(self) -> bytes:
        return self._atr

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            job()

    def _open(self) -> None:
        """Runs on the worker: own context, exclusive connect, ATR."""
        _, self._context = _call(scard.SCardEstablishContext, scard.SCARD_SCOPE_USER)
        try:
            _, self._card, protocol = _call(
                scard.SCardConnect,
                self._context,
                self.reader,
                scard.SCARD_SHARE_EXCLUSIVE,
                scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
            )
        except _PcscFailure as f:
            if f.code == _code(scard.SCARD_E_SHARING_VIOLATION):
                raise ReaderUnavailableError(f"{self.reader!r} is in use by another application") from None
            raise
        self._pci = scard.SCARD_PCI_T0 if protocol == scard.SCARD_PROTOCOL_T0 else scard.SCARD_PCI_T1
        self._atr = bytes(_call(scard.SCardStatus, self._card)[4])

    def _usable(self) -> None:
        if self._closed:
            raise RuntimeError("card connection is closed")
        if self._broken is not None:
            raise self._broken()

    def _submit(self, operation: str, fn: Callable[[], _T]) -> _T:
        """Run `fn` on the worker and wait at most the transmit timeout; map failures to kiosk errors."""
        self._usable()
        future: Future[_T] = Future()

        def job() -> None:
            try:
                future.set_result(fn())
            except BaseException as exc:
                future.set_exception(exc)

        self._jobs.put(job)
        try:
            return future.result(timeout=self._timeout)
        except TimeoutError:
            timeout = self._timeout
            self._broken = lambda: CardTimeoutError(timeout)
            self._stuck = True  # the worker is busy until the card or reader answers: close() must not wait
            raise CardTimeoutError(timeout) from None
        except _PcscFailure as f:
            code = f.code
            self._broken = lambda: _error(operation, code, self.reader)
            raise self._broken() from None
        except CardError as e:
            error = e  # `e` is unbound after the except block; the closure keeps `error`
            self._broken = lambda: error
            raise

    def transmit(self, apdu: bytes | bytearray) -> tuple[bytes, int]:
        """Send one short C-APDU; 61xx and 6Cxx are resolved (`resolve_response`).

        A bytearray (VERIFY with a PIN) is passed down uncopied; pyscard needs a list of ints, whose
        elements are the interpreter's shared small ints, so no second copy of the PIN bytes is made here.
        """
        return resolve_response(self._exchange, apdu)

    def _exchange(self, apdu: bytes | bytearray) -> tuple[bytes, int]:
        self._usable()  # outside the try: a recorded failure must not be classified again
        _traffic.debug("> INS %02X, %d bytes", apdu[1] if len(apdu) > 1 else 0, len(apdu))
        try:
            _, response = self._submit(
                "transmit", lambda: _call(scard.SCardTransmit, self._card, self._pci, list(apdu))
            )
        except CardCommunicationError as e:
            if e.pcsc_code != _code(scard.SCARD_E_NOT_TRANSACTED):
                raise
            code = e.pcsc_code
            raise self._lost(lambda: CardCommunicationError("transmit", code)) from None
        if len(response) < 2:
            count = len(response)
            raise self._lost(
                lambda: MalformedResponseError("response APDU", f"{count} bytes, no status word")
            )
        data, sw = bytes(response[:-2]), response[-2] << 8 | response[-1]
        _traffic.debug("< %d bytes, SW %04X", len(data), sw)
        return data, sw

    def _lost(self, otherwise: Callable[[], CardError]) -> CardError:
        """The reader failed the exchange without saying why (SCARD_E_NOT_TRANSACTED, or vpcd 0.8's "success,
        0 bytes"): usually the card was pulled mid-command, which pcscd only reports at its next poll. Wait
        briefly for that, so the kiosk says "card removed" rather than "communication error"."""
        try:  # the worker is idle now, so the connection's own context is free to use from here
            left = _wait_state(
                self._context, "transmit", self.reader, _PULL_GRACE_S, _is_empty, threading.Event()
            )
        except CardError:
            left = None
        self._broken = (
            otherwise if left is None else (lambda: CardRemovedError("card removed during transmit"))
        )
        return self._broken()

    def close(self) -> None:
        """Disconnect with SCARD_RESET_CARD, so a verified PIN never outlives this session.

        Waits for the disconnect up to the transmit timeout, or not at all if a transmit is stuck: then
        the worker disconnects whenever that transmit returns. Never raises; idempotent.
        """
        if self._closed:
            return
        self._closed = True
        done = threading.Event()

        def shutdown() -> None:
            for fn, args in (
                (scard.SCardDisconnect, (self._card, scard.SCARD_RESET_CARD)),
                (scard.SCardReleaseContext, (self._context,)),
            ):
                if args[0] is not None:
                    try:
                        _call(fn, *args)
                    except _PcscFailure as f:  # a card already pulled answers "removed": nothing to do
                        _log.debug("%s failed with 0x%08X", fn.__name__, f.code)
            done.set()

        self._jobs.put(shutdown)
        self._jobs.put(None)
        done.wait(0 if self._stuck else self._timeout)


class PcscCardReader:
    """The `kiosk.card.reader.CardReader` port over PC/SC, for the orchestrator's worker threads.

    Every call makes its own short-lived `PcscContext`: a context does not survive a pcscd restart, its
    `cancel()` is final, and two threads must not share one; establishing one is a local socket round
    trip. The reader is picked again each time by `wanted` (case-insensitive name text, None for the
    first reader), so an unplugged and replugged reader is found under its new name.
    """

    def __init__(self, wanted: str | None = None, *, transmit_timeout: float = 10.0) -> None:
        if not transmit_timeout > 0:
            raise ValueError(f"transmit_timeout must be > 0 seconds, got {transmit_timeout}")
        self._wanted = wanted
        self._transmit_timeout = transmit_timeout
        self._name: str | None = None

    @property
    def name(self) -> str:
        """The PC/SC name of the reader last picked; before the first pick, the name text asked for."""
        if self._name is not None:
            return self._name
        return self._wanted if self._wanted is not None else "first PC/SC reader"

    def _pick(self, context: PcscContext) -> str:
        self._name = context.pick_reader(self._wanted)
        return self._name

    def wait_for_card(self, timeout: float, cancelled: threading.Event) -> bool:
        with PcscContext() as context:
            reader = self._pick(context)
            with _cancel_when_set(cancelled, context):
                try:
                    context.wait_for_card(reader, timeout)
                except NoCardError:
                    return False
                return True

    def wait_for_removal(self, timeout: float, cancelled: threading.Event) -> bool:
        with PcscContext() as context:
            reader = self._pick(context)
            with _cancel_when_set(cancelled, context):
                return context.wait_for_removal(reader, timeout)

    def card_present(self) -> bool:
        with PcscContext() as context:
            try:
                context.wait_for_card(self._pick(context), 0.0)
            except NoCardError:
                return False
            return True

    def connect(self) -> PcscConnection:
        """Connect exclusively to the card; `NoCardError` when the reader is empty."""
        with PcscContext() as context:
            reader = self._pick(context)
            context.wait_for_card(reader, 0.0)  # "no card" rather than "card removed during connect"
            # The connection owns its own SCARDCONTEXT, so it outlives this one.
            return context.connect(reader, transmit_timeout=self._transmit_timeout)


@contextmanager
def _cancel_when_set(cancelled: threading.Event, context: PcscContext) -> Iterator[None]:
    """Turn the caller's Event into `context.cancel()` while the body runs, so a wait ends promptly."""
    finished = threading.Event()

    def watch() -> None:
        # Sleeps on `finished`, so the end of the body wakes it at once; a cancel is seen within a slice.
        while not finished.wait(_CANCEL_POLL_S):
            if cancelled.is_set():
                context.cancel()
                return

    if cancelled.is_set():  # already cancelled: the wait returns at once, no watcher needed
        context.cancel()
        yield
        return
    watcher = threading.Thread(target=watch, name="pcsc-cancel", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        finished.set()
        watcher.join()  # before the context closes: cancel() must not race close()
