"""When the service may start a transaction: daily window, year-end, closures, maintenance, store hours.

`ServiceCalendar` answers for an instant the caller chose (it never reads a clock and does no I/O), in the
calendar's zone whatever the system zone is. The rules are those of the `[calendar]` table
(`kiosk.calendar_config`):

- An *open period* is a maximal half-open stretch of instants [start, end) at which every rule holds: inside
  the daily window, not a year-end day, not a closed day of the municipality, outside every maintenance window
  and operator stop, inside the store's hours and not a store closed day, and inside the document's own hours
  (weekdays only, not on national holidays) when it has them. Periods of adjacent days that touch are one.
- Service is available at t when t is in an open period and before its end minus `last_start_minutes`, so
  that a resident does not begin a transaction that the end of the period would cut off.

Local times are resolved in the zone with zoneinfo: a local time that does not exist (a forward jump) means
the first instant after the jump, and one that occurs twice means its first occurrence (fold=0). Everything
inside works on UTC instants: arithmetic on zone-aware datetimes is wall-clock arithmetic, wrong over a jump.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

from kiosk.calendar_config import (
    DOCUMENT_TYPES,
    CalendarConfig,
    DocumentHours,
    MunicipalityCalendar,
    TimeWindow,
)

if TYPE_CHECKING:
    # Type-only: the calendar takes any provider and must not pull in the holiday library to be imported.
    from kiosk.holidays import HolidayProvider

__all__ = ["SEARCH_DAYS", "Decision", "Period", "Reason", "ServiceCalendar"]

#: How far ahead `next_open` looks; beyond it the calendar says "not within the horizon" (None).
SEARCH_DAYS: Final = 400
#: Cached days per calendar: 400 days for a dozen (municipality, document) pairs, a few hundred kilobytes.
_CACHE_DAYS: Final = 8192
_WEEKEND: Final = 5  # date.weekday() of Saturday; Sunday is 6

#: A half-open stretch of instants [start, end).
Period = tuple[datetime, datetime]


class Reason(StrEnum):
    """Why service is refused at an instant; `Decision.reason` is the first that applies, in this order."""

    CLOCK_UNTRUSTED = "clock-untrusted"
    YEAR_END = "year-end"
    CLOSURE = "closure"
    MAINTENANCE = "maintenance"
    STORE_CLOSED = "store-closed"
    HOLIDAY = "holiday"
    DOCUMENT_HOURS = "document-hours"
    BEFORE_HOURS = "before-hours"
    AFTER_HOURS = "after-hours"


@dataclass(frozen=True)
class Decision:
    """Whether a transaction may start now; instants are in the calendar's zone.

    Open: `closes_at` is when the current period ends (the last start is `last_start_minutes` before it).
    Closed: `reason` says why and `next_open` is the first instant service is available again (None when the
    clock is untrusted or nothing opens within `SEARCH_DAYS`).
    """

    open: bool
    reason: Reason | None
    closes_at: datetime | None
    next_open: datetime | None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: instants as RFC 3339 strings with the calendar zone's offset."""
        return {
            "open": self.open,
            "reason": None if self.reason is None else self.reason.value,
            "closes_at": None if self.closes_at is None else self.closes_at.isoformat(),
            "next_open": None if self.next_open is None else self.next_open.isoformat(),
        }


@dataclass(frozen=True)
class _Scope:
    """The rules for one (municipality, document) pair, looked up once."""

    key: tuple[str | None, str | None]
    municipality: MunicipalityCalendar | None
    document: DocumentHours | None
    windows: tuple[Period, ...]  # operator stops and the municipality's maintenance: UTC, sorted, merged


