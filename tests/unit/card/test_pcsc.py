"""kiosk.card.pcsc against a scripted stand-in for pyscard's `smartcard.scard` module.

The fake keeps the real module's constants and replaces the functions pcsc.py calls, so every test
asserts the exact arguments (APDU bytes, share mode, disposition) and return-code handling.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

real_scard = pytest.importorskip("smartcard.scard")

from smartcard.Exceptions import SmartcardException  # noqa: E402
from smartcard.pcsc.PCSCExceptions import BaseSCardException  # noqa: E402

from kiosk.card import pcsc  # noqa: E402
from kiosk.errors import (  # noqa: E402
    CardCommunicationError,
    CardRemovedError,
    CardTimeoutError,
    MalformedResponseError,
    NoCardError,
    NoReaderError,
    ReaderUnavailableError,
)

S = real_scard
OK = S.SCARD_S_SUCCESS
PRESENT = S.SCARD_STATE_PRESENT | S.SCARD_STATE_CHANGED
EMPTY = S.SCARD_STATE_EMPTY | S.SCARD_STATE_CHANGED
ATR = bytes.fromhex("3BE000FF8131FE4514")
READERS = ["SONY FeliCa Port/PaSoRi 4.0 (0123456) 00 00", "Virtual PCD 00 00", "Virtual PCD 00 01"]
SELECT_JPKI = bytes.fromhex("00A4040C0AD392F000260100000001")


Change = tuple[int, int, bytes] | Callable[[], tuple[int, int, bytes]]  # (rc, event state, ATR)
Response = tuple[int, bytes] | Callable[[], tuple[int, bytes]]  # (rc, R-APDU)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeScard:
    """`smartcard.scard` with scripted functions; other attributes (constants, `error`) are the real ones."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.establish_rc = OK
        self.contexts: list[int] = []
        self.released: list[int] = []
        self.list_result: tuple[int, list[str]] = (OK, list(READERS))
        # Each GetStatusChange call pops one (rc, event state, atr); a callable is called instead.
        self.changes: list[Change] = []
        self.wait_calls: list[tuple[int, int, list[tuple[str, int]]]] = []
        self.cancels: list[int] = []
        self.connect_rc = OK
        self.connects: list[tuple[int, str, int, int]] = []
        self.protocol = S.SCARD_PROTOCOL_T1
        self.responses: list[Response] = []
        self.sent: list[tuple[int, bytes]] = []
        self.disconnects: list[tuple[int, int]] = []
        self.disconnect_rc = OK
        self.disconnected = threading.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(real_scard, name)

    def SCardEstablishContext(self, scope: int) -> list[int]:
        handle = 0x100 + len(self.contexts)
        self.contexts.append(handle)
        return [self.establish_rc, handle]

    def SCardReleaseContext(self, context: int) -> int:
        self.released.append(context)
        return int(OK)

    def SCardListReaders(self, context: int, groups: list[str]) -> list[Any]:
        return list(self.list_result)

    def SCardGetStatusChange(self, context: int, timeout_ms: int, states: list[tuple[str, int]]) -> list[Any]:
        self.wait_calls.append((context, timeout_ms, list(states)))
        assert self.changes, "unexpected SCardGetStatusChange"
        step = self.changes.pop(0)
        rc, event, atr = step() if callable(step) else step
        if rc == S.SCARD_E_TIMEOUT:
            self.clock.now += timeout_ms / 1000
        return [rc, [(states[0][0], event, list(atr))]]

    def SCardCancel(self, context: int) -> int:
        self.cancels.append(context)
        return int(OK)

    def SCardConnect(self, context: int, reader: str, share: int, protocols: int) -> list[int]:
        self.connects.append((context, reader, share, protocols))
        return [self.connect_rc, 0xCA4D, self.protocol]

    def SCardStatus(self, card: int) -> list[Any]:
        return [OK, "Virtual PCD 00 00", S.SCARD_STATE_PRESENT, self.protocol, list(ATR)]

    def SCardTransmit(self, card: int, pci: int, apdu: list[int]) -> list[Any]:
        assert isinstance(apdu, list)  # pyscard's typemap insists on a list of ints
        self.sent.append((pci, bytes(apdu)))
        assert self.responses, f"unexpected APDU {bytes(apdu).hex().upper()}"
        step = self.responses.pop(0)
        rc, response = step() if callable(step) else step
        return [rc, list(response)]

    def SCardDisconnect(self, card: int, disposition: int) -> int:
        self.disconnects.append((card, disposition))
        self.disconnected.set()
        return int(self.disconnect_rc)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeScard:
    clock = FakeClock()
    fake = FakeScard(clock)
    monkeypatch.setattr(pcsc, "scard", fake)
    monkeypatch.setattr(pcsc, "monotonic", clock)
    return fake


