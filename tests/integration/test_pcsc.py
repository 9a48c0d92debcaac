"""kiosk.card.pcsc on the real stack: the rig's private pcscd, vpcd readers and the software card."""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Iterator

import pytest

from kiosk.card.apdu import digest_info_sha256
from kiosk.card.pcsc import PcscContext
from kiosk.card.profile import CardProfile
from kiosk.card.virtual import SoftwareJpkiCard
from kiosk.card.vpcd import VpcdLink
from kiosk.errors import (
    CardRemovedError,
    CardTimeoutError,
    NoCardError,
    NoReaderError,
    ReaderUnavailableError,
)
from tests.integration.conftest import AttachedCard
from tests.rig import PcscdRig, RigError, wait_card_state

pytestmark = pytest.mark.integration

SELECT_JPKI = bytes.fromhex("00A4040C0AD392F000260100000001")
SELECT_AUTH_PIN = bytes.fromhex("00A4020C020018")
SELECT_AUTH_KEY = bytes.fromhex("00A4020C020017")
# Insertion and removal are seen at pcscd's next poll (~0.4 s); these bound a wait, they are not measured.
EVENT_TIMEOUT = 5.0

Slot = tuple[str, list[VpcdLink]]


@pytest.fixture
def context(pcscd_rig: PcscdRig) -> Iterator[PcscContext]:
    with PcscContext() as ctx:
        yield ctx


@pytest.fixture
def second_reader_card(pcscd_rig: PcscdRig) -> Iterator[Slot]:
    """Reader 1, for cards the test attaches itself (slow, self-pulling); their links are stopped after."""
    links: list[VpcdLink] = []
    yield pcscd_rig.reader_name(1), links
    for link in links:
        link.stop()
    wait_card_state(pcscd_rig.reader_name(1), present=False, timeout=EVENT_TIMEOUT)


def attach(pcscd_rig: PcscdRig, card: SoftwareJpkiCard, **options: object) -> VpcdLink:
    link = pcscd_rig.attach(card, 1, **options)
    wait_card_state(pcscd_rig.reader_name(1), present=True, timeout=EVENT_TIMEOUT)
    return link


def test_readers_and_pick_reader(pcscd_rig: PcscdRig, context: PcscContext) -> None:
    names = [pcscd_rig.reader_name(i) for i in range(pcscd_rig.readers)]
    assert set(names) <= set(context.readers())
    assert context.pick_reader("pcd 00 01") == names[1]
    assert context.pick_reader("VIRTUAL") == names[0]
    with pytest.raises(NoReaderError) as info:
        context.pick_reader("PaSoRi")
    assert set(names) <= set(info.value.available)


def test_wait_for_card_returns_the_profile_atr(
    software_card: AttachedCard, card_profile: CardProfile, context: PcscContext
) -> None:
    assert context.wait_for_card(software_card.reader, EVENT_TIMEOUT) == card_profile.atr


def test_select_jpki(software_card: AttachedCard, card_profile: CardProfile, context: PcscContext) -> None:
    with context.connect(software_card.reader) as connection:
        assert connection.atr == card_profile.atr
        assert connection.transmit(SELECT_JPKI) == (b"", 0x9000)


def test_removal_and_insertion_are_seen(software_card: AttachedCard, context: PcscContext) -> None:
    reader = software_card.reader
    assert context.wait_for_removal(reader, 0) is False
    software_card.link.remove()
    assert context.wait_for_removal(reader, EVENT_TIMEOUT) is True
    with pytest.raises(NoCardError):
        context.wait_for_card(reader, 0)
    software_card.link.insert()
    assert context.wait_for_card(reader, EVENT_TIMEOUT) == software_card.card.atr


def test_transmit_after_removal_raises_card_removed(
    software_card: AttachedCard, context: PcscContext
) -> None:
    connection = context.connect(software_card.reader)
    try:
        assert connection.transmit(SELECT_JPKI)[1] == 0x9000
        software_card.link.remove()
        assert context.wait_for_removal(software_card.reader, EVENT_TIMEOUT)
        with pytest.raises(CardRemovedError):
            connection.transmit(SELECT_JPKI)
        with pytest.raises(CardRemovedError):
            connection.transmit(SELECT_JPKI)
    finally:
        connection.close()


def test_card_pulled_during_a_command(
    pcscd_rig: PcscdRig, card_profile: CardProfile, context: PcscContext, second_reader_card: Slot
) -> None:
    reader, links = second_reader_card
    links.append(attach(pcscd_rig, SoftwareJpkiCard(card_profile), remove_after_apdus=1))
    with context.connect(reader) as connection:
        assert connection.transmit(SELECT_JPKI) == (b"", 0x9000)
        with pytest.raises(CardRemovedError):  # vpcd may answer "0 bytes" before pcscd sees the removal
            connection.transmit(SELECT_JPKI)


