"""The service calendar's settings: the `[calendar]` table of the site file (`kiosk.toml`).

Only that table is read here; the file's other tables belong to `kiosk.settings`. The table is checked
completely when loaded, so a mistyped closure or an overlapping maintenance window stops the terminal at
start-up instead of refusing (or serving) residents on the wrong day. Every problem is a
`ConfigError(path, key, problem)` whose key is the dotted path from the file's root
(`calendar.municipalities.999997.closed[1].to`) and whose problem states the rule, never the value.

Times of day are "HH:MM" strings held as minutes after local midnight (`close` may be "24:00" = 1440), because
TOML's local time cannot say 24:00 and a window that runs to midnight is common. Dates are TOML dates;
instants are TOML offset date-times, since a stop without an offset would mean a different instant on a
terminal whose system zone is not the calendar's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Final, Self, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from kiosk.config_file import FieldProblem, config_error, read_toml
from kiosk.errors import ConfigError

__all__ = [
    "DEFAULT_SOURCE",
    "DOCUMENT_TYPES",
    "MINUTES_PER_DAY",
    "WEEKDAYS",
    "CalendarConfig",
    "DayRange",
    "DocumentHours",
    "HolidayOverrides",
    "MunicipalityCalendar",
    "StoreCalendar",
    "StoreHours",
    "TimeWindow",
    "YearEnd",
    "format_minutes",
    "load_calendar_config",
]

MINUTES_PER_DAY: Final = 24 * 60
#: The documents a calendar may give their own hours (戸籍 and its 附票 often have weekday office hours only).
DOCUMENT_TYPES: Final = ("juminhyo", "inkan", "koseki", "fuhyo")
#: Store-hours keys, in `date.weekday()` order.
WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_SOURCE: Final = "<calendar config>"

_ROOT: Final = "calendar"  # where the table sits in the file: the first part of every key path
_SOURCE: Final = "source"  # validation context key: the file's name, for errors raised after loading
_MAX_LIST: Final = 1000  # a calendar lists a few dozen days; a bound keeps a generated mistake small

T = TypeVar("T")


def _as_tuple(value: object) -> object:
    # TOML arrays arrive as lists; the models hold tuples so that a loaded config cannot be edited in place.
    return tuple(value) if isinstance(value, list) else value


Array = Annotated[tuple[T, ...], BeforeValidator(_as_tuple), Field(max_length=_MAX_LIST)]


def _minutes(value: object, *, allow_midnight_end: bool) -> int:
    hours, colon, minutes = value.partition(":") if isinstance(value, str) else ("", "", "")
    digits = hours + minutes
    if not (colon and len(hours) == 2 and len(minutes) == 2 and digits.isascii() and digits.isdigit()):
        raise ValueError('must be a "HH:MM" string')
    total = int(hours) * 60 + int(minutes)
    if allow_midnight_end and total == MINUTES_PER_DAY:
        return total
    if int(hours) > 23 or int(minutes) > 59:
        last = "24:00" if allow_midnight_end else "23:59"
        raise ValueError(f'must be a time from "00:00" to "{last}"')
    return total


def _opening(value: object) -> int:
    return _minutes(value, allow_midnight_end=False)


def _closing(value: object) -> int:
    return _minutes(value, allow_midnight_end=True)


#: "HH:MM" → minutes after midnight, 0 … 1439.
OpeningTime = Annotated[int, BeforeValidator(_opening)]
#: "HH:MM" or "24:00" → minutes after midnight, 0 … 1440.
ClosingTime = Annotated[int, BeforeValidator(_closing)]


def format_minutes(minutes: int) -> str:
    """Minutes after midnight as "HH:MM" (1440 → "24:00"), the way the file writes them."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _month_day(value: str) -> str:
    month, dash, day = value.partition("-")
    digits = month + day
    if not (dash and len(month) == 2 and len(day) == 2 and digits.isascii() and digits.isdigit()):
        raise ValueError('must be a "MM-DD" month and day')
    try:
        date(2000, int(month), int(day))  # a leap year: 02-29 is a real month-day
    except ValueError:
        raise ValueError("must be a real month and day") from None
    return value


MonthDay = Annotated[str, AfterValidator(_month_day)]


def _municipality_code(value: str) -> str:
    if len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ValueError("must be a 6-digit municipality code")
    return value


def _document_type(value: str) -> str:
    if value not in DOCUMENT_TYPES:
        raise ValueError(f"unknown document type (known: {', '.join(DOCUMENT_TYPES)})")
    return value


