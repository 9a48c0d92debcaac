"""Japan's national holidays (国民の祝日 and the days off the law adds), behind a small provider interface.

The kiosk's service calendar (kiosk/calendar.py) asks a `HolidayProvider` and nothing else, so the source can
change (a library today, the Cabinet Office's syukujitsu.csv tomorrow) and tests can pass a fixed one.

`LibraryHolidays` is backed by the `holidays` package (vacanza/holidays). Two traps there are handled here:
- Names follow the process locale unless a language is given: under LANG=C.UTF-8 the library answers
  "New Year's Day". We always ask for "ja".
- A `HolidayBase` object fills years in lazily when asked about a new one, mutating itself, which is not
  safe across threads. We build one fresh object per year, under a lock, and keep only a read-only copy.

`OverriddenHolidays` lays operator configuration over any provider, for days announced after the library was
released (a new one-off holiday) or days it gets wrong.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Protocol

from kiosk.errors import KioskError

__all__ = ["HolidayProvider", "HolidayRangeError", "LibraryHolidays", "OverriddenHolidays"]


def _library_range() -> tuple[int, int]:
    """The library's own supported range for Japan (1949 is the law's first full year).

    The `holidays` package is imported on first use, not with this module: importing it loads every
    country (a quarter of a second), which would delay the kiosk's first frame.
    """
    from holidays.countries.japan import Japan  # noqa: PLC0415

    return Japan.start_year, Japan.end_year


class HolidayProvider(Protocol):
    def name(self, day: date) -> str | None:
        """The Japanese name if `day` is a national holiday (祝日, 振替休日, 国民の休日), else None."""
        ...

    def year(self, year: int) -> Mapping[date, str]:
        """Every national holiday of `year` with its Japanese name, in date order."""
        ...


class HolidayRangeError(KioskError):
    """The provider has no holiday data for this year, so it cannot say which days are holidays."""

    code = "holiday-range"
    reported = ("year",)

    def __init__(self, year: int, first: int, last: int) -> None:
        self.year = year
        self.first = first
        self.last = last
        super().__init__(f"no national holiday data for {year} (covered: {first}–{last})")


class LibraryHolidays:
    """National holidays from the `holidays` package, names in Japanese whatever the locale; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._years: dict[int, Mapping[date, str]] = {}

    def name(self, day: date) -> str | None:
        return self.year(_plain_date(day).year).get(day)

    def year(self, year: int) -> Mapping[date, str]:
        first, last = _library_range()
        if not first <= year <= last:
            # The library answers an empty year outside its range; "no holidays" would be a wrong answer.
            raise HolidayRangeError(year, first, last)
        with self._lock:
            cached = self._years.get(year)
            if cached is None:
                cached = self._years[year] = _library_year(year)
            return cached


def _library_year(year: int) -> Mapping[date, str]:
    # expand=False: the object must never grow other years behind our back. observed=True (the default) is
    # what adds 振替休日 and 国民の休日; PUBLIC leaves out the "bank" category (12/31, 1/2, 1/3).
    import holidays as holidays_library  # noqa: PLC0415 - see _library_range
    from holidays.constants import PUBLIC  # noqa: PLC0415

    table = holidays_library.country_holidays(
        "JP", years=year, expand=False, observed=True, language="ja", categories=(PUBLIC,)
    )
    return MappingProxyType(dict(sorted(table.items())))


class OverriddenHolidays:
    """A provider with configured corrections laid over it.

    `add` days are holidays with the name given; `remove` days are not holidays. Overrides are taken
    literally: nothing is re-derived from them (a Sunday added here brings no 振替休日), because the
    Cabinet Office announces every day off by date, and the configuration should copy that list.
    """

    def __init__(self, base: HolidayProvider, add: Mapping[date, str], remove: Collection[date]) -> None:
        both = set(add) & set(remove)
        if both:
            listed = ", ".join(day.isoformat() for day in sorted(both))
            raise ValueError(f"days both added and removed as holidays: {listed}")
        for day, holiday_name in add.items():
            _plain_date(day)
            if not holiday_name.strip():
                raise ValueError(f"added holiday {day.isoformat()} has no name")
        self._base = base
        self._add = dict(add)
        self._remove = frozenset(_plain_date(day) for day in remove)

    def name(self, day: date) -> str | None:
        if _plain_date(day) in self._remove:
            return None
        added = self._add.get(day)
        return added if added is not None else self._base.name(day)

    def year(self, year: int) -> Mapping[date, str]:
        merged = {day: name for day, name in self._base.year(year).items() if day not in self._remove}
        merged.update((day, name) for day, name in self._add.items() if day.year == year)
        return MappingProxyType(dict(sorted(merged.items())))


def _plain_date(day: date) -> date:
    # A datetime is a date to the type checker but never equal to one as a key: it would silently be "not
    # a holiday". The caller must first turn the instant into a calendar day in Asia/Tokyo.
    if isinstance(day, datetime):
        raise TypeError("a holiday lookup takes a calendar date, not a datetime")
    return day
