"""Property tests: `ServiceCalendar.decide` against a direct oracle on random valid configs and instants.

The oracle knows nothing of periods or caches. `rule_ok(x)` evaluates every rule at the single instant x on
the wall clock; `servable(t)` is rule_ok(t) and rule_ok at every instant in (t, t + cutoff] where a rule can
change (configured local times, midnights, window edges, and t + cutoff itself). Rules are piecewise constant
and switch only at those instants, so that finite check is exact: t is servable iff its period ends after
t + cutoff.

Zones with daylight saving are included; near a transition the wall-clock oracle and the calendar's
resolution of local times (first occurrence, skip the gap) may legitimately differ, so those examples are
left out of the oracle comparisons (`assume`), while the self-consistency checks still run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import TypeVar
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kiosk.calendar import ServiceCalendar
from kiosk.calendar_config import CalendarConfig

ZONES = ("Asia/Tokyo", "Asia/Tokyo", "Asia/Kolkata", "America/New_York", "Europe/Berlin")
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CODE = "999997"
DAY = timedelta(days=1)
#: How far the oracle walks between two instants before it only samples (a 24-hour config runs for months).
WALK_LIMIT = timedelta(days=12)

Window = tuple[datetime, datetime]
T = TypeVar("T")
Span = tuple[int, int]


@dataclass(frozen=True)
class Scenario:
    """One random calendar, kept in plain values so that the oracle does not read the config models."""

    zone: ZoneInfo
    open: int
    close: int
    year_end: tuple[tuple[int, int], tuple[int, int]]
    cutoff: int
    grace: int
    store_hours: Mapping[int, Span | None]  # weekday -> span, None = closed all day; absent = all day
    store_closed: frozenset[date]
    stops: tuple[Window, ...]
    closed: tuple[tuple[date, date], ...]  # inclusive; first == last is written as a bare date
    maintenance: tuple[Window, ...]
    koseki: tuple[int, int, bool, bool] | None  # open, close, weekdays_only, on_holidays
    holidays: frozenset[date]  # what the provider says
    added: frozenset[date]
    removed: frozenset[date]
    municipality: str | None  # what decide() is asked about
    document: str | None

    def mapping(self) -> dict[str, object]:
        """The `[calendar]` table that says the same, as tomllib would return it."""
        first, last = self.year_end
        data: dict[str, object] = {
            "time_zone": self.zone.key,
            "open": hhmm(self.open),
            "close": hhmm(self.close),
            "year_end": {"from": f"{first[0]:02d}-{first[1]:02d}", "to": f"{last[0]:02d}-{last[1]:02d}"},
            "last_start_minutes": self.cutoff,
            "grace_minutes": self.grace,
            "store": {
                "hours": {
                    WEEKDAY_KEYS[day]: [] if span is None else [hhmm(span[0]), hhmm(span[1])]
                    for day, span in self.store_hours.items()
                },
                "closed": sorted(self.store_closed),
            },
            "stops": [{"start": start, "end": end} for start, end in self.stops],
            "holidays": {
                "add": [{"date": day, "name": "臨時の休日"} for day in sorted(self.added)],
                "remove": sorted(self.removed),
            },
        }
        town: dict[str, object] = {
            "closed": [
                first if first == last else {"from": first, "to": last} for first, last in self.closed
            ],
            "maintenance": [{"start": start, "end": end} for start, end in self.maintenance],
        }
        if self.koseki is not None:
            opening, closing, weekdays_only, on_holidays = self.koseki
            town["documents"] = {
                "koseki": {
                    "open": hhmm(opening),
                    "close": hhmm(closing),
                    "weekdays_only": weekdays_only,
                    "on_holidays": on_holidays,
                }
            }
        data["municipalities"] = {CODE: town}
        return data


class FakeHolidays:
    def __init__(self, days: Iterable[date]) -> None:
        self.days = frozenset(days)

    def name(self, day: date) -> str | None:
        return "祝日" if day in self.days else None

    def year(self, year: int) -> Mapping[date, str]:
        return {day: "祝日" for day in sorted(self.days) if day.year == year}


def utc(instant: datetime) -> datetime:
    """The calendar answers in its zone, where "-" and "<" are wall-clock operations: compare in UTC."""
    assert instant.tzinfo is not None
    return instant.astimezone(UTC)


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# -- the oracle --------------------------------------------------------------------------------------------


def in_year_end(s: Scenario, day: date) -> bool:
    first, last = s.year_end
    key = (day.month, day.day)
    return first <= key <= last if first <= last else key >= first or key <= last


def windows(s: Scenario) -> tuple[Window, ...]:
    return s.stops + (s.maintenance if s.municipality else ())


def koseki_rules(s: Scenario) -> tuple[int, int, bool, bool] | None:
    return s.koseki if s.municipality == CODE and s.document == "koseki" else None


def is_holiday(s: Scenario, day: date) -> bool:
    return day in s.added or (day not in s.removed and day in s.holidays)


def within(clock: timedelta, span: Span) -> bool:
    return timedelta(minutes=span[0]) <= clock < timedelta(minutes=span[1])


def rule_ok(s: Scenario, instant: datetime) -> bool:
    """Every rule, evaluated at one instant on the calendar zone's wall clock."""
    local = instant.astimezone(s.zone)
    day = local.date()
    clock = timedelta(
        hours=local.hour, minutes=local.minute, seconds=local.second, microseconds=local.microsecond
    )
    if in_year_end(s, day) or day in s.store_closed:
        return False
    if s.municipality and any(first <= day <= last for first, last in s.closed):
        return False
    if any(start <= instant < end for start, end in windows(s)):
        return False
    store = s.store_hours.get(day.weekday(), (0, 1440))
    if store is None or not within(clock, store) or not within(clock, (s.open, s.close)):
        return False
    rules = koseki_rules(s)
    if rules is None:
        return True
    opening, closing, weekdays_only, on_holidays = rules
    if weekdays_only and day.weekday() >= 5:
        return False
    if not on_holidays and is_holiday(s, day):
        return False
    return within(clock, (opening, closing))