MunicipalityCode = Annotated[str, AfterValidator(_municipality_code)]
DocumentType = Annotated[str, AfterValidator(_document_type)]


def _printable(value: str) -> str:
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise ValueError("must not contain control characters")
    return value


HolidayName = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_printable)]


def _plain_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


class _Section(BaseModel):
    # strict: TOML already has types, so "10" for a count or a date-time for a date is a mistake, not a value.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class YearEnd(_Section):
    """Closed every year from `from` through `to`, inclusive month-days; `to` before `from` wraps the year."""

    first: MonthDay = Field(default="12-29", alias="from")
    last: MonthDay = Field(default="01-03", alias="to")
    #: false only on test terminals whose suites must pass on any day of the year; never in a store.
    enabled: bool = True

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        # Equal ends could mean one day or the whole year; the file has to say which by other means.
        if self.first == self.last:
            raise FieldProblem(("to",), "must differ from from")
        return self

    def contains(self, day: date) -> bool:
        if not self.enabled:
            return False
        key = f"{day.month:02d}-{day.day:02d}"
        if self.first <= self.last:
            return self.first <= key <= self.last
        return key >= self.first or key <= self.last


def _day_hours(value: object) -> object:
    """[] (closed all day) or ["HH:MM", "HH:MM"] with open before close, as a tuple of minutes."""
    if not isinstance(value, list | tuple) or len(value) not in (0, 2):
        raise ValueError('must be [] or ["HH:MM", "HH:MM"]')
    if not value:
        return ()
    opening, closing = _opening(value[0]), _closing(value[1])
    if closing <= opening:
        raise ValueError("closing time must be after opening time")
    return (opening, closing)


DayHours = Annotated[tuple[int, ...], BeforeValidator(_day_hours)]


class StoreHours(_Section):
    """The store's opening hours per weekday; an absent day is open 00:00-24:00, `[]` is closed all day."""

    mon: DayHours | None = None
    tue: DayHours | None = None
    wed: DayHours | None = None
    thu: DayHours | None = None
    fri: DayHours | None = None
    sat: DayHours | None = None
    sun: DayHours | None = None

    def span(self, weekday: int) -> tuple[int, int] | None:
        """(open, close) in minutes for `date.weekday()` `weekday`; None when the store is closed all day."""
        hours: tuple[int, ...] | None = getattr(self, WEEKDAYS[weekday])
        if hours is None:
            return (0, MINUTES_PER_DAY)
        if not hours:
            return None
        return (hours[0], hours[1])


class StoreCalendar(_Section):
    hours: StoreHours = StoreHours()
    closed: Array[date] = ()


class TimeWindow(_Section):
    """A half-open stretch of instants [start, end), e.g. a maintenance window or an operator's stop."""

    start: AwareDatetime
    end: AwareDatetime

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise FieldProblem(("end",), "must be after start")
        return self

    def overlaps(self, other: TimeWindow) -> bool:
        return self.start < other.end and other.start < self.end


class DayRange(_Section):
    """Whole local days `from` through `to`, inclusive; a bare TOML date in the file is a one-day range."""

    first: date = Field(alias="from")
    last: date = Field(alias="to")

    @model_validator(mode="before")
    @classmethod
    def _from_date_or_range(cls, value: object) -> object:
        if _plain_date(value):
            return {"from": value, "to": value}
        # Checked here, before the types, because only a written range may not end on its first day:
        # the one-day range made from a bare date above does.
        if isinstance(value, Mapping):
            first, last = value.get("from"), value.get("to")
            if _plain_date(first) and _plain_date(last) and last <= first:  # type: ignore[operator]
                raise FieldProblem(("to",), "must be after from")
        return value

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    def overlaps(self, other: DayRange) -> bool:
        return self.first <= other.last and other.first <= self.last


class DocumentHours(_Section):
    """One document's own rules in one municipality, on top of the daily window."""

    open: OpeningTime = 0
    close: ClosingTime = MINUTES_PER_DAY
    weekdays_only: bool = False  # Saturdays and Sundays closed for this document
    on_holidays: bool = True  # False: national holidays closed for this document

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.close <= self.open:
            raise FieldProblem(("close",), "must be after open")
        return self


