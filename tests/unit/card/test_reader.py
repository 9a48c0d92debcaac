"""`kiosk.card.reader.VirtualCardReader`: waits woken and cancelled from other threads, and pulled cards.

Threads are sequenced with Events; `WAIT` only bounds a join so that a bug fails instead of hanging, and
the waits under test get long timeouts so that only the event under test can end them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.card.jpki import JpkiSession
from kiosk.card.operations import authenticate, read_status
from kiosk.card.profile import CardProfile, load_profile
from kiosk.card.reader import CardReader, VirtualCardReader
from kiosk.card.virtual import SoftwareJpkiCard
from kiosk.errors import CardRemovedError, NoCardError

WAIT = 10.0
LONG = 60.0  # a wait that only the event under test may end
SELECT_JPKI = bytes.fromhex("00A4040C0AD392F000260100000001")


@pytest.fixture(scope="module")
def profile(profile_factory: Callable[..., Path]) -> CardProfile:
    return load_profile(profile_factory())


@pytest.fixture
def card(profile: CardProfile) -> SoftwareJpkiCard:
    return SoftwareJpkiCard(profile)


@pytest.fixture
def reader() -> VirtualCardReader:
    return VirtualCardReader("Test reader 00")


class Waiter:
    """One reader wait on its own thread, as the orchestrator's worker runs it."""

    def __init__(self, wait: Callable[[float, threading.Event], bool], timeout: float = LONG) -> None:
        self.cancelled = threading.Event()
        self.result: bool | None = None
        self._thread = threading.Thread(target=self._run, args=(wait, timeout), daemon=True)
        self._thread.start()

    def _run(self, wait: Callable[[float, threading.Event], bool], timeout: float) -> None:
        self.result = wait(timeout, self.cancelled)

    def outcome(self) -> bool | None:
        self._thread.join(WAIT)
        assert not self._thread.is_alive(), "the wait did not end"
        return self.result


def test_the_virtual_reader_is_a_card_reader() -> None:
    port: CardReader = VirtualCardReader()  # mypy checks the protocol
    assert port.name == "Virtual JPKI reader"


def test_the_pcsc_reader_is_a_card_reader() -> None:
    pcsc = pytest.importorskip("kiosk.card.pcsc")
    port: CardReader = pcsc.PcscCardReader("PaSoRi", transmit_timeout=5.0)  # no PC/SC call until used
    assert port.name == "PaSoRi"
    with pytest.raises(ValueError):
        pcsc.PcscCardReader(transmit_timeout=0)


# ------------------------------------------------------------------------------------------- presence


def test_an_empty_reader(reader: VirtualCardReader) -> None:
    never = threading.Event()
    assert not reader.card_present()
    assert reader.card is None
    assert reader.wait_for_card(0.0, never) is False
    assert reader.wait_for_removal(0.0, never) is True
    with pytest.raises(NoCardError) as caught:
        reader.connect()
    assert (caught.value.reader, caught.value.waited) == ("Test reader 00", 0.0)


def test_a_card_already_there_is_seen_at_once(reader: VirtualCardReader, card: SoftwareJpkiCard) -> None:
    reader.insert(card)
    never = threading.Event()
    assert reader.card_present()
    assert reader.card is card
    assert reader.wait_for_card(0.0, never) is True
    assert reader.wait_for_removal(0.0, never) is False


def test_insert_from_another_thread_ends_the_wait(reader: VirtualCardReader, card: SoftwareJpkiCard) -> None:
    waiter = Waiter(reader.wait_for_card)
    reader.insert(card)
    assert waiter.outcome() is True


def test_remove_from_another_thread_ends_the_wait(reader: VirtualCardReader, card: SoftwareJpkiCard) -> None:
    reader.insert(card)
    waiter = Waiter(reader.wait_for_removal)
    reader.remove()
    assert waiter.outcome() is True
    assert not reader.card_present()


@pytest.mark.parametrize("which", ["card", "removal"])
def test_cancel_ends_a_wait(reader: VirtualCardReader, card: SoftwareJpkiCard, which: str) -> None:
    if which == "removal":
        reader.insert(card)
    waiter = Waiter(reader.wait_for_card if which == "card" else reader.wait_for_removal)
    waiter.cancelled.set()
    assert waiter.outcome() is False