class ServiceCalendar:
    """The service rules of one calendar config; safe to share between threads."""

    def __init__(self, config: CalendarConfig, holidays: HolidayProvider) -> None:
        self._config = config
        self._holidays = holidays
        self._zone = config.zone
        self._cutoff = timedelta(minutes=config.last_start_minutes)
        self._grace = timedelta(minutes=config.grace_minutes)
        self._added = config.holidays.added()
        self._removed = frozenset(config.holidays.remove)
        self._store_closed_days = frozenset(config.store.closed)
        self._scopes: dict[tuple[str | None, str | None], _Scope] = {}
        self._days: dict[tuple[date, str | None, str | None], tuple[Period, ...]] = {}
        self._run_ends: dict[tuple[date, datetime, str | None, str | None], datetime] = {}
        self._lock = threading.Lock()

    @property
    def config(self) -> CalendarConfig:
        return self._config

    @property
    def zone(self) -> ZoneInfo:
        return self._zone

    def decide(
        self,
        instant: datetime,
        *,
        municipality: str | None = None,
        document: str | None = None,
        clock_trusted: bool = True,
    ) -> Decision:
        """May a transaction start at `instant` (timezone-aware), for this municipality and document?"""
        now = _utc(instant, "instant")
        scope = self._scope(municipality, document)
        if not clock_trusted:
            # The instant itself is in doubt, so is every answer derived from it, the next opening included.
            return Decision(open=False, reason=Reason.CLOCK_UNTRUSTED, closes_at=None, next_open=None)
        end = self._period_end(now, scope)
        if end is not None and now < end - self._cutoff:
            return Decision(open=True, reason=None, closes_at=self._local(end), next_open=None)
        upcoming = self._next_open(now, scope)
        return Decision(
            open=False,
            reason=self._reason(now, scope, end),
            closes_at=None,
            next_open=None if upcoming is None else self._local(upcoming),
        )

    def open_periods(
        self, day: date, *, municipality: str | None = None, document: str | None = None
    ) -> list[Period]:
        """The open periods on local day `day`, clipped to it, in the calendar's zone (ignores the cutoff)."""
        scope = self._scope(municipality, document)
        return [(self._local(start), self._local(end)) for start, end in self._day_periods(day, scope)]

    def transaction_deadline(
        self, started_at: datetime, *, municipality: str | None = None, document: str | None = None
    ) -> datetime:
        """When a transaction started at `started_at` is aborted: its open period's end plus the grace."""
        start = _utc(started_at, "started_at")
        end = self._period_end(start, self._scope(municipality, document))
        if end is None:
            raise ValueError("started_at is not within an open period")
        return self._local(end + self._grace)

    def holiday_name(self, day: date) -> str | None:
        """The national holiday on `day` after the config's corrections, or None."""
        if day in self._added:
            return self._added[day]
        if day in self._removed:
            return None
        return self._holidays.name(day)

    def holidays_in(self, year: int) -> dict[date, str]:
        """Every national holiday of `year` after the config's corrections, in date order."""
        merged = {day: name for day, name in self._holidays.year(year).items() if day not in self._removed}
        merged.update({day: name for day, name in self._added.items() if day.year == year})
        return dict(sorted(merged.items()))

    # -- periods -------------------------------------------------------------------------------------------

    def _period_end(self, now: datetime, scope: _Scope) -> datetime | None:
        """The end of the (maximal) open period holding `now` (UTC), or None outside every period."""
        day = self._local_date(now)
        for start, end in self._day_periods(day, scope):
            if start <= now < end:
                return self._run_end(day, end, scope)
        return None

    def _run_end(self, day: date, end: datetime, scope: _Scope) -> datetime:
        """The end of the period whose piece on `day` ends at `end`: pieces that touch at midnight are one.

        Remembered: with a window open around the clock the walk crosses up to SEARCH_DAYS cached days, and
        the reference backend asks this for every request (benchmarks/e2e.py showed 20% of its time here)."""
        key = (day, end, *scope.key)
        known = self._run_ends.get(key)
        if known is not None:
            return known
        result = self._walk_run(day, end, scope)
        with self._lock:
            if len(self._run_ends) >= _CACHE_DAYS:
                del self._run_ends[next(iter(self._run_ends))]
            self._run_ends[key] = result
        return result

    def _walk_run(self, day: date, end: datetime, scope: _Scope) -> datetime:
        for _ in range(SEARCH_DAYS):
            day += timedelta(days=1)
            following = self._day_periods(day, scope)
            if not following or following[0][0] != end:
                return end
            end = following[0][1]
        return end  # open for the whole horizon: its real end is further still, and this is as far as we look

    def _next_open(self, now: datetime, scope: _Scope) -> datetime | None:
        """The first instant after `now` (which is not open) at which service is available."""
        first_day = self._local_date(now)
        previous_end: datetime | None = None
        for offset in range(SEARCH_DAYS + 1):
            day = first_day + timedelta(days=offset)
            for start, end in self._day_periods(day, scope):
                # A piece that continues yesterday's is not a new start; yesterday's piece was judged whole.
                continuation = start == previous_end
                previous_end = end
                if continuation or start <= now:
                    continue
                # A period shorter than the cutoff offers no instant at which a transaction may begin.
                if self._run_end(day, end, scope) - start > self._cutoff:
                    return start
        return None

    def _day_periods(self, day: date, scope: _Scope) -> tuple[Period, ...]:
        key = (day, *scope.key)
        cached = self._days.get(key)  # a single dict read is atomic; only the writes below need the lock
        if cached is not None:
            return cached
        periods = self._build_day(day, scope)
        with self._lock:
            if len(self._days) >= _CACHE_DAYS:
                # Drop the oldest entry: a kiosk asks about today and the next days, rarely about the past.
                del self._days[next(iter(self._days))]
            self._days[key] = periods
        return periods

    def _build_day(self, day: date, scope: _Scope) -> tuple[Period, ...]:
        if self._closed_all_day(day, scope):
            return ()
        span = self._local_span(day, scope)
        if span is None:
            return ()
        start, end = self._instant(day, span[0]), self._instant(day, span[1])
        if end <= start:  # the whole span fell inside a forward jump of the clock
            return ()
        return _subtract((start, end), scope.windows)

    def _closed_all_day(self, day: date, scope: _Scope) -> bool:
        if self._config.year_end.contains(day) or day in self._store_closed_days:
            return True
        if scope.municipality is not None and scope.municipality.closed_on(day):
            return True
        document = scope.document
        if document is None:
            return False
        if document.weekdays_only and day.weekday() >= _WEEKEND:
            return True
        return not document.on_holidays and self.holiday_name(day) is not None

    def _local_span(self, day: date, scope: _Scope) -> tuple[int, int] | None:
        """The local minutes of `day` inside the daily window, the store's hours and the document's hours."""
        store = self._config.store.hours.span(day.weekday())
        if store is None:
            return None
        spans = [(self._config.open, self._config.close), store]
        if scope.document is not None:
            spans.append((scope.document.open, scope.document.close))
        start = max(opening for opening, _ in spans)
        end = min(closing for _, closing in spans)
        return (start, end) if start < end else None

    # -- reasons -------------------------------------------------------------------------------------------

    def _reason(self, now: datetime, scope: _Scope, period_end: datetime | None) -> Reason:
        local = now.astimezone(self._zone)
        # Read off the wall clock: the rules are written in local hours and minutes.
        since_midnight = timedelta(
            hours=local.hour, minutes=local.minute, seconds=local.second, microseconds=local.microsecond
        )
        rule = self._broken_rule(now, local.date(), since_midnight, scope)
        if rule is not None:
            return rule
        if period_end is not None:
            # Every rule holds but the period ends within the cutoff: blame the stop or window that ends it.
            return Reason.MAINTENANCE if _inside(period_end, scope.windows) else Reason.AFTER_HOURS
        if since_midnight < timedelta(minutes=self._config.open):
            return Reason.BEFORE_HOURS
        return Reason.AFTER_HOURS

    def _broken_rule(
        self, now: datetime, day: date, since_midnight: timedelta, scope: _Scope
    ) -> Reason | None:
        """The first rule, in `Reason` order, that `now` breaks (the daily window aside)."""
        if self._config.year_end.contains(day):
            return Reason.YEAR_END
        if scope.municipality is not None and scope.municipality.closed_on(day):
            return Reason.CLOSURE
        if _inside(now, scope.windows):
            return Reason.MAINTENANCE
        store = self._config.store.hours.span(day.weekday())
        if day in self._store_closed_days or store is None or not _within(since_midnight, store):
            return Reason.STORE_CLOSED
        document = scope.document
        if document is None:
            return None
        if not document.on_holidays and self.holiday_name(day) is not None:
            return Reason.HOLIDAY
        if document.weekdays_only and day.weekday() >= _WEEKEND:
            return Reason.DOCUMENT_HOURS
        if not _within(since_midnight, (document.open, document.close)):
            return Reason.DOCUMENT_HOURS
        return None

    # -- scopes and time -----------------------------------------------------------------------------------

    def _scope(self, municipality: str | None, document: str | None) -> _Scope:
        key = (municipality, document)
        scope = self._scopes.get(key)
        if scope is None:
            scope = self._make_scope(municipality, document)
            # Bounded: only codes the config knows get this far. Two threads may both build it; same value.
            self._scopes[key] = scope
        return scope

    def _make_scope(self, municipality: str | None, document: str | None) -> _Scope:
        if document is not None and document not in DOCUMENT_TYPES:
            raise ValueError(f"unknown document type {document!r} (known: {', '.join(DOCUMENT_TYPES)})")
        calendar = None if municipality is None else self._config.municipality(municipality)
        hours = None if calendar is None or document is None else calendar.documents.get(document)
        windows = self._config.stops + (() if calendar is None else calendar.maintenance)
        return _Scope(
            key=(municipality, document), municipality=calendar, document=hours, windows=_merged(windows)
        )

    def _instant(self, day: date, minutes: int) -> datetime:
        """The UTC instant at `minutes` after local midnight of `day` (1440: the next midnight)."""
        return _resolve(datetime.combine(day, time()) + timedelta(minutes=minutes), self._zone)

    def _local_date(self, instant: datetime) -> date:
        return instant.astimezone(self._zone).date()

    def _local(self, instant: datetime) -> datetime:
        return instant.astimezone(self._zone)