class MunicipalityCalendar(_Section):
    closed: Array[DayRange] = ()
    maintenance: Array[TimeWindow] = ()
    documents: dict[DocumentType, DocumentHours] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _no_overlaps(self) -> Self:
        _check_disjoint("closed", self.closed)
        _check_disjoint("maintenance", self.maintenance)
        return self

    def closed_on(self, day: date) -> bool:
        return any(entry.contains(day) for entry in self.closed)


class AddedHoliday(_Section):
    day: date = Field(alias="date")
    name: HolidayName


class HolidayOverrides(_Section):
    """Corrections to the national-holiday library: days announced after its release, or withdrawn."""

    add: Array[AddedHoliday] = ()
    remove: Array[date] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        seen: set[date] = set()
        for index, entry in enumerate(self.add):
            if entry.day in seen:
                raise FieldProblem(("add", index, "date"), "added twice")
            seen.add(entry.day)
        removed: set[date] = set()
        for index, day in enumerate(self.remove):
            if day in seen:
                raise FieldProblem(("remove", index), "also added")
            if day in removed:
                raise FieldProblem(("remove", index), "removed twice")
            removed.add(day)
        return self

    def added(self) -> dict[date, str]:
        return {entry.day: entry.name for entry in self.add}


_Spanning = TypeVar("_Spanning", DayRange, TimeWindow)


def _check_disjoint(field: str, entries: tuple[_Spanning, ...]) -> None:
    # Overlaps are mistakes (a range typed twice, a window that was meant to replace another), so the later
    # entry in the file is blamed, naming the earlier one. Lists are short: the quadratic scan is fine.
    for later, entry in enumerate(entries):
        for earlier in range(later):
            if entry.overlaps(entries[earlier]):
                raise FieldProblem((field, later), f"overlaps {field}[{earlier}]")


class CalendarConfig(_Section):
    """The whole `[calendar]` table. Times of day are minutes after local midnight in `time_zone`."""

    time_zone: str = "Asia/Tokyo"
    open: OpeningTime = 6 * 60 + 30
    close: ClosingTime = 23 * 60
    year_end: YearEnd = YearEnd()
    last_start_minutes: Annotated[int, Field(ge=0, le=120)] = 10
    grace_minutes: Annotated[int, Field(ge=0, le=60)] = 5
    #: Refuse service (clock-untrusted) unless the kernel says the clock is synchronised (adjtimex). Only a
    #: test or demo machine without a time daemon turns this off; the backend's Date header is checked anyway.
    require_synchronised_clock: bool = True
    store: StoreCalendar = StoreCalendar()
    stops: Array[TimeWindow] = ()
    holidays: HolidayOverrides = HolidayOverrides()
    municipalities: dict[MunicipalityCode, MunicipalityCalendar] = Field(default_factory=dict)
    _source: str = PrivateAttr(default=DEFAULT_SOURCE)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of zones, not a zone
            raise ValueError("unknown time zone (must be an IANA name such as Asia/Tokyo)") from None
        return value

    @model_validator(mode="after")
    def _checked(self, info: ValidationInfo) -> Self:
        if self.close <= self.open:
            raise FieldProblem(("close",), "must be after open")
        _check_disjoint("stops", self.stops)
        source = info.context.get(_SOURCE) if info.context else None
        if isinstance(source, str):
            self._source = source
        return self

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], *, source: str = DEFAULT_SOURCE) -> CalendarConfig:
        """Check the contents of a `[calendar]` table (not the whole file); errors name `source`."""
        try:
            return cls.model_validate(dict(data), context={_SOURCE: source})
        except ValidationError as error:
            raise config_error(source, error, root=(_ROOT,)) from None

    @property
    def source(self) -> str:
        """The file this came from (or the name given to `from_mapping`), for errors raised later."""
        return self._source

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)  # ZoneInfo caches instances per key: this is a dict lookup

    def municipality(self, code: str) -> MunicipalityCalendar:
        """The calendar of municipality `code`; a code the file does not list is a ConfigError."""
        entry = self.municipalities.get(code)
        if entry is None:
            raise ConfigError(self._source, f"{_ROOT}.municipalities.{code}", "unknown municipality")
        return entry


def load_calendar_config(path: Path) -> CalendarConfig:
    """Read the `[calendar]` table of the TOML file `path`; no such table gives the defaults."""
    data = read_toml(path)
    table = data.get(_ROOT, {})
    if not isinstance(table, dict):
        raise ConfigError(str(path), _ROOT, "must be a table")
    return CalendarConfig.from_mapping(table, source=str(path))