def local_instant(s: Scenario, day: date, minutes: int) -> datetime:
    return (datetime.combine(day, time()) + timedelta(minutes=minutes)).replace(tzinfo=s.zone)


def boundaries(s: Scenario, low: datetime, high: datetime) -> list[datetime]:
    """Every instant in (low, high] at which some rule may switch, in order."""
    found: set[datetime] = set()
    day = low.astimezone(s.zone).date() - DAY
    while day <= high.astimezone(s.zone).date() + DAY:
        minutes = {0, s.open, s.close}
        store = s.store_hours.get(day.weekday(), (0, 1440))
        if store is not None:
            minutes |= set(store)
        if s.koseki is not None:
            minutes |= set(s.koseki[:2])
        found |= {local_instant(s, day, minute) for minute in minutes}
        day += DAY
    found |= {edge for window in windows(s) for edge in window}
    return sorted(instant.astimezone(UTC) for instant in found if low < instant <= high)


def servable(s: Scenario, instant: datetime) -> bool:
    if not rule_ok(s, instant):
        return False
    horizon = instant + timedelta(minutes=s.cutoff)
    return all(rule_ok(s, point) for point in [*boundaries(s, instant, horizon), horizon])


def expected_reason(s: Scenario, instant: datetime) -> str | None:
    """The first reason, in the documented order, that applies at `instant`; None when servable."""
    if servable(s, instant):
        return None
    local = instant.astimezone(s.zone)
    day = local.date()
    clock = timedelta(
        hours=local.hour, minutes=local.minute, seconds=local.second, microseconds=local.microsecond
    )
    store = s.store_hours.get(day.weekday(), (0, 1440))
    rules = koseki_rules(s)
    checks = [
        ("year-end", in_year_end(s, day)),
        ("closure", bool(s.municipality) and any(first <= day <= last for first, last in s.closed)),
        ("maintenance", in_window(s, instant)),
        ("store-closed", day in s.store_closed or store is None or not within(clock, store)),
        ("holiday", rules is not None and not rules[3] and is_holiday(s, day)),
        (
            "document-hours",
            rules is not None
            and ((rules[2] and day.weekday() >= 5) or not within(clock, (rules[0], rules[1]))),
        ),
    ]
    for reason, applies in checks:
        if applies:
            return reason
    if rule_ok(s, instant):  # inside a period, past its last start: what ends the period?
        horizon = instant + timedelta(minutes=s.cutoff)
        end = next(point for point in [*boundaries(s, instant, horizon), horizon] if not rule_ok(s, point))
        return "maintenance" if in_window(s, end) else "after-hours"
    return "before-hours" if clock < timedelta(minutes=s.open) else "after-hours"