def _utc(instant: datetime, name: str) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        # A naive time would be read in the system zone, which on a misconfigured terminal is not Japan's.
        raise ValueError(f"{name} must be timezone-aware")
    return instant.astimezone(UTC)


def _resolve(naive: datetime, zone: ZoneInfo) -> datetime:
    """The instant of local wall time `naive`: its first occurrence, or the gap's end if it is skipped."""
    instant = naive.replace(tzinfo=zone).astimezone(UTC)  # fold=0: the first of two occurrences
    if instant.astimezone(zone).replace(tzinfo=None) == naive:
        return instant
    return _gap_end(naive, zone)


def _gap_end(naive: datetime, zone: ZoneInfo) -> datetime:
    """The instant the clock jumped over the nonexistent local time `naive`.

    Read with fold=1 (the offset after the jump) a skipped time lands before the jump; with fold=0 (the offset
    before it) after it. The jump is found between the two by bisection on whole seconds, as tzdata's
    transitions are.
    """
    low = int(naive.replace(tzinfo=zone, fold=1).timestamp())
    high = int(naive.replace(tzinfo=zone, fold=0).timestamp())
    after = datetime.fromtimestamp(high, UTC).astimezone(zone).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _merged(windows: Sequence[TimeWindow]) -> tuple[Period, ...]:
    """Windows as sorted, disjoint UTC periods (a stop may overlap a municipality's maintenance)."""
    merged: list[Period] = []
    for start, end in sorted((w.start.astimezone(UTC), w.end.astimezone(UTC)) for w in windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def _subtract(period: Period, windows: tuple[Period, ...]) -> tuple[Period, ...]:
    """`period` minus the sorted, disjoint `windows`."""
    start, end = period
    pieces: list[Period] = []
    for window_start, window_end in windows:
        if window_end <= start:
            continue
        if window_start >= end:
            break
        if window_start > start:
            pieces.append((start, window_start))
        start = window_end
        if start >= end:
            return tuple(pieces)
    pieces.append((start, end))
    return tuple(pieces)


def _inside(instant: datetime, windows: tuple[Period, ...]) -> bool:
    return any(start <= instant < end for start, end in windows)


def _within(since_midnight: timedelta, span: tuple[int, int]) -> bool:
    return timedelta(minutes=span[0]) <= since_midnight < timedelta(minutes=span[1])