@pytest.fixture
def ctx(fake: FakeScard) -> Iterator[pcsc.PcscContext]:
    with pcsc.PcscContext() as context:
        yield context


def answers(*responses: str) -> list[Response]:
    return [(OK, bytes.fromhex(r)) for r in responses]


# --- context and readers ------------------------------------------------------------------------------


def test_context_is_released_once(fake: FakeScard) -> None:
    context = pcsc.PcscContext()
    context.close()
    context.close()
    assert fake.released == [0x100]
    with pytest.raises(RuntimeError):
        context.readers()


@pytest.mark.parametrize("code", [S.SCARD_E_NO_SERVICE, S.SCARD_E_SERVICE_STOPPED])
def test_no_pcsc_service_is_reader_unavailable(fake: FakeScard, code: int) -> None:
    fake.establish_rc = code
    with pytest.raises(ReaderUnavailableError, match="PC/SC service"):
        pcsc.PcscContext()


def test_pyscard_exceptions_are_normalised(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    def raises(*_: object) -> None:
        raise BaseSCardException(hresult=S.SCARD_E_NO_SERVICE)

    fake.SCardListReaders = raises  # type: ignore[method-assign,assignment]
    with pytest.raises(ReaderUnavailableError):
        ctx.readers()

    def raises_other(*_: object) -> None:
        raise SmartcardException("boom")

    fake.SCardListReaders = raises_other  # type: ignore[method-assign,assignment]
    with pytest.raises(CardCommunicationError) as info:
        ctx.readers()
    assert info.value.operation == "list readers"
    assert info.value.pcsc_code == S.SCARD_F_UNKNOWN_ERROR


def test_readers(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    assert ctx.readers() == tuple(READERS)
    fake.list_result = (S.SCARD_E_NO_READERS_AVAILABLE, [])
    assert ctx.readers() == ()
    fake.list_result = (S.SCARD_E_NO_SERVICE, [])
    with pytest.raises(ReaderUnavailableError):
        ctx.readers()
    fake.list_result = (S.SCARD_E_INVALID_HANDLE, [])
    with pytest.raises(CardCommunicationError) as info:
        ctx.readers()
    assert info.value.pcsc_code == S.SCARD_E_INVALID_HANDLE


@pytest.mark.parametrize(
    ("wanted", "picked"),
    [(None, READERS[0]), ("pasori", READERS[0]), ("virtual pcd", READERS[1]), ("PCD 00 01", READERS[2])],
)
def test_pick_reader(ctx: pcsc.PcscContext, wanted: str | None, picked: str) -> None:
    assert ctx.pick_reader(wanted) == picked


def test_pick_reader_without_match(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    with pytest.raises(NoReaderError) as info:
        ctx.pick_reader("ACR1252")
    assert (info.value.wanted, info.value.available) == ("ACR1252", tuple(READERS))
    fake.list_result = (S.SCARD_E_NO_READERS_AVAILABLE, [])
    with pytest.raises(NoReaderError) as info:
        ctx.pick_reader(None)
    assert (info.value.wanted, info.value.available) == (None, ())


# --- waits ---------------------------------------------------------------------------------------------


def test_wait_for_card_already_present(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    fake.changes = [(OK, PRESENT | 0x10000, ATR)]
    assert ctx.wait_for_card("Virtual PCD 00 00", 5) == ATR
    assert fake.wait_calls == [(0x100, 0, [("Virtual PCD 00 00", S.SCARD_STATE_UNAWARE)])]


def test_wait_for_card_follows_state_changes(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    mute = PRESENT | S.SCARD_STATE_MUTE | 0x20000
    fake.changes = [
        (OK, EMPTY | 0x10000, b""),
        (S.SCARD_E_TIMEOUT, 0, b""),
        (OK, mute, ATR),  # a card inserted the wrong way round is not a card yet
        (OK, PRESENT | 0x30000, ATR),
    ]
    assert ctx.wait_for_card("r", 30) == ATR
    known = [states[0][1] for _, _, states in fake.wait_calls]
    assert known == [
        S.SCARD_STATE_UNAWARE,
        S.SCARD_STATE_EMPTY | 0x10000,
        S.SCARD_STATE_EMPTY | 0x10000,
        mute & ~S.SCARD_STATE_CHANGED,
    ]
    # Waits are sliced so that a cancel that pcsc-lite dropped is still seen within a second.
    assert [ms for _, ms, _ in fake.wait_calls] == [0, 1000, 1000, 1000]


def test_wait_for_card_times_out(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    fake.changes = [(OK, EMPTY, b""), *[(S.SCARD_E_TIMEOUT, 0, b"")] * 3]
    with pytest.raises(NoCardError) as info:
        ctx.wait_for_card("r", 2.5)
    assert (info.value.reader, info.value.waited) == ("r", 2.5)
    assert [ms for _, ms, _ in fake.wait_calls] == [0, 1000, 1000, 500]
    assert not fake.changes


def test_wait_with_zero_timeout_only_looks(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    fake.changes = [(OK, EMPTY, b"")]
    with pytest.raises(NoCardError):
        ctx.wait_for_card("r", 0)
    fake.changes = [(OK, PRESENT, ATR)]
    assert ctx.wait_for_removal("r", 0) is False
    with pytest.raises(ValueError, match="timeout"):
        ctx.wait_for_removal("r", -1)


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (S.SCARD_E_UNKNOWN_READER, ReaderUnavailableError),
        (S.SCARD_E_READER_UNAVAILABLE, ReaderUnavailableError),
        (S.SCARD_E_NO_READERS_AVAILABLE, ReaderUnavailableError),
        (S.SCARD_E_NO_SERVICE, ReaderUnavailableError),
        (S.SCARD_E_SERVICE_STOPPED, ReaderUnavailableError),
        (S.SCARD_E_INVALID_HANDLE, CardCommunicationError),
    ],
)
def test_wait_errors(fake: FakeScard, ctx: pcsc.PcscContext, code: int, error: type[Exception]) -> None:
    fake.changes = [(code, 0, b"")]
    with pytest.raises(error):
        ctx.wait_for_card("r", 1)


def test_wait_on_a_reader_that_went_away(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    fake.changes = [(OK, S.SCARD_STATE_UNKNOWN | S.SCARD_STATE_CHANGED | S.SCARD_STATE_IGNORE, b"")]
    with pytest.raises(ReaderUnavailableError, match="not known"):
        ctx.wait_for_removal("r", 1)


def test_wait_for_removal(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    fake.changes = [(OK, PRESENT, ATR), (S.SCARD_E_TIMEOUT, 0, b""), (OK, EMPTY, b"")]
    assert ctx.wait_for_removal("r", 10) is True
    fake.changes = [(OK, EMPTY, b"")]
    assert ctx.wait_for_removal("r", 10) is True
    fake.changes = [(OK, PRESENT, ATR), *[(S.SCARD_E_TIMEOUT, 0, b"")] * 2]
    assert ctx.wait_for_removal("r", 2) is False


def test_cancel_from_another_thread_wakes_the_waiter(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    waiting = threading.Event()
    wake = threading.Event()

    def blocks() -> tuple[int, int, bytes]:
        waiting.set()
        assert wake.wait(10), "SCardCancel never came"
        return (S.SCARD_E_CANCELLED, 0, b"")

    def cancel(context: int) -> int:
        wake.set()
        return int(OK)

    fake.SCardCancel = cancel  # type: ignore[method-assign]
    fake.changes = [(OK, EMPTY, b""), blocks]
    outcome: list[object] = []

    def waiter() -> None:
        try:
            ctx.wait_for_card("r", 60)
        except NoCardError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=waiter)
    thread.start()
    assert waiting.wait(10)
    ctx.cancel()
    thread.join(10)
    assert not thread.is_alive()
    assert isinstance(outcome[0], NoCardError)
    assert ctx.cancelled


def test_cancel_is_sticky_so_a_lost_scardcancel_cannot_strand_a_waiter(
    fake: FakeScard, ctx: pcsc.PcscContext
) -> None:
    ctx.cancel()  # no wait in progress: pcsc-lite would drop this SCardCancel
    assert fake.cancels == [0x100]
    assert ctx.wait_for_removal("r", 60) is False
    with pytest.raises(NoCardError):
        ctx.wait_for_card("r", 60)
    assert fake.wait_calls == []


def test_cancel_after_close_does_not_raise(fake: FakeScard) -> None:
    context = pcsc.PcscContext()
    context.close()
    context.cancel()
    assert fake.cancels == []


# --- connection ----------------------------------------------------------------------------------------


def test_connect_is_exclusive_and_close_resets_the_card(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    connection = ctx.connect("Virtual PCD 00 00")
    assert connection.atr == ATR
    # Its own context (0x101): a stuck transmit must not lock the waits on the shared one (0x100).
    assert fake.connects == [
        (0x101, "Virtual PCD 00 00", S.SCARD_SHARE_EXCLUSIVE, S.SCARD_PROTOCOL_T0 | S.SCARD_PROTOCOL_T1)
    ]
    connection.close()
    connection.close()
    assert fake.disconnects == [(0xCA4D, S.SCARD_RESET_CARD)]
    assert fake.released == [0x101]
    with pytest.raises(RuntimeError):
        connection.transmit(SELECT_JPKI)


def test_close_after_the_card_left_does_not_raise(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    fake.disconnect_rc = S.SCARD_W_REMOVED_CARD
    with ctx.connect("r"):
        pass
    assert fake.disconnects == [(0xCA4D, S.SCARD_RESET_CARD)]


@pytest.mark.parametrize(
    ("code", "error", "text"),
    [
        (S.SCARD_E_SHARING_VIOLATION, ReaderUnavailableError, "in use by another application"),
        (S.SCARD_E_NO_SMARTCARD, CardRemovedError, "removed"),
        (S.SCARD_W_REMOVED_CARD, CardRemovedError, "removed"),
        (S.SCARD_E_UNKNOWN_READER, ReaderUnavailableError, "unknown"),
        (S.SCARD_W_UNRESPONSIVE_CARD, CardCommunicationError, "connect"),
    ],
)
def test_connect_errors(
    fake: FakeScard, ctx: pcsc.PcscContext, code: int, error: type[Exception], text: str
) -> None:
    fake.connect_rc = code
    with pytest.raises(error, match=text):
        ctx.connect("r")
    assert len(fake.connects) == 1  # a clear error, not a retry loop
    assert fake.released == [0x101]


def test_transmit_sends_exact_bytes_with_the_protocol_pci(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    fake.responses = answers("9000")
    with ctx.connect("r") as connection:
        assert connection.transmit(SELECT_JPKI) == (b"", 0x9000)
    assert fake.sent == [(S.SCARD_PCI_T1, SELECT_JPKI)]

    fake.protocol = S.SCARD_PROTOCOL_T0
    fake.responses = answers("0102039000")
    with ctx.connect("r") as connection:
        pin_apdu = bytearray.fromhex("002000800431323334")
        assert connection.transmit(pin_apdu) == (b"\x01\x02\x03", 0x9000)
    assert fake.sent[1] == (S.SCARD_PCI_T0, bytes(pin_apdu))


def test_61xx_is_chained_with_get_response(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    fake.responses = answers("AABB6104", "CCDDEEFF6102", "11229000")
    with ctx.connect("r") as connection:
        assert connection.transmit(bytes.fromhex("00B0000000")) == (bytes.fromhex("AABBCCDDEEFF1122"), 0x9000)
    assert [apdu.hex().upper() for _, apdu in fake.sent] == ["00B0000000", "00C0000004", "00C0000002"]


def test_6cxx_resends_with_the_right_le(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    fake.responses = answers("6C20", "00" * 0x20 + "9000")
    with ctx.connect("r") as connection:
        data, sw = connection.transmit(bytes.fromhex("00B0000000"))
    assert (len(data), sw) == (0x20, 0x9000)
    assert [apdu.hex().upper() for _, apdu in fake.sent] == ["00B0000000", "00B0000020"]


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (S.SCARD_W_REMOVED_CARD, CardRemovedError),
        (S.SCARD_E_NO_SMARTCARD, CardRemovedError),
        (S.SCARD_W_RESET_CARD, CardRemovedError),
        (S.SCARD_E_READER_UNAVAILABLE, ReaderUnavailableError),
        (S.SCARD_E_NO_SERVICE, ReaderUnavailableError),
        (S.SCARD_E_SERVICE_STOPPED, ReaderUnavailableError),
        (S.SCARD_F_COMM_ERROR, CardCommunicationError),
    ],
)
def test_transmit_errors_make_the_connection_unusable(
    fake: FakeScard, ctx: pcsc.PcscContext, code: int, error: type[Exception]
) -> None:
    fake.responses = [(code, b"")]
    with ctx.connect("r") as connection:
        with pytest.raises(error) as first:
            connection.transmit(SELECT_JPKI)
        with pytest.raises(error):  # at once: nothing more reaches the card
            connection.transmit(SELECT_JPKI)
    assert len(fake.sent) == 1
    if isinstance(first.value, CardCommunicationError):
        assert (first.value.operation, first.value.pcsc_code) == ("transmit", S.SCARD_F_COMM_ERROR)


def test_transmit_pyscard_exception_is_normalised(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    def raises() -> tuple[int, bytes]:
        raise SmartcardException("lost", hresult=S.SCARD_W_REMOVED_CARD)

    fake.responses = [raises]
    with ctx.connect("r") as connection, pytest.raises(CardRemovedError):
        connection.transmit(SELECT_JPKI)


STILL_THERE: list[Change] = [(OK, PRESENT, ATR), (S.SCARD_E_TIMEOUT, 0, b"")]
PULLED: list[Change] = [(OK, PRESENT, ATR), (OK, EMPTY, b"")]


@pytest.mark.parametrize(
    ("rc", "response", "changes", "error"),
    [
        # vpcd 0.8 answers "success, 0 bytes" when the card leaves during the command.
        (OK, b"", PULLED, CardRemovedError),
        (OK, b"", STILL_THERE, MalformedResponseError),
        (OK, b"\x90", STILL_THERE, MalformedResponseError),
        (S.SCARD_E_NOT_TRANSACTED, b"", PULLED, CardRemovedError),
        (S.SCARD_E_NOT_TRANSACTED, b"", STILL_THERE, CardCommunicationError),
    ],
)
def test_a_failed_exchange_waits_briefly_for_pcscd_to_see_a_pulled_card(
    fake: FakeScard,
    ctx: pcsc.PcscContext,
    rc: int,
    response: bytes,
    changes: list[Change],
    error: type[Exception],
) -> None:
    fake.responses = [(rc, response)]
    fake.changes = list(changes)
    with ctx.connect("r") as connection:
        with pytest.raises(error):
            connection.transmit(SELECT_JPKI)
        with pytest.raises(error):  # and the connection is unusable
            connection.transmit(SELECT_JPKI)
    assert len(fake.sent) == 1
    assert not fake.changes
    # The check uses the connection's own context, within about one pcscd poll period.
    assert {context for context, _, _ in fake.wait_calls} == {0x101}
    assert sum(ms for _, ms, _ in fake.wait_calls) <= 1000


def test_transmit_timeout(fake: FakeScard, ctx: pcsc.PcscContext) -> None:
    release = threading.Event()

    def stuck() -> tuple[int, bytes]:
        assert release.wait(30), "test never released the stuck transmit"
        return (OK, bytes.fromhex("9000"))

    fake.responses = [stuck]
    connection = ctx.connect("r", transmit_timeout=0.05)
    with pytest.raises(CardTimeoutError) as info:
        connection.transmit(SELECT_JPKI)
    assert info.value.timeout == 0.05
    with pytest.raises(CardTimeoutError):  # at once, without queueing behind the stuck command
        connection.transmit(SELECT_JPKI)
    assert len(fake.sent) == 1
    connection.close()  # returns although the worker is still stuck
    assert fake.disconnects == []
    release.set()  # the card finally answers: the worker then resets it and releases its context
    assert fake.disconnected.wait(10)
    assert fake.disconnects == [(0xCA4D, S.SCARD_RESET_CARD)]


def test_timeouts_must_be_positive(ctx: pcsc.PcscContext) -> None:
    with pytest.raises(ValueError, match="transmit_timeout"):
        ctx.connect("r", transmit_timeout=0)


# --- logging -------------------------------------------------------------------------------------------


def test_traffic_log_has_no_apdu_data(
    fake: FakeScard, ctx: pcsc.PcscContext, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    pin = "31323334"
    personal = "E5B1B1E794B0E5A4AAE9838E"  # 山田太郎 in UTF-8
    fake.responses = answers("9000", personal + "6100", personal + "9000")
    with ctx.connect("r") as connection:
        connection.transmit(bytes.fromhex("0020008004" + pin))
        connection.transmit(bytes.fromhex("00B0000000"))
    traffic = [r for r in caplog.records if r.name == "kiosk.card.traffic"]
    assert traffic, "expected DEBUG records on kiosk.card.traffic"
    assert all(r.levelno == logging.DEBUG for r in traffic)
    for record in caplog.records:
        text = record.getMessage()
        for secret in (pin, personal, "1234", "山田"):
            assert secret.lower() not in text.lower()
        assert "0020008004" not in text
    messages = [r.getMessage() for r in traffic]
    assert messages[0] == "> INS 20, 9 bytes"
    assert messages[1] == "< 0 bytes, SW 9000"
    assert "< 12 bytes, SW 6100" in messages
    assert "> INS C0, 5 bytes" in messages
