"""`kiosk.payment.VirtualCoinDevice`: collection on one thread, coins from others, and not one yen lost.

Threads are sequenced with the progress callback (a queue) and Events; `WAIT` only bounds a wait so that a
bug fails the test instead of hanging it, it is never what a test measures.
"""

from __future__ import annotations

import queue
import threading

import pytest

from kiosk.errors import PaymentCancelledError, PaymentError, PaymentTimeoutError, UnacceptedMoneyError
from kiosk.payment import ACCEPTED_YEN, Payment, PaymentDevice, VirtualCoinDevice

WAIT = 10.0
FEE = 300


def total(device: VirtualCoinDevice, kind: str) -> int:
    return sum(yen for entry_kind, yen in device.ledger if entry_kind == kind)


def assert_no_yen_lost(device: VirtualCoinDevice) -> None:
    returned = total(device, "change") + total(device, "refunded")
    assert total(device, "inserted") == returned + device.cash_box_yen + device.escrow_yen


class Collection:
    """`collect` running on its own thread, as the orchestrator runs it; progress totals arrive in a queue."""

    def __init__(self, device: VirtualCoinDevice, amount_yen: int = FEE, *, timeout: float = 60.0) -> None:
        self.cancelled = threading.Event()
        self.progress: queue.Queue[int] = queue.Queue()
        self.result: Payment | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(device, amount_yen, timeout), daemon=True)
        self._thread.start()

    def _run(self, device: VirtualCoinDevice, amount_yen: int, timeout: float) -> None:
        try:
            self.result = device.collect(
                amount_yen, on_progress=self.progress.put, cancelled=self.cancelled, timeout=timeout
            )
        except BaseException as error:  # handed to the test thread
            self.error = error

    def wait_for_total(self, yen: int) -> None:
        """Until the collecting thread has reported `yen` inserted."""
        while self.progress.get(timeout=WAIT) != yen:
            pass

    def finish(self) -> None:
        self._thread.join(WAIT)
        assert not self._thread.is_alive(), "collect did not return"

    def payment(self) -> Payment:
        self.finish()
        assert self.error is None, repr(self.error)
        assert self.result is not None
        return self.result


@pytest.fixture
def device() -> VirtualCoinDevice:
    return VirtualCoinDevice()


def test_it_is_a_payment_device() -> None:
    port: PaymentDevice = VirtualCoinDevice()  # mypy checks the protocol; this keeps the line alive
    assert isinstance(port, VirtualCoinDevice)


# ------------------------------------------------------------------------------------------ paying


def test_exact_payment_in_coins(device: VirtualCoinDevice) -> None:
    collection = Collection(device)
    collection.wait_for_total(0)
    assert device.collecting
    for coin in (100, 100, 50, 50):
        assert device.insert(coin)
    payment = collection.payment()
    assert (payment.amount_yen, payment.inserted_yen, payment.change_yen) == (FEE, FEE, 0)
    assert payment.reference
    assert device.ledger == (
        ("inserted", 100),
        ("inserted", 100),
        ("inserted", 50),
        ("inserted", 50),
        ("collected", FEE),
    )
    assert (device.cash_box_yen, device.escrow_yen, device.collecting) == (FEE, 0, False)
    assert_no_yen_lost(device)


def test_progress_reports_each_new_total_in_order(device: VirtualCoinDevice) -> None:
    collection = Collection(device)
    seen = []
    for coin in (10, 100, 100, 100):
        seen.append(collection.progress.get(timeout=WAIT))
        device.insert(coin)  # only once the previous total was reported: one report per coin
    payment = collection.payment()
    while not collection.progress.empty():
        seen.append(collection.progress.get_nowait())
    assert seen == [0, 10, 110, 210, 310]
    assert (payment.inserted_yen, payment.change_yen) == (310, 10)


def test_a_note_gets_change(device: VirtualCoinDevice) -> None:
    collection = Collection(device)
    collection.wait_for_total(0)
    assert device.insert(1000)
    payment = collection.payment()
    assert (payment.amount_yen, payment.inserted_yen, payment.change_yen) == (FEE, 1000, 700)
    assert device.ledger == (("inserted", 1000), ("collected", FEE), ("change", 700))
    assert device.cash_box_yen == FEE
    assert_no_yen_lost(device)