def test_exclusive_connection(software_card: AttachedCard, context: PcscContext) -> None:
    with context.connect(software_card.reader), pytest.raises(ReaderUnavailableError, match="in use"):
        context.connect(software_card.reader)
    # close() waited for the disconnect, so the reader is free again at once.
    with context.connect(software_card.reader) as connection:
        assert connection.transmit(SELECT_JPKI)[1] == 0x9000


def test_close_resets_the_card_so_a_verified_pin_is_gone(
    software_card: AttachedCard, card_profile: CardProfile, context: PcscContext
) -> None:
    pin = bytearray(card_profile.pin.encode())
    verify = bytearray.fromhex("00200080") + bytearray((len(pin),)) + pin
    sign = bytes.fromhex("802A008033") + digest_info_sha256(b"challenge") + b"\x00"
    with context.connect(software_card.reader) as connection:
        for apdu in (SELECT_JPKI, SELECT_AUTH_PIN, verify, SELECT_AUTH_KEY):
            assert connection.transmit(apdu) == (b"", 0x9000)
        assert connection.transmit(sign)[1] == 0x9000  # verified: the key signs
    with context.connect(software_card.reader) as connection:
        # Without the reset the card would still have the key EF selected and the PIN verified.
        assert connection.transmit(SELECT_AUTH_KEY)[1] == 0x6A82
        for apdu in (SELECT_JPKI, SELECT_AUTH_KEY):
            assert connection.transmit(apdu) == (b"", 0x9000)
        assert connection.transmit(sign) == (b"", 0x6982)


def test_cancel_ends_a_wait_from_another_thread(pcscd_rig: PcscdRig, context: PcscContext) -> None:
    outcome: list[BaseException] = []

    def waiter() -> None:
        try:
            context.wait_for_card(pcscd_rig.reader_name(1), 60)
        except NoCardError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=waiter)
    thread.start()
    context.cancel()
    thread.join(EVENT_TIMEOUT)
    assert not thread.is_alive()
    assert isinstance(outcome[0], NoCardError)


def test_slow_card_times_out_without_blocking_the_context(
    pcscd_rig: PcscdRig, card_profile: CardProfile, context: PcscContext, second_reader_card: Slot
) -> None:
    reader, links = second_reader_card
    slow = SoftwareJpkiCard(dataclasses.replace(card_profile, apdu_delay_ms=1500.0))
    links.append(attach(pcscd_rig, slow))
    connection = context.connect(reader, transmit_timeout=0.2)
    with pytest.raises(CardTimeoutError):
        connection.transmit(SELECT_JPKI)
    with pytest.raises(CardTimeoutError):  # at once: the worker is still busy with the first command
        connection.transmit(SELECT_JPKI)
    connection.close()  # does not wait for the stuck command
    # The connection has its own PC/SC context, so the kiosk's presence waits still answer meanwhile.
    assert context.wait_for_removal(reader, 0) is False


def test_pcscd_stopped_is_reader_unavailable(
    pcscd_rig: PcscdRig, card_profile: CardProfile, second_reader_card: Slot
) -> None:
    reader, links = second_reader_card

    def socket_factory() -> socket.socket:
        # While pcscd is down the link keeps reconnecting; the rig then raises RigError, which the link's
        # thread treats as a crash rather than as a failed connection attempt (OSError).
        try:
            return pcscd_rig.socket_in_netns()
        except RigError as exc:
            raise ConnectionRefusedError(str(exc)) from exc

    links.append(
        VpcdLink(
            SoftwareJpkiCard(card_profile), pcscd_rig.ports[1], listen=False, socket_factory=socket_factory
        )
    )
    links[0].start()
    wait_card_state(reader, present=True, timeout=EVENT_TIMEOUT)
    context = PcscContext()
    connection = context.connect(reader)
    assert connection.transmit(SELECT_JPKI)[1] == 0x9000
    # The rig is per session and libpcsclite fixes its socket path per process, so this test stops the
    # session's pcscd and starts it again for the tests after it.
    pcscd_rig.stop()
    try:
        with pytest.raises(ReaderUnavailableError):
            connection.transmit(SELECT_JPKI)
        with pytest.raises(ReaderUnavailableError):
            context.readers()
        with pytest.raises(ReaderUnavailableError):
            context.wait_for_removal(reader, 1)
        with pytest.raises(ReaderUnavailableError):
            PcscContext()
        connection.close()
        context.close()
    finally:
        for link in links:
            link.stop()
        links.clear()
        pcscd_rig.start()
    with PcscContext() as fresh:  # a new context works against the restarted service
        assert reader in fresh.readers()
