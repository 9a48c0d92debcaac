"""kiosk.card.pcsc.PcscCardReader (the orchestrator's reader port) on the rig's private pcscd and vpcd."""

from __future__ import annotations

import threading

import pytest

from kiosk.card.operations import read_status
from kiosk.card.pcsc import PcscCardReader, PcscContext
from kiosk.card.profile import CardProfile
from kiosk.card.reader import CardReader
from kiosk.errors import NoCardError, NoReaderError
from tests.integration.conftest import AttachedCard
from tests.rig import PcscdRig

pytestmark = pytest.mark.integration

# Insertion and removal are seen at pcscd's next poll (~0.4 s); these bound a wait, they are not measured.
EVENT_TIMEOUT = 5.0
LONG = 60.0  # a wait that only the event under test may end


def test_card_presence_removal_and_connect(software_card: AttachedCard, card_profile: CardProfile) -> None:
    reader: CardReader = PcscCardReader("pcd 00 00", transmit_timeout=5.0)
    never = threading.Event()
    assert reader.wait_for_card(EVENT_TIMEOUT, never) is True
    assert reader.name == software_card.reader
    assert reader.card_present() is True
    connection = reader.connect()
    try:
        status = read_status(connection, reader.name)
        assert (status.atr, status.auth_pin_tries_left) == (card_profile.atr, 3)
    finally:
        connection.close()

    assert reader.wait_for_removal(0.0, never) is False
    software_card.link.remove()
    assert reader.wait_for_removal(EVENT_TIMEOUT, never) is True
    assert reader.card_present() is False
    with pytest.raises(NoCardError):
        reader.connect()
    software_card.link.insert()
    assert reader.wait_for_card(EVENT_TIMEOUT, never) is True


def test_cancel_from_another_thread_ends_the_wait(
    pcscd_rig: PcscdRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cancel arrives while the context is inside its wait, so it has to go through SCardCancel."""
    entered = threading.Event()
    wait_for_card = PcscContext.wait_for_card

    def entering(context: PcscContext, reader: str, timeout: float) -> bytes:
        entered.set()
        return wait_for_card(context, reader, timeout)

    monkeypatch.setattr(PcscContext, "wait_for_card", entering)
    reader = PcscCardReader(pcscd_rig.reader_name(1))  # reader 1 stays empty
    cancelled = threading.Event()
    result: list[bool] = []
    thread = threading.Thread(target=lambda: result.append(reader.wait_for_card(LONG, cancelled)))
    thread.start()
    assert entered.wait(EVENT_TIMEOUT)
    cancelled.set()
    thread.join(EVENT_TIMEOUT)
    assert not thread.is_alive()
    assert result == [False]
    # The next wait gets a new context: the cancel does not stick to the reader.
    assert reader.wait_for_removal(0.0, threading.Event()) is True


def test_timeout_and_missing_reader(pcscd_rig: PcscdRig) -> None:
    assert PcscCardReader(pcscd_rig.reader_name(1)).wait_for_card(0.0, threading.Event()) is False
    with pytest.raises(NoReaderError):
        PcscCardReader("PaSoRi").wait_for_card(0.0, threading.Event())
