"""The payment-device port, and the virtual coin device the demo and the tests use.

A kiosk takes the fee before it requests the document (architecture.md step 5). The orchestrator calls
`PaymentDevice.collect` on a worker thread and the resident inserts coins meanwhile; whatever happens
short of a full payment (cancel, timeout, a failing progress callback), the money inserted so far goes
back to the resident before the error is raised, so a failed payment never keeps money.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from time import monotonic
from typing import Protocol

from kiosk.errors import PaymentCancelledError, PaymentTimeoutError, UnacceptedMoneyError

__all__ = [
    "ACCEPTED_YEN",
    "LedgerEntry",
    "Payment",
    "PaymentDevice",
    "VirtualCoinDevice",
]

#: What the device takes: 10, 50, 100 and 500 yen coins and 1000 yen notes (like most kiosk changers;
#: 1 and 5 yen coins and large notes would need change the device does not hold).
ACCEPTED_YEN = frozenset({10, 50, 100, 500, 1000})

#: Longest wait between two looks at the caller's cancel Event (an Event cannot wake a Condition).
_POLL_S = 0.05

#: One money movement: (kind, yen). Kinds: "inserted" (a coin or note into escrow), "collected" (escrow
#: into the cash box: the fee), "change" and "refunded" (back to the resident).
LedgerEntry = tuple[str, int]


@dataclass(frozen=True)
class Payment:
    """A completed payment: `amount_yen` kept, `inserted_yen` taken in, `change_yen` handed back."""

    amount_yen: int
    inserted_yen: int
    change_yen: int
    reference: str


class PaymentDevice(Protocol):
    """A device that takes a fee in cash (the virtual coin device; a real changer's driver later)."""

    def collect(
        self,
        amount_yen: int,
        *,
        on_progress: Callable[[int], None],
        cancelled: threading.Event,
        timeout: float,
    ) -> Payment:
        """Block until at least `amount_yen` is inserted; give change and return the payment.

        `on_progress(inserted_yen)` is called on the collecting thread with each new total (first with 0).
        When `cancelled` is set or `timeout` seconds pass, everything inserted is refunded and
        `PaymentCancelledError` / `PaymentTimeoutError` is raised with the refunded amount. Cancel wins over
        a payment completed at the same moment, so after a cancel no money is ever kept.
        """
        ...

    def refund(self, payment: Payment) -> int:
        """Hand back a completed payment (the document could not be printed); the yen refunded.

        Refunding the same payment again refunds nothing (returns 0), so cleanup paths may repeat it.
        """
        ...


class VirtualCoinDevice:
    """An in-memory `PaymentDevice`: `insert` is the coin slot, called from any thread (demo buttons).

    Thread-safe. `ledger` records every movement so tests can check that no yen is lost: at any moment
    sum("inserted") == sum("change") + sum("refunded") + `cash_box_yen` + `escrow_yen`.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._due: int | None = None  # the amount of the collection in progress; None when idle
        self._escrow = 0
        self._cash_box = 0
        self._ledger: list[LedgerEntry] = []
        self._refundable: dict[str, int] = {}  # payment reference -> yen refund() would still give back
        self._count = 0

    # ------------------------------------------------------------------------------ the resident's side

    def insert(self, coin_yen: int) -> bool:
        """Put one coin or note in: True if it counts towards the collection in progress.

        With no collection in progress the slot is closed and the money falls straight back out (False,
        nothing recorded), as on a real changer. `UnacceptedMoneyError` for other denominations.
        """
        if coin_yen not in ACCEPTED_YEN:
            raise UnacceptedMoneyError(coin_yen)
        with self._cond:
            if self._due is None:
                return False
            self._escrow += coin_yen
            self._ledger.append(("inserted", coin_yen))
            self._cond.notify_all()
            return True

    # --------------------------------------------------------------------------------- the kiosk's side

    @property
    def collecting(self) -> bool:
        """True while `collect` waits for money (the demo enables its coin buttons on this)."""
        with self._cond:
            return self._due is not None

    @property
    def ledger(self) -> tuple[LedgerEntry, ...]:
        with self._cond:
            return tuple(self._ledger)

    @property
    def escrow_yen(self) -> int:
        """Inserted towards the collection in progress, not yet kept or given back."""
        with self._cond:
            return self._escrow

    @property
    def cash_box_yen(self) -> int:
        """Fees kept: collected minus what `refund` gave back."""
        with self._cond:
            return self._cash_box

    def collect(
        self,
        amount_yen: int,
        *,
        on_progress: Callable[[int], None],
        cancelled: threading.Event,
        timeout: float,
    ) -> Payment:
        """See `PaymentDevice.collect`. One collection at a time (RuntimeError for a second)."""
        if amount_yen <= 0:
            raise ValueError(f"amount must be > 0 yen, got {amount_yen}")
        if not timeout >= 0:
            raise ValueError(f"timeout must be >= 0 seconds, got {timeout}")
        with self._cond:
            if self._due is not None:
                raise RuntimeError("a collection is already in progress")
            self._due = amount_yen
            self._escrow = 0
        try:
            return self._wait_for_money(amount_yen, on_progress, cancelled, timeout)
        except BaseException:
            with self._cond:
                if self._due is not None:  # a failing callback or an interrupt: the money goes back too
                    self._give_back()
            raise

    def refund(self, payment: Payment) -> int:
        """See `PaymentDevice.refund`. ValueError for a payment this device did not take."""
        with self._cond:
            if payment.reference not in self._refundable:
                raise ValueError("unknown payment reference")
            amount = self._refundable[payment.reference]
            self._refundable[payment.reference] = 0
            if amount:
                self._cash_box -= amount
                self._ledger.append(("refunded", amount))
            return amount

    # ------------------------------------------------------------------------------------------ internals

    def _wait_for_money(
        self, amount_yen: int, on_progress: Callable[[int], None], cancelled: threading.Event, timeout: float
    ) -> Payment:
        deadline = monotonic() + timeout
        reported: int | None = None
        while True:
            with self._cond:
                inserted = self._escrow
                if inserted == reported:  # the caller has seen this total: decide, or wait for more
                    if cancelled.is_set():
                        raise PaymentCancelledError(self._give_back())
                    if inserted >= amount_yen:
                        return self._settle(amount_yen)
                    remaining = deadline - monotonic()
                    if remaining <= 0:
                        raise PaymentTimeoutError(self._give_back(), timeout)
                    self._cond.wait(min(remaining, _POLL_S))
                    continue
            # Outside the lock: the callback may update the UI, which may call `insert`.
            on_progress(inserted)
            reported = inserted

    def _settle(self, amount_yen: int) -> Payment:
        """Under the lock: keep the fee, give the change, end the collection."""
        inserted = self._escrow
        change = inserted - amount_yen
        self._count += 1
        reference = f"virtual-{self._count:06d}"
        self._ledger.append(("collected", amount_yen))
        if change:
            self._ledger.append(("change", change))
        self._cash_box += amount_yen
        self._refundable[reference] = amount_yen
        self._due = None
        self._escrow = 0
        return Payment(amount_yen=amount_yen, inserted_yen=inserted, change_yen=change, reference=reference)

    def _give_back(self) -> int:
        """Under the lock: return everything in escrow and end the collection; the yen returned."""
        refunded = self._escrow
        if refunded:
            self._ledger.append(("refunded", refunded))
        self._due = None
        self._escrow = 0
        return refunded
