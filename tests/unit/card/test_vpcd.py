"""VpcdLink's framing against a scripted vpcd on 127.0.0.1 (no pcscd needed)."""

from __future__ import annotations

import socket
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.card.profile import CardProfile, load_profile
from kiosk.card.virtual import SoftwareJpkiCard
from kiosk.card.vpcd import VpcdLink

SELECT_JPKI = bytes.fromhex("00A4040C0AD392F000260100000001")


@pytest.fixture(scope="module")
def profile(profile_factory: Callable[..., Path]) -> CardProfile:
    return load_profile(profile_factory())


class FakeVpcd:
    """The vpcd side of one connection, sending length and payload separately as vpcd 0.8 does."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        conn.settimeout(5)

    def send(self, payload: bytes) -> None:
        self.conn.sendall(struct.pack(">H", len(payload)))
        self.conn.sendall(payload)

    def recv(self) -> bytes:
        (length,) = struct.unpack(">H", self._exact(2))
        return self._exact(length)

    def _exact(self, size: int) -> bytes:
        buf = b""
        while len(buf) < size:
            chunk = self.conn.recv(size - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return buf

    def exchange(self, payload: bytes) -> bytes:
        self.send(payload)
        return self.recv()


@pytest.fixture
def vpcd_server() -> Iterator[socket.socket]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(5)
    yield server
    server.close()


def test_client_mode_frames(profile: CardProfile, vpcd_server: socket.socket) -> None:
    card = SoftwareJpkiCard(profile)
    with VpcdLink(card, vpcd_server.getsockname()[1], listen=False) as link:
        vpcd = FakeVpcd(vpcd_server.accept()[0])
        assert vpcd.exchange(b"\x04") == profile.atr
        vpcd.send(b"\x01")  # power on: no answer
        assert vpcd.exchange(SELECT_JPKI) == b"\x90\x00"
        assert vpcd.exchange(bytes.fromhex("00A4020C020018")) == b"\x90\x00"
        assert vpcd.exchange(bytes.fromhex("00200080")) == b"\x63\xc3"
        assert link.apdu_count == 3
        vpcd.send(b"\x02")  # reset clears the selection
        assert vpcd.exchange(bytes.fromhex("00200080")) == b"\x69\x86"
        assert link.errors == ()


def test_zero_length_frame_drops_and_reconnects(profile: CardProfile, vpcd_server: socket.socket) -> None:
    with VpcdLink(SoftwareJpkiCard(profile), vpcd_server.getsockname()[1], listen=False) as link:
        first = FakeVpcd(vpcd_server.accept()[0])
        first.conn.sendall(b"\x00\x00")
        with pytest.raises(EOFError):
            first.recv()
        second = FakeVpcd(vpcd_server.accept()[0])  # the card comes back, like a reinsertion
        assert second.exchange(b"\x04") == profile.atr
        assert link.errors == ("vpcd sent a zero-length frame; dropping the connection",)


def test_remove_after_apdus_pulls_the_card(profile: CardProfile, vpcd_server: socket.socket) -> None:
    port = vpcd_server.getsockname()[1]
    with VpcdLink(SoftwareJpkiCard(profile), port, listen=False, remove_after_apdus=1) as link:
        vpcd = FakeVpcd(vpcd_server.accept()[0])
        assert vpcd.exchange(SELECT_JPKI) == b"\x90\x00"
        with pytest.raises((EOFError, ConnectionResetError, BrokenPipeError)):
            vpcd.exchange(SELECT_JPKI)
        vpcd_server.settimeout(0.3)
        with pytest.raises(TimeoutError):
            vpcd_server.accept()  # removed: no reconnection until insert()
        link.insert()
        vpcd_server.settimeout(5)
        assert FakeVpcd(vpcd_server.accept()[0]).exchange(b"\x04") == profile.atr


def test_listen_mode_remove_closes_the_port(profile: CardProfile) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with VpcdLink(SoftwareJpkiCard(profile), port, listen=True) as link:
        vpcd = FakeVpcd(socket.create_connection(("127.0.0.1", port), timeout=5))
        assert vpcd.exchange(b"\x04") == profile.atr
        link.remove()
        with pytest.raises((EOFError, ConnectionResetError, BrokenPipeError)):
            vpcd.exchange(b"\x04")
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=5)
        link.insert()
        again = FakeVpcd(socket.create_connection(("127.0.0.1", port), timeout=5))
        assert again.exchange(SELECT_JPKI) == b"\x90\x00"
        assert link.errors == ()