def test_each_payment_has_its_own_reference(device: VirtualCoinDevice) -> None:
    references = set()
    for _ in range(3):
        collection = Collection(device, 500)
        collection.wait_for_total(0)
        device.insert(500)
        references.add(collection.payment().reference)
    assert len(references) == 3
    assert device.cash_box_yen == 1500


def test_coins_from_many_threads_at_once(device: VirtualCoinDevice) -> None:
    """Four threads keep inserting until the payment is complete: every accepted coin is accounted for."""
    amount = 5000
    collection = Collection(device, amount)
    collection.wait_for_total(0)
    accepted: list[int] = []
    lock = threading.Lock()
    start = threading.Event()

    def feed() -> None:
        start.wait(WAIT)
        for _ in range(30):  # 4 x 30 x 100 yen is more than the fee: the last coins find the slot closed
            if device.insert(100):
                with lock:
                    accepted.append(100)

    threads = [threading.Thread(target=feed) for _ in range(4)]
    for thread in threads:
        thread.start()
    start.set()
    for thread in threads:
        thread.join(WAIT)
    payment = collection.payment()
    assert payment.inserted_yen == sum(accepted) == total(device, "inserted")
    assert payment.inserted_yen >= amount
    assert payment.change_yen == payment.inserted_yen - amount
    assert device.cash_box_yen == amount
    assert_no_yen_lost(device)


# ---------------------------------------------------------------------------------- not paying


def test_cancel_refunds_what_was_inserted(device: VirtualCoinDevice) -> None:
    collection = Collection(device)
    collection.wait_for_total(0)
    device.insert(100)
    device.insert(50)
    collection.wait_for_total(150)
    collection.cancelled.set()
    collection.finish()
    assert isinstance(collection.error, PaymentCancelledError)
    assert collection.error.refunded_yen == 150
    assert collection.error.to_dict() == {
        "code": "payment-cancelled",
        "message": "payment cancelled; 150 yen refunded",
        "refunded_yen": 150,
    }
    assert device.ledger[-1] == ("refunded", 150)
    assert (device.cash_box_yen, device.escrow_yen, device.collecting) == (0, 0, False)
    assert_no_yen_lost(device)


def test_cancel_before_any_coin_refunds_nothing(device: VirtualCoinDevice) -> None:
    collection = Collection(device)
    collection.wait_for_total(0)
    collection.cancelled.set()
    collection.finish()
    assert isinstance(collection.error, PaymentCancelledError)
    assert collection.error.refunded_yen == 0
    assert device.ledger == ()


def test_cancel_wins_over_a_payment_completed_at_the_same_moment(device: VirtualCoinDevice) -> None:
    cancelled = threading.Event()

    def pay_and_cancel(inserted: int) -> None:
        if inserted == 0:  # the resident pays in full just as the transaction is cancelled
            device.insert(500)
            cancelled.set()

    with pytest.raises(PaymentCancelledError) as caught:
        device.collect(FEE, on_progress=pay_and_cancel, cancelled=cancelled, timeout=60.0)
    assert caught.value.refunded_yen == 500
    assert device.cash_box_yen == 0
    assert device.ledger == (("inserted", 500), ("refunded", 500))


def test_timeout_without_coins(device: VirtualCoinDevice) -> None:
    progress: list[int] = []
    with pytest.raises(PaymentTimeoutError) as caught:
        device.collect(FEE, on_progress=progress.append, cancelled=threading.Event(), timeout=0.0)
    assert (caught.value.refunded_yen, caught.value.timeout) == (0, 0.0)
    assert caught.value.to_dict()["code"] == "payment-timeout"
    assert progress == [0]
    assert not device.collecting


def test_timeout_refunds_a_partial_payment(device: VirtualCoinDevice) -> None:
    def insert_once(inserted: int) -> None:
        if inserted == 0:
            device.insert(100)

    with pytest.raises(PaymentTimeoutError) as caught:
        device.collect(FEE, on_progress=insert_once, cancelled=threading.Event(), timeout=0.0)
    assert caught.value.refunded_yen == 100
    assert device.ledger == (("inserted", 100), ("refunded", 100))
    assert_no_yen_lost(device)