def in_window(s: Scenario, instant: datetime) -> bool:
    return any(start <= instant < end for start, end in windows(s))


def steady_offset(s: Scenario, low: datetime, high: datetime) -> bool:
    """No clock change in the zone from low - 1 day to high + 1 day.

    Offsets are sampled every 20 days: these zones change at most twice a year, months apart, so two changes
    cannot hide between two samples.
    """
    points = [low - DAY]
    while points[-1] < high + DAY:
        points.append(min(points[-1] + timedelta(days=20), high + DAY))
    return len({point.astimezone(s.zone).utcoffset() for point in points}) == 1


# -- random scenarios ----------------------------------------------------------------------------------------
# Strategies are built once here: hypothesis validates every strategy object it meets, and building them
# inside the composites (with arguments that change per example) made generation the slowest part.

starts_of_day = st.one_of(st.integers(0, 95).map(lambda quarter: quarter * 15), st.integers(0, 1439))
lengths = st.one_of(st.integers(1, 1440), st.just(1440), st.integers(1, 96).map(lambda quarter: quarter * 15))
day_offsets = st.integers(-10, 10)
fixed_offsets = st.integers(-12 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
base_dates = st.dates(date(2016, 1, 10), date(2030, 12, 20))
instant_offsets = st.one_of(
    st.integers(-3 * 1440, 5 * 1440).map(lambda minutes: timedelta(minutes=minutes)),
    st.integers(-3 * 86400, 5 * 86400).map(lambda seconds: timedelta(seconds=seconds)),
)


@st.composite
def spans(draw: st.DrawFn) -> Span:
    start = draw(starts_of_day)
    return start, min(start + draw(lengths), 1440)


store_days = st.dictionaries(st.integers(0, 6), st.one_of(st.none(), spans()), max_size=4)
koseki_flags = st.tuples(spans(), st.booleans(), st.booleans())


@st.composite
def year_ends(draw: st.DrawFn) -> tuple[tuple[int, int], tuple[int, int]]:
    """The usual 12-29..01-03 or a short random stretch that may wrap the year or cover 02-29."""
    if draw(st.booleans()):
        return (12, 29), (1, 3)
    first = date(2000, 1, 1) + timedelta(days=draw(st.integers(0, 365)))  # a leap year: 02-29 can be drawn
    last = first + timedelta(days=draw(st.integers(1, 20)))
    return (first.month, first.day), (last.month, last.day)


def _maybe_reversed(draw: st.DrawFn, items: list[T]) -> tuple[T, ...]:
    # The file's order need not be the calendar's: overlaps are checked whatever the order.
    return tuple(reversed(items)) if draw(st.booleans()) else tuple(items)


@st.composite
def day_ranges(draw: st.DrawFn, base: date) -> tuple[tuple[date, date], ...]:
    """Disjoint inclusive ranges near `base`, built in order so that they validate."""
    cursor = base - timedelta(days=draw(st.integers(0, 12)))
    ranges = []
    for _ in range(draw(st.integers(0, 3))):
        first = cursor + timedelta(days=draw(st.integers(0, 6)))
        last = first + timedelta(days=draw(st.integers(0, 5)))
        ranges.append((first, last))
        cursor = last + DAY
    return _maybe_reversed(draw, ranges)


@st.composite
def time_windows(draw: st.DrawFn, base: datetime) -> tuple[Window, ...]:
    """Disjoint windows near `base` (touching allowed), written in random offsets."""
    cursor = base - timedelta(minutes=draw(st.integers(0, 4 * 1440)))
    found = []
    for _ in range(draw(st.integers(0, 3))):
        start = cursor + timedelta(minutes=draw(st.integers(0, 2 * 1440)))
        end = start + timedelta(
            minutes=draw(st.integers(1, 2 * 1440)), seconds=draw(st.sampled_from([0, 0, 17]))
        )
        found.append((start.astimezone(draw(fixed_offsets)), end.astimezone(draw(fixed_offsets))))
        cursor = end
    return _maybe_reversed(draw, found)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[Scenario, datetime]:
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    base = draw(base_dates)
    base_instant = datetime.combine(base, time(), zone).astimezone(UTC)

    def near(max_size: int) -> frozenset[date]:
        return frozenset(
            base + timedelta(days=days) for days in draw(st.frozensets(day_offsets, max_size=max_size))
        )

    opening, closing = draw(st.one_of(st.just((390, 1380)), spans()))
    added = near(2)
    koseki = draw(st.one_of(st.none(), koseki_flags))
    scenario = Scenario(
        zone=zone,
        open=opening,
        close=closing,
        year_end=draw(year_ends()),
        cutoff=draw(st.sampled_from([0, 10, 10, 1, 30, 120])),
        grace=draw(st.integers(0, 60)),
        store_hours=draw(store_days),
        store_closed=near(2),
        stops=draw(time_windows(base_instant)),
        closed=draw(day_ranges(base)),
        maintenance=draw(time_windows(base_instant)),
        koseki=None if koseki is None else (*koseki[0], koseki[1], koseki[2]),
        holidays=near(4),
        added=added,
        removed=near(2) - added,
        municipality=draw(st.sampled_from([None, CODE, CODE])),
        document=draw(st.sampled_from([None, "koseki", "koseki", "juminhyo"])),
    )
    instant = (base_instant + draw(instant_offsets)).astimezone(draw(fixed_offsets))
    return scenario, instant


def service(scenario: Scenario) -> ServiceCalendar:
    config = CalendarConfig.from_mapping(scenario.mapping(), source="property.toml")
    return ServiceCalendar(config, FakeHolidays(scenario.holidays))


def ask(scenario: Scenario, calendar: ServiceCalendar, instant: datetime) -> bool:
    return calendar.decide(instant, municipality=scenario.municipality, document=scenario.document).open


PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# -- properties ------------------------------------------------------------------------------------------


def open_instant(
    scenario: Scenario, calendar: ServiceCalendar, near: datetime, data: st.DataObject
) -> datetime:
    """An instant at which service is open, drawn from the open periods of the week after `near`."""
    first_day = near.astimezone(scenario.zone).date()
    cutoff = timedelta(minutes=scenario.cutoff)
    candidates = [
        (start, end)
        for offset in range(7)
        for start, end in calendar.open_periods(
            first_day + timedelta(days=offset), municipality=scenario.municipality, document=scenario.document
        )
    ]
    assume(candidates)
    start, end = (utc(edge) for edge in data.draw(st.sampled_from(candidates)))
    fraction = data.draw(st.sampled_from([0.0, 0.5, 0.999999]) | st.floats(0, 1))
    instant = start + (end - start) * fraction
    # A day's piece may be the tail of a period that ends within the cutoff: such an instant is not open.
    decision = calendar.decide(instant, municipality=scenario.municipality, document=scenario.document)
    assume(decision.open)
    assert decision.closes_at is not None and utc(decision.closes_at) - cutoff > instant
    return instant.astimezone(data.draw(fixed_offsets))


@PROPERTY
@given(scenarios(), st.data())
def test_an_open_instant_runs_to_closes_at(case: tuple[Scenario, datetime], data: st.DataObject) -> None:
    scenario, near = case
    calendar = service(scenario)
    instant = open_instant(scenario, calendar, near, data)
    decision = calendar.decide(instant, municipality=scenario.municipality, document=scenario.document)
    assert (
        decision.open
        and decision.closes_at is not None
        and decision.reason is None
        and decision.next_open is None
    )
    closes_at = utc(decision.closes_at)
    last_start = closes_at - timedelta(minutes=scenario.cutoff)
    assert last_start > instant
    assert not ask(scenario, calendar, closes_at)
    assert not ask(scenario, calendar, last_start)
    assert ask(scenario, calendar, last_start - timedelta(microseconds=1))
    deadline = calendar.transaction_deadline(
        instant, municipality=scenario.municipality, document=scenario.document
    )
    assert deadline == closes_at + timedelta(minutes=scenario.grace)
    if steady_offset(scenario, instant, closes_at):
        assert servable(scenario, instant)
        # The period really ends at closes_at: every rule holds up to it and one fails there.
        assert not rule_ok(scenario, closes_at)
        inside = boundaries(scenario, instant, min(closes_at, instant + WALK_LIMIT))
        assert all(rule_ok(scenario, point) for point in inside if point < closes_at)


@PROPERTY
@given(scenarios(), st.lists(st.floats(0, 1), max_size=8))
def test_next_open_is_the_first_open_instant(case: tuple[Scenario, datetime], samples: list[float]) -> None:
    scenario, instant = case
    calendar = service(scenario)
    decision = calendar.decide(instant, municipality=scenario.municipality, document=scenario.document)
    assume(not decision.open)
    assert decision.reason is not None and decision.closes_at is None
    upcoming = None if decision.next_open is None else utc(decision.next_open)
    if upcoming is None:
        # Nothing in the horizon: no boundary in the first weeks opens either.
        points = boundaries(scenario, instant, instant + WALK_LIMIT)
        assert not any(ask(scenario, calendar, point) for point in points)
        return
    assert upcoming > instant
    assert ask(scenario, calendar, upcoming)
    # Any open instant before next_open would lie in a period starting at a boundary after t: none is open.
    gap = upcoming - instant
    between = boundaries(scenario, instant, min(upcoming, instant + WALK_LIMIT))
    if gap > WALK_LIMIT:
        between += boundaries(scenario, upcoming - WALK_LIMIT, upcoming)
    between += [instant + gap * fraction for fraction in samples]
    between.append(upcoming - timedelta(microseconds=1))
    oracle = steady_offset(scenario, instant, upcoming)
    for point in between:
        if instant < point < upcoming:
            assert not ask(scenario, calendar, point)
            assert not (oracle and servable(scenario, point))
    if oracle:
        assert servable(scenario, upcoming)


@PROPERTY
@given(scenarios())
def test_decide_agrees_with_the_oracle(case: tuple[Scenario, datetime]) -> None:
    scenario, instant = case
    calendar = service(scenario)
    decision = calendar.decide(instant, municipality=scenario.municipality, document=scenario.document)
    # Answers do not depend on the offset the question came in, on earlier questions, or on a clock.
    fresh = service(scenario).decide(
        instant.astimezone(UTC), municipality=scenario.municipality, document=scenario.document
    )
    assert decision == fresh
    assert (decision.reason is None) == decision.open
    untrusted = calendar.decide(instant, municipality=scenario.municipality, clock_trusted=False)
    assert untrusted.to_dict() == {
        "open": False,
        "reason": "clock-untrusted",
        "closes_at": None,
        "next_open": None,
    }
    if steady_offset(scenario, instant, instant):
        assert decision.open == servable(scenario, instant)
        assert decision.to_dict()["reason"] == expected_reason(scenario, instant)
    check_open_periods(scenario, calendar, instant)


def check_open_periods(scenario: Scenario, calendar: ServiceCalendar, instant: datetime) -> None:
    """The day's periods are ordered, inside the day, maximal where the rules say so, and hold `instant`."""
    day = instant.astimezone(scenario.zone).date()
    periods = calendar.open_periods(day, municipality=scenario.municipality, document=scenario.document)
    assert all(start.tzinfo is scenario.zone for start, _ in periods)
    periods = [(utc(start), utc(end)) for start, end in periods]
    day_start = datetime.combine(day, time(), scenario.zone).astimezone(UTC)
    day_end = datetime.combine(day + DAY, time(), scenario.zone).astimezone(UTC)
    previous_end = day_start - timedelta(microseconds=1)
    for start, end in periods:
        assert day_start <= start < end <= day_end and start > previous_end
        previous_end = end
        if steady_offset(scenario, start, end):
            assert rule_ok(scenario, start)
            assert rule_ok(scenario, end - timedelta(microseconds=1))
            assert end == day_end or not rule_ok(scenario, end)
    if steady_offset(scenario, instant, instant) and servable(scenario, instant):
        assert any(start <= instant < end for start, end in periods)
