"""Attach a software card to vpcd (vsmartcard's PC/SC reader driver), so pcscd and any PC/SC client see it.

Wire protocol (vpcd.c): frames both ways are a 2-byte big-endian length and a payload. A 1-byte payload
from vpcd is control (00 power off, 01 power on, 02 reset, 04 get ATR → the card answers one ATR frame);
longer payloads are C-APDUs and get one R-APDU frame back. Closing the connection is pulling the card.

Two modes:

- ``listen=False``: the card is a TCP client of vpcd (vpcd listens; Debian's reader.conf.d/vpcd). It
  retries the connection until stopped, so start order does not matter. The socket can come from
  `socket_factory`, which is how the test rig reaches a vpcd running in a private network namespace.
- ``listen=True`` ("reversed"): the card listens on 127.0.0.1 and vpcd connects (reader.conf
  ``DEVICENAME host:port``). Beware: vpcd 0.8 (Debian 12) aborts pcscd ("bit out of range 0 - FD_SETSIZE
  on fd_set") as soon as a reversed-mode connection drops or its first connect fails (0.8's vicc_connect
  calls waitforclient(-1)), so with 0.8 this mode cannot model card removal; the test rig uses a network
  namespace instead. It is kept for newer vpcd.

The 40 ms trap: vpcd 0.8 writes the length and the APDU with two send() calls without TCP_NODELAY, so
Nagle holds the APDU until the card ACKs the length, and Linux delays that ACK ~40 ms. TCP_QUICKACK is not
sticky, so it is set again before every recv; replies go out in one sendall.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Protocol

__all__ = ["VPCD_DEFAULT_PORT", "VirtualCard", "VpcdLink"]

#: Debian's /etc/reader.conf.d/vpcd (0x8C7B); vpcd binds it on 0.0.0.0, so only dev machines have it.
VPCD_DEFAULT_PORT = 35963

_CTRL_OFF, _CTRL_ON, _CTRL_RESET, _CTRL_ATR = 0, 1, 2, 4
_ACCEPT_POLL = 0.1


class VirtualCard(Protocol):
    """What the link drives; `kiosk.card.virtual.SoftwareJpkiCard` is the one implementation."""

    @property
    def atr(self) -> bytes: ...

    def process(self, apdu: bytes | bytearray) -> bytes: ...

    def power_on(self) -> None: ...

    def power_off(self) -> None: ...

    def reset(self) -> None: ...


class _Dropped(Exception):
    """The connection ended (peer closed, card pulled, or a protocol error that was recorded)."""


class VpcdLink:
    """Runs the vpcd protocol for one card in a daemon thread; `insert`/`remove` put it in and pull it out."""

    def __init__(
        self,
        card: VirtualCard,
        port: int,
        *,
        listen: bool,
        host: str = "127.0.0.1",
        remove_after_apdus: int | None = None,
        quickack: bool = True,
        socket_factory: Callable[[], socket.socket] | None = None,
        retry_interval: float = 0.05,
    ) -> None:
        if listen and socket_factory is not None:
            raise ValueError("socket_factory is for the client mode only")
        self._card = card
        self._port = port
        self._host = host
        self._listen = listen
        self._remove_after = remove_after_apdus
        self._quickack = quickack
        self._factory = socket_factory or (lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM))
        self._retry = retry_interval
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = False
        self._inserted = False
        self._server: socket.socket | None = None
        self._conn: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._errors: list[str] = []
        self._connected = threading.Event()
        self.apdu_count = 0

    # ------------------------------------------------------------------ control (any thread)

    @property
    def errors(self) -> tuple[str, ...]:
        """Protocol and internal errors seen by the thread (no APDU data), for tests to assert on."""
        with self._lock:
            return tuple(self._errors)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def start(self, *, inserted: bool = True) -> VpcdLink:
        """Start the thread (idempotent, so `with VpcdLink(...) as link: link.start()` is harmless)."""
        if self._thread is not None:
            return self
        if inserted:
            self.insert()
        self._thread = threading.Thread(target=self._run, name=f"vpcd-card-{self._port}", daemon=True)
        self._thread.start()
        return self

    def insert(self) -> None:
        """Put the card in the reader. In listen mode this binds now, so a busy port raises here."""
        with self._lock:
            if self._inserted or self._stopped:
                return
            if self._listen:
                server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    server.bind((self._host, self._port))
                    server.listen(1)
                except OSError:
                    server.close()
                    raise
                server.settimeout(_ACCEPT_POLL)
                self._server = server
            self._inserted = True
            self.apdu_count = 0
        self._wake.set()

    def remove(self) -> None:
        """Pull the card: drop the connection and, in listen mode, stop listening so vpcd cannot reconnect."""
        with self._lock:
            self._inserted = False
            conn, self._conn = self._conn, None
            server, self._server = self._server, None
        self._connected.clear()
        self._card.power_off()
        for sock in (conn, server):
            if sock is not None:
                _shutdown_close(sock)

    def stop(self, timeout: float = 5.0) -> None:
        with self._lock:
            self._stopped = True
        self.remove()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                self._record("link thread did not stop in time")

    def __enter__(self) -> VpcdLink:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ the thread

    def _record(self, message: str) -> None:
        with self._lock:
            self._errors.append(message)

    def _run(self) -> None:
        while True:
            with self._lock:
                if self._stopped:
                    return
                inserted = self._inserted
            if not inserted:
                self._wake.wait()
                self._wake.clear()
                continue
            try:
                conn = self._accept() if self._listen else self._connect()
            except OSError as exc:
                self._record(f"connection setup failed: {exc!r}")
                self.remove()
                continue
            if conn is None:
                continue
            try:
                self._serve(conn)
            except _Dropped:
                pass
            except OSError:
                pass  # remove() shut the socket down under our feet, or vpcd went away
            except Exception as exc:  # a dead thread would look like a card that never answers
                self._record(f"card link crashed: {exc!r}")
            finally:
                with self._lock:
                    if self._conn is conn:
                        self._conn = None
                self._connected.clear()
                conn.close()

    def _adopt(self, conn: socket.socket) -> socket.socket | None:
        """Make `conn` the live connection unless the card was pulled meanwhile."""
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            if not self._inserted or self._stopped:
                conn.close()
                return None
            self._conn = conn
        self._connected.set()
        return conn

    def _accept(self) -> socket.socket | None:
        with self._lock:
            server = self._server
        if server is None:
            return None
        try:
            conn, _ = server.accept()
        except TimeoutError:
            return None
        except OSError:
            with self._lock:
                if self._server is not server:  # closed by remove(): not an error
                    return None
            raise
        conn.settimeout(None)
        return self._adopt(conn)

    def _connect(self) -> socket.socket | None:
        sock = self._factory()
        try:
            sock.connect((self._host, self._port))
        except (ConnectionRefusedError, ConnectionResetError, TimeoutError):
            sock.close()
            self._wake.wait(self._retry)  # a remove()/stop() wakes us early
            self._wake.clear()
            return None
        except OSError:
            sock.close()
            raise
        return self._adopt(sock)

    def _recv_exact(self, conn: socket.socket, size: int, *, mid_frame: bool) -> bytes:
        buf = bytearray()
        while len(buf) < size:
            if self._quickack:
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = conn.recv(size - len(buf))
            if not chunk:
                if mid_frame or buf:
                    self._record("vpcd closed the connection in the middle of a frame")
                raise _Dropped
            buf += chunk
        return bytes(buf)

    def _serve(self, conn: socket.socket) -> None:
        while True:
            (length,) = struct.unpack(">H", self._recv_exact(conn, 2, mid_frame=False))
            if length == 0:
                self._record("vpcd sent a zero-length frame; dropping the connection")
                raise _Dropped
            payload = self._recv_exact(conn, length, mid_frame=True)
            if length == 1:
                self._control(conn, payload[0])
                continue
            response = self._card.process(payload)
            # Counted before the answer goes out, so whoever reads the answer sees a count that includes it.
            self.apdu_count += 1
            conn.sendall(struct.pack(">H", len(response)) + response)
            if self._remove_after is not None and self.apdu_count >= self._remove_after:
                self.remove()
                raise _Dropped

    def _control(self, conn: socket.socket, code: int) -> None:
        if code == _CTRL_ATR:
            atr = self._card.atr
            conn.sendall(struct.pack(">H", len(atr)) + atr)
        elif code == _CTRL_ON:
            self._card.power_on()
        elif code == _CTRL_OFF:
            self._card.power_off()
        elif code == _CTRL_RESET:
            self._card.reset()
        else:
            self._record(f"unknown vpcd control byte {code:02X}; ignored")


def _shutdown_close(sock: socket.socket) -> None:
    """shutdown() first: it wakes a recv()/accept() blocked in the link thread; close() alone does not."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