def test_a_failing_progress_callback_refunds_and_propagates(device: VirtualCoinDevice) -> None:
    def broken(inserted: int) -> None:
        if inserted == 0:
            device.insert(500)
            return
        raise RuntimeError("display gone")

    with pytest.raises(RuntimeError, match="display gone"):
        device.collect(FEE, on_progress=broken, cancelled=threading.Event(), timeout=60.0)
    assert device.ledger == (("inserted", 500), ("refunded", 500))
    assert not device.collecting
    assert_no_yen_lost(device)


# ----------------------------------------------------------------------------------- the slot


@pytest.mark.parametrize("yen", [1, 5, 2000, 5000, 10000, 0, -100, 101])
def test_other_money_is_refused(device: VirtualCoinDevice, yen: int) -> None:
    collection = Collection(device)
    collection.wait_for_total(0)
    with pytest.raises(UnacceptedMoneyError) as caught:
        device.insert(yen)
    assert isinstance(caught.value, PaymentError)
    assert caught.value.to_dict() == {
        "code": "money-not-accepted",
        "message": f"{yen} yen is not accepted",
        "yen": yen,
    }
    assert device.escrow_yen == 0
    collection.cancelled.set()
    collection.finish()
    assert device.ledger == ()


def test_accepted_denominations() -> None:
    assert frozenset({10, 50, 100, 500, 1000}) == ACCEPTED_YEN


def test_the_slot_is_closed_between_collections(device: VirtualCoinDevice) -> None:
    assert not device.collecting
    assert device.insert(100) is False
    assert device.ledger == ()
    assert_no_yen_lost(device)


def test_one_collection_at_a_time(device: VirtualCoinDevice) -> None:
    collection = Collection(device)
    collection.wait_for_total(0)
    with pytest.raises(RuntimeError):
        device.collect(FEE, on_progress=lambda _: None, cancelled=threading.Event(), timeout=1.0)
    device.insert(100)
    collection.wait_for_total(100)  # the running collection is untouched by the refused one
    collection.cancelled.set()
    collection.finish()
    assert isinstance(collection.error, PaymentCancelledError)
    assert collection.error.refunded_yen == 100


@pytest.mark.parametrize(
    ("amount", "timeout"),
    [(0, 1.0), (-300, 1.0), (FEE, -1.0), (FEE, float("nan"))],
)
def test_bad_arguments(device: VirtualCoinDevice, amount: int, timeout: float) -> None:
    with pytest.raises(ValueError):
        device.collect(amount, on_progress=lambda _: None, cancelled=threading.Event(), timeout=timeout)
    assert not device.collecting


# ---------------------------------------------------------------------------------- refunds


def paid(device: VirtualCoinDevice, coin: int = 500) -> Payment:
    def insert_once(inserted: int) -> None:
        if inserted == 0:
            device.insert(coin)

    return device.collect(FEE, on_progress=insert_once, cancelled=threading.Event(), timeout=60.0)


def test_refund_gives_the_fee_back_once(device: VirtualCoinDevice) -> None:
    payment = paid(device)
    assert payment.change_yen == 200
    assert device.refund(payment) == FEE
    assert device.refund(payment) == 0
    assert device.cash_box_yen == 0
    assert device.ledger == (("inserted", 500), ("collected", FEE), ("change", 200), ("refunded", FEE))
    assert_no_yen_lost(device)


def test_refund_of_one_payment_leaves_the_others(device: VirtualCoinDevice) -> None:
    first, second = paid(device), paid(device, 1000)
    assert device.refund(second) == FEE
    assert device.cash_box_yen == FEE
    assert device.refund(first) == FEE
    assert device.cash_box_yen == 0
    assert_no_yen_lost(device)


def test_refund_of_a_foreign_payment_is_refused(device: VirtualCoinDevice) -> None:
    with pytest.raises(ValueError):
        device.refund(Payment(amount_yen=FEE, inserted_yen=FEE, change_yen=0, reference="elsewhere-1"))
    assert device.ledger == ()


def test_refund_from_another_thread_while_collecting(device: VirtualCoinDevice) -> None:
    earlier = paid(device)
    collection = Collection(device)
    collection.wait_for_total(0)
    refunded: list[int] = []
    thread = threading.Thread(target=lambda: refunded.append(device.refund(earlier)))
    thread.start()
    thread.join(WAIT)
    device.insert(500)
    collection.payment()
    assert refunded == [FEE]
    assert device.cash_box_yen == FEE
    assert_no_yen_lost(device)
