"""Whether a transaction may start, go on, and finish now: the calendar and the clock, asked at each step.

A kiosk that serves at 23:01 or on 1/2 is wrong in front of every resident at once, so the gate is asked
before the card is touched (any municipality), again once the backend has named the resident's
municipality (its closures and the document's hours), and before the document is delivered (a transaction
that runs past the closing time plus its grace period is aborted and reported failed).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from kiosk.calendar import Decision, Reason, ServiceCalendar
from kiosk.clock import Clock
from kiosk.errors import ServiceClosedError

__all__ = ["ServiceGate"]


class ServiceGate:
    def __init__(
        self,
        calendar: ServiceCalendar,
        clock: Clock,
        *,
        synchronised: Callable[[], bool | None],
        require_synchronised: bool,
    ) -> None:
        self._calendar = calendar
        self._clock = clock
        self._synchronised = synchronised
        self._require_synchronised = require_synchronised

    def check_start(self) -> datetime:
        """Refuse unless a transaction may start now; returns the instant by which it must be over."""
        now = self._clock.now()
        # Not synchronised, or unknown (no adjtimex): not evidence of a good clock. The Date-header half of
        # clock trust is checked by the backend client on every answer (ClockSkewError, clock-untrusted).
        if self._require_synchronised and self._synchronised() is not True:
            raise ServiceClosedError(str(Reason.CLOCK_UNTRUSTED), None)
        self._refuse_unless_open(self._calendar.decide(now))
        return self._calendar.transaction_deadline(now)

    def check_document(self, municipality: str, document: str) -> datetime:
        """The resident's municipality and the chosen document may have their own closures and hours;
        returns the deadline they set (an 印鑑 whose hours end at 17:00 must not be delivered at 17:30)."""
        scope = municipality if municipality in self._calendar.config.municipalities else None
        now = self._clock.now()
        self._refuse_unless_open(self._calendar.decide(now, municipality=scope, document=document))
        return self._calendar.transaction_deadline(now, municipality=scope, document=document)

    def check_not_overrun(self, deadline: datetime) -> None:
        if self._clock.now() > deadline:
            raise ServiceClosedError(str(Reason.AFTER_HOURS), None)

    @staticmethod
    def _refuse_unless_open(decision: Decision) -> None:
        if not decision.open:
            reason = decision.reason if decision.reason is not None else Reason.AFTER_HOURS
            next_open = decision.next_open.isoformat() if decision.next_open is not None else None
            raise ServiceClosedError(str(reason), next_open)