def test_a_cancel_set_before_the_wait_wins(reader: VirtualCardReader, card: SoftwareJpkiCard) -> None:
    reader.insert(card)
    cancelled = threading.Event()
    cancelled.set()
    assert reader.wait_for_card(LONG, cancelled) is False


def test_timeout_ends_a_wait(reader: VirtualCardReader) -> None:
    assert reader.wait_for_card(0.01, threading.Event()) is False


@pytest.mark.parametrize("timeout", [-1.0, float("nan")])
def test_bad_timeouts(reader: VirtualCardReader, timeout: float) -> None:
    with pytest.raises(ValueError):
        reader.wait_for_card(timeout, threading.Event())
    with pytest.raises(ValueError):
        reader.wait_for_removal(timeout, threading.Event())


def test_remove_on_an_empty_reader_does_nothing(reader: VirtualCardReader) -> None:
    reader.remove()
    assert not reader.card_present()


# ---------------------------------------------------------------------------------------- connections


def test_connect_and_authenticate(
    reader: VirtualCardReader, card: SoftwareJpkiCard, profile: CardProfile
) -> None:
    reader.insert(card)
    connection = reader.connect()
    status = read_status(connection, reader.name)
    assert (status.reader, status.atr, status.auth_pin_tries_left) == ("Test reader 00", profile.atr, 3)
    pin = bytearray(b"1234")
    result = authenticate(connection, b"challenge", pin)
    assert result.certificate == profile.auth_cert_der
    assert pin == bytearray(4)
    connection.close()


def test_removal_kills_every_earlier_connection(reader: VirtualCardReader, card: SoftwareJpkiCard) -> None:
    reader.insert(card)
    first, second = reader.connect(), reader.connect()
    assert second.transmit(SELECT_JPKI) == (b"", 0x9000)
    reader.remove()
    for connection in (first, second):
        with pytest.raises(CardRemovedError):
            connection.transmit(SELECT_JPKI)
    assert not card.powered


def test_a_reinserted_card_starts_a_new_session(reader: VirtualCardReader, card: SoftwareJpkiCard) -> None:
    reader.insert(card)
    old = reader.connect()
    JpkiSession(old).verify_auth_pin(bytearray(b"1234"))
    reader.remove()
    reader.insert(card)
    new = reader.connect()
    assert new.transmit(SELECT_JPKI) == (b"", 0x9000)
    with pytest.raises(CardRemovedError):
        old.transmit(SELECT_JPKI)  # the old connection stays dead even though the same card is back
    assert card.auth_tries_left == 3


def test_inserting_another_card_pulls_the_first(reader: VirtualCardReader, profile: CardProfile) -> None:
    first, second = SoftwareJpkiCard(profile), SoftwareJpkiCard(profile)
    reader.insert(first)
    connection = reader.connect()
    reader.insert(second)
    assert reader.card is second
    with pytest.raises(CardRemovedError):
        connection.transmit(SELECT_JPKI)
    assert reader.connect().transmit(SELECT_JPKI) == (b"", 0x9000)


def test_a_pull_during_exchanges_never_yields_a_half_answer(
    reader: VirtualCardReader, card: SoftwareJpkiCard
) -> None:
    """A thread keeps selecting the applet while the card is pulled: every answer before the pull is
    9000, and the first failure is CardRemovedError."""
    reader.insert(card)
    connection = reader.connect()
    exchanging = threading.Event()
    answers: list[int] = []
    ended: list[BaseException] = []

    def exchange() -> None:
        try:
            while True:
                answers.append(connection.transmit(SELECT_JPKI)[1])
                exchanging.set()
        except BaseException as error:  # handed to the test thread
            ended.append(error)

    thread = threading.Thread(target=exchange, daemon=True)
    thread.start()
    assert exchanging.wait(WAIT)
    reader.remove()
    thread.join(WAIT)
    assert not thread.is_alive()
    assert len(ended) == 1
    assert isinstance(ended[0], CardRemovedError)
    assert answers
    assert set(answers) == {0x9000}


def test_closed_connections_are_not_kept(reader: VirtualCardReader, card: SoftwareJpkiCard) -> None:
    reader.insert(card)
    for _ in range(5):
        reader.connect().close()
    live = reader.connect()
    assert len(reader._connections) == 1  # private: the only way to see the list stays short
    reader.remove()
    with pytest.raises(CardRemovedError):
        live.transmit(SELECT_JPKI)
