"""The service calendar's rules on worked examples: the daily window and its cutoff, year-end, closures,
maintenance and stops, store hours, document hours and holidays, untrusted clocks, deadlines, time zones."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from kiosk.calendar import Decision, Reason, ServiceCalendar
from kiosk.calendar_config import CalendarConfig
from kiosk.errors import ConfigError

JST = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
MINUS_5 = timezone(timedelta(hours=-5))
OFFSET_9 = timezone(timedelta(hours=9))


class FakeHolidays:
    """A holiday provider with a fixed list of days."""

    def __init__(self, days: Mapping[date, str] | None = None) -> None:
        self.days = dict(days or {})

    def name(self, day: date) -> str | None:
        return self.days.get(day)

    def year(self, year: int) -> Mapping[date, str]:
        return {day: name for day, name in sorted(self.days.items()) if day.year == year}


HOLIDAYS = FakeHolidays(
    {
        date(2026, 11, 23): "勤労感謝の日",
        date(2027, 1, 1): "元日",
        date(2027, 5, 5): "こどもの日",
    }
)


def jst(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=JST)


def calendar(data: Mapping[str, object] | None = None, holidays: FakeHolidays = HOLIDAYS) -> ServiceCalendar:
    return ServiceCalendar(CalendarConfig.from_mapping(data or {}, source="test.toml"), holidays)


TOWN = {
    "stops": [
        {"start": datetime(2026, 12, 1, 2, tzinfo=OFFSET_9), "end": datetime(2026, 12, 1, 7, tzinfo=OFFSET_9)}
    ],
    "holidays": {"add": [{"date": date(2027, 5, 6), "name": "臨時の休日"}], "remove": [date(2027, 5, 5)]},
    "municipalities": {
        "999997": {
            "closed": [date(2027, 1, 15), {"from": date(2026, 12, 28), "to": date(2027, 1, 5)}],
            "maintenance": [
                {
                    "start": datetime(2026, 11, 30, 22, tzinfo=OFFSET_9),
                    "end": datetime(2026, 12, 1, 6, tzinfo=OFFSET_9),
                }
            ],
            "documents": {
                "koseki": {"open": "09:00", "close": "17:00", "weekdays_only": True, "on_holidays": False}
            },
        }
    },
}

STORE = {
    "store": {
        "hours": {"mon": ["07:00", "23:00"], "sun": ["08:00", "22:00"], "wed": []},
        "closed": [date(2026, 11, 26)],
    }
}


def closed(reason: Reason, next_open: datetime | None) -> Decision:
    return Decision(open=False, reason=reason, closes_at=None, next_open=next_open)


def opened(closes_at: datetime) -> Decision:
    return Decision(open=True, reason=None, closes_at=closes_at, next_open=None)


def assert_decision(actual: Decision, expected: Decision) -> None:
    assert actual == expected
    for instant in (actual.closes_at, actual.next_open):
        # Answers are given in the calendar's zone whatever zone the question was asked in.
        assert instant is None or instant.tzinfo is JST


# -- the daily window --------------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", [JST, UTC, MINUS_5], ids=["jst", "utc", "minus5"])
@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (jst(2026, 11, 24, 0, 0), closed(Reason.BEFORE_HOURS, jst(2026, 11, 24, 6, 30))),
        (jst(2026, 11, 24, 6, 29, 59, 999000), closed(Reason.BEFORE_HOURS, jst(2026, 11, 24, 6, 30))),
        (jst(2026, 11, 24, 6, 30), opened(jst(2026, 11, 24, 23, 0))),
        (jst(2026, 11, 24, 12, 0), opened(jst(2026, 11, 24, 23, 0))),
        (jst(2026, 11, 24, 22, 49, 59), opened(jst(2026, 11, 24, 23, 0))),
        (jst(2026, 11, 24, 22, 49, 59, 999999), opened(jst(2026, 11, 24, 23, 0))),
        (jst(2026, 11, 24, 22, 50), closed(Reason.AFTER_HOURS, jst(2026, 11, 25, 6, 30))),
        (jst(2026, 11, 24, 22, 59, 59), closed(Reason.AFTER_HOURS, jst(2026, 11, 25, 6, 30))),
        (jst(2026, 11, 24, 23, 0), closed(Reason.AFTER_HOURS, jst(2026, 11, 25, 6, 30))),
        (jst(2026, 11, 24, 23, 1), closed(Reason.AFTER_HOURS, jst(2026, 11, 25, 6, 30))),
        (jst(2026, 11, 24, 23, 59, 59), closed(Reason.AFTER_HOURS, jst(2026, 11, 25, 6, 30))),
    ],
)
def test_default_window_and_cutoff(instant: datetime, expected: Decision, zone: timezone | ZoneInfo) -> None:
    assert_decision(calendar().decide(instant.astimezone(zone)), expected)


def test_an_ordinary_sunday_morning_is_open() -> None:
    assert jst(2026, 11, 22).weekday() == 6
    assert_decision(calendar().decide(jst(2026, 11, 22, 10)), opened(jst(2026, 11, 22, 23)))


def test_to_dict_gives_rfc3339_in_the_calendars_zone() -> None:
    service = calendar()
    assert service.decide(datetime(2026, 11, 24, 1, tzinfo=UTC)).to_dict() == {
        "open": True,
        "reason": None,
        "closes_at": "2026-11-24T23:00:00+09:00",
        "next_open": None,
    }
    assert service.decide(datetime(2026, 11, 24, 14, tzinfo=UTC)).to_dict() == {
        "open": False,
        "reason": "after-hours",
        "closes_at": None,
        "next_open": "2026-11-25T06:30:00+09:00",
    }


def test_no_cutoff_means_open_until_the_end() -> None:
    service = calendar({"last_start_minutes": 0})
    assert_decision(service.decide(jst(2026, 11, 24, 22, 59, 59)), opened(jst(2026, 11, 24, 23)))
    assert_decision(
        service.decide(jst(2026, 11, 24, 23)), closed(Reason.AFTER_HOURS, jst(2026, 11, 25, 6, 30))
    )


# -- year end, leap days ---------------------------------------------------------------------------------


def _year_end_days() -> Iterator[date]:
    day = date(2026, 12, 29)
    while day <= date(2027, 1, 3):
        yield day
        day += timedelta(days=1)


@pytest.mark.parametrize("day", list(_year_end_days()), ids=str)
@pytest.mark.parametrize(("hour", "minute", "second"), [(0, 0, 0), (6, 30, 0), (10, 0, 0), (23, 59, 59)])
def test_year_end_is_closed_across_the_new_year(day: date, hour: int, minute: int, second: int) -> None:
    instant = jst(day.year, day.month, day.day, hour, minute, second)
    assert_decision(calendar().decide(instant), closed(Reason.YEAR_END, jst(2027, 1, 4, 6, 30)))


def test_around_the_year_end() -> None:
    service = calendar()
    assert_decision(service.decide(jst(2026, 12, 28, 22, 49)), opened(jst(2026, 12, 28, 23)))
    assert_decision(
        service.decide(jst(2026, 12, 28, 22, 55)), closed(Reason.AFTER_HOURS, jst(2027, 1, 4, 6, 30))
    )
    assert_decision(service.decide(jst(2027, 1, 4, 6, 30)), opened(jst(2027, 1, 4, 23)))
    assert service.open_periods(date(2026, 12, 31)) == []


def test_leap_day() -> None:
    service = calendar()
    assert_decision(service.decide(jst(2028, 2, 28, 23)), closed(Reason.AFTER_HOURS, jst(2028, 2, 29, 6, 30)))
    assert_decision(service.decide(jst(2028, 2, 29, 12)), opened(jst(2028, 2, 29, 23)))
    assert_decision(service.decide(jst(2028, 2, 29, 23)), closed(Reason.AFTER_HOURS, jst(2028, 3, 1, 6, 30)))
    # A closure written from 02-29 covers it in leap years only.
    leap_closed = calendar({"year_end": {"from": "02-29", "to": "03-01"}})
    assert leap_closed.decide(jst(2028, 2, 29, 12)).reason == Reason.YEAR_END
    assert_decision(leap_closed.decide(jst(2027, 2, 28, 12)), opened(jst(2027, 2, 28, 23)))
    assert_decision(leap_closed.decide(jst(2027, 3, 1, 12)), closed(Reason.YEAR_END, jst(2027, 3, 2, 6, 30)))


# -- municipalities: closures, maintenance, documents, holidays ----------------------------------------------


def test_municipal_closure_across_the_new_year() -> None:
    service = calendar(TOWN)
    town = {"municipality": "999997"}
    assert_decision(
        service.decide(jst(2026, 12, 28, 10), **town), closed(Reason.CLOSURE, jst(2027, 1, 6, 6, 30))
    )
    # year-end comes first in the order of reasons
    assert_decision(
        service.decide(jst(2026, 12, 30, 10), **town), closed(Reason.YEAR_END, jst(2027, 1, 6, 6, 30))
    )
    assert_decision(
        service.decide(jst(2027, 1, 4, 10), **town), closed(Reason.CLOSURE, jst(2027, 1, 6, 6, 30))
    )
    assert_decision(
        service.decide(jst(2027, 1, 5, 23, 59, 59), **town), closed(Reason.CLOSURE, jst(2027, 1, 6, 6, 30))
    )
    assert_decision(service.decide(jst(2027, 1, 6, 6, 30), **town), opened(jst(2027, 1, 6, 23)))
    assert_decision(
        service.decide(jst(2027, 1, 15, 10), **town), closed(Reason.CLOSURE, jst(2027, 1, 16, 6, 30))
    )
    # the terminal as a whole is only closed for the year end
    assert_decision(service.decide(jst(2026, 12, 28, 10)), opened(jst(2026, 12, 28, 23)))
    assert_decision(service.decide(jst(2027, 1, 4, 10)), opened(jst(2027, 1, 4, 23)))


def test_maintenance_window_across_midnight_and_an_operator_stop() -> None:
    service = calendar(TOWN)
    town = {"municipality": "999997"}
    assert_decision(service.decide(jst(2026, 11, 30, 21, 49, 59), **town), opened(jst(2026, 11, 30, 22)))
    # the last start before a maintenance window: the window is the reason; the stop (02:00-07:00) merges
    # with the window (22:00-06:00), so the next opening is 07:00
    assert_decision(
        service.decide(jst(2026, 11, 30, 21, 50), **town), closed(Reason.MAINTENANCE, jst(2026, 12, 1, 7))
    )
    for instant in (
        jst(2026, 11, 30, 22),
        jst(2026, 11, 30, 23, 30),
        jst(2026, 12, 1, 5),
        jst(2026, 12, 1, 6, 45),
    ):
        assert_decision(service.decide(instant, **town), closed(Reason.MAINTENANCE, jst(2026, 12, 1, 7)))
    assert_decision(service.decide(jst(2026, 12, 1, 7), **town), opened(jst(2026, 12, 1, 23)))
    # terminal-wide: no municipal window, only the operator's stop
    assert_decision(service.decide(jst(2026, 11, 30, 21, 55)), opened(jst(2026, 11, 30, 23)))
    assert_decision(service.decide(jst(2026, 12, 1, 1)), closed(Reason.BEFORE_HOURS, jst(2026, 12, 1, 7)))
    assert_decision(service.decide(jst(2026, 12, 1, 2, 30)), closed(Reason.MAINTENANCE, jst(2026, 12, 1, 7)))
    assert_decision(service.decide(jst(2026, 12, 1, 6, 30)), closed(Reason.MAINTENANCE, jst(2026, 12, 1, 7)))
    assert service.open_periods(date(2026, 11, 30), municipality="999997") == [
        (jst(2026, 11, 30, 6, 30), jst(2026, 11, 30, 22))
    ]
    assert service.open_periods(date(2026, 12, 1)) == [(jst(2026, 12, 1, 7), jst(2026, 12, 1, 23))]


def test_a_stop_in_the_middle_of_the_day_splits_it() -> None:
    stop = {
        "start": datetime(2026, 11, 24, 12, tzinfo=OFFSET_9),
        "end": datetime(2026, 11, 24, 3, 30, tzinfo=UTC),
    }
    service = calendar({"stops": [stop]})
    assert service.open_periods(date(2026, 11, 24)) == [
        (jst(2026, 11, 24, 6, 30), jst(2026, 11, 24, 12)),
        (jst(2026, 11, 24, 12, 30), jst(2026, 11, 24, 23)),
    ]
    assert_decision(service.decide(jst(2026, 11, 24, 11, 49)), opened(jst(2026, 11, 24, 12)))
    assert_decision(
        service.decide(jst(2026, 11, 24, 11, 50)), closed(Reason.MAINTENANCE, jst(2026, 11, 24, 12, 30))
    )
    assert_decision(
        service.decide(jst(2026, 11, 24, 12, 10)), closed(Reason.MAINTENANCE, jst(2026, 11, 24, 12, 30))
    )
    assert_decision(service.decide(jst(2026, 11, 24, 12, 30)), opened(jst(2026, 11, 24, 23)))


def test_national_holiday_closes_koseki_but_not_juminhyo() -> None:
    service = calendar(TOWN)
    holiday = jst(2026, 11, 23, 10)
    assert_decision(
        service.decide(holiday, municipality="999997", document="juminhyo"), opened(jst(2026, 11, 23, 23))
    )
    assert_decision(
        service.decide(holiday, municipality="999997", document="koseki"),
        closed(Reason.HOLIDAY, jst(2026, 11, 24, 9)),
    )
    # without a municipality a document has no hours of its own
    assert_decision(service.decide(holiday, document="koseki"), opened(jst(2026, 11, 23, 23)))


def test_koseki_hours_weekdays_and_cutoff() -> None:
    service = calendar(TOWN)
    koseki = {"municipality": "999997", "document": "koseki"}
    assert jst(2026, 11, 28).weekday() == 5
    assert_decision(
        service.decide(jst(2026, 11, 28, 10), **koseki), closed(Reason.DOCUMENT_HOURS, jst(2026, 11, 30, 9))
    )
    assert_decision(
        service.decide(jst(2026, 11, 29, 10), **koseki), closed(Reason.DOCUMENT_HOURS, jst(2026, 11, 30, 9))
    )
    assert_decision(
        service.decide(jst(2026, 11, 24, 8, 59), **koseki),
        closed(Reason.DOCUMENT_HOURS, jst(2026, 11, 24, 9)),
    )
    assert_decision(
        service.decide(jst(2026, 11, 24, 6, 0), **koseki), closed(Reason.DOCUMENT_HOURS, jst(2026, 11, 24, 9))
    )
    assert_decision(service.decide(jst(2026, 11, 24, 16, 49, 59), **koseki), opened(jst(2026, 11, 24, 17)))
    assert_decision(
        service.decide(jst(2026, 11, 24, 16, 50), **koseki), closed(Reason.AFTER_HOURS, jst(2026, 11, 25, 9))
    )
    assert_decision(
        service.decide(jst(2026, 11, 24, 17), **koseki), closed(Reason.DOCUMENT_HOURS, jst(2026, 11, 25, 9))
    )
    assert_decision(
        service.decide(jst(2026, 11, 24, 23, 30), **koseki),
        closed(Reason.DOCUMENT_HOURS, jst(2026, 11, 25, 9)),
    )
    assert service.open_periods(date(2026, 11, 24), **koseki) == [
        (jst(2026, 11, 24, 9), jst(2026, 11, 24, 17))
    ]
    assert service.open_periods(date(2026, 11, 28), **koseki) == []


def test_holiday_overrides_apply() -> None:
    service = calendar(TOWN)
    assert service.holiday_name(date(2027, 5, 6)) == "臨時の休日"
    assert service.holiday_name(date(2027, 5, 5)) is None
    assert service.holiday_name(date(2027, 1, 1)) == "元日"
    assert service.holidays_in(2027) == {date(2027, 1, 1): "元日", date(2027, 5, 6): "臨時の休日"}
    koseki = {"municipality": "999997", "document": "koseki"}
    assert service.decide(jst(2027, 5, 6, 10), **koseki).reason == Reason.HOLIDAY
    assert service.decide(jst(2027, 5, 5, 10), **koseki).open


def test_real_holiday_provider() -> None:
    from kiosk.holidays import LibraryHolidays

    service = ServiceCalendar(CalendarConfig.from_mapping(TOWN), LibraryHolidays())
    koseki = {"municipality": "999997", "document": "koseki"}
    # 2026-09-21 敬老の日, 09-22 国民の休日 (between two holidays), 09-23 秋分の日: all Mon-Wed
    assert_decision(
        service.decide(jst(2026, 9, 22, 10), **koseki), closed(Reason.HOLIDAY, jst(2026, 9, 24, 9))
    )
    assert service.decide(jst(2026, 11, 23, 10), **koseki).reason == Reason.HOLIDAY
    assert service.decide(jst(2026, 9, 22, 10), municipality="999997", document="inkan").open
    assert service.holidays_in(2027)[date(2027, 5, 6)] == "臨時の休日"
    assert date(2027, 5, 5) not in service.holidays_in(2027)


# -- the store --------------------------------------------------------------------------------------------


def test_store_hours_and_closed_days() -> None:
    service = calendar(STORE)
    assert [jst(2026, 11, day).weekday() for day in (22, 23, 25, 26)] == [6, 0, 2, 3]
    assert_decision(
        service.decide(jst(2026, 11, 23, 6, 45)), closed(Reason.STORE_CLOSED, jst(2026, 11, 23, 7))
    )
    assert_decision(service.decide(jst(2026, 11, 23, 7)), opened(jst(2026, 11, 23, 23)))
    assert_decision(service.decide(jst(2026, 11, 22, 21, 49)), opened(jst(2026, 11, 22, 22)))
    # the store is open at 21:55; the last start before its closing is the cutoff: after-hours
    assert_decision(
        service.decide(jst(2026, 11, 22, 21, 55)), closed(Reason.AFTER_HOURS, jst(2026, 11, 23, 7))
    )
    assert_decision(
        service.decide(jst(2026, 11, 22, 22, 30)), closed(Reason.STORE_CLOSED, jst(2026, 11, 23, 7))
    )
    # Wednesday [] (closed all day), Thursday a store closed day
    assert_decision(
        service.decide(jst(2026, 11, 25, 10)), closed(Reason.STORE_CLOSED, jst(2026, 11, 27, 6, 30))
    )
    assert_decision(
        service.decide(jst(2026, 11, 26, 10)), closed(Reason.STORE_CLOSED, jst(2026, 11, 27, 6, 30))
    )
    assert_decision(service.decide(jst(2026, 11, 24, 6, 30)), opened(jst(2026, 11, 24, 23)))
    assert service.open_periods(date(2026, 11, 22)) == [(jst(2026, 11, 22, 8), jst(2026, 11, 22, 22))]


def test_a_period_shorter_than_the_cutoff_offers_no_start() -> None:
    service = calendar({"store": {"hours": {"mon": ["22:55", "24:00"]}}})
    assert service.open_periods(date(2026, 11, 23)) == [(jst(2026, 11, 23, 22, 55), jst(2026, 11, 23, 23))]
    assert_decision(
        service.decide(jst(2026, 11, 23, 22)), closed(Reason.STORE_CLOSED, jst(2026, 11, 24, 6, 30))
    )
    assert_decision(
        service.decide(jst(2026, 11, 23, 22, 56)), closed(Reason.AFTER_HOURS, jst(2026, 11, 24, 6, 30))
    )
    assert_decision(
        service.decide(jst(2026, 11, 22, 23, 30)), closed(Reason.AFTER_HOURS, jst(2026, 11, 24, 6, 30))
    )


def test_a_store_that_never_opens_has_no_next_opening() -> None:
    days = {name: [] for name in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    service = calendar({"store": {"hours": days}})
    assert_decision(service.decide(jst(2026, 11, 24, 10)), closed(Reason.STORE_CLOSED, None))


# -- periods that run over midnight --------------------------------------------------------------------------


def test_round_the_clock_days_merge_into_one_period() -> None:
    service = calendar({"open": "00:00", "close": "24:00"})
    assert_decision(service.decide(jst(2026, 6, 1, 10)), opened(jst(2026, 12, 29)))
    assert_decision(service.decide(jst(2026, 12, 28, 23, 49, 59)), opened(jst(2026, 12, 29)))
    assert_decision(service.decide(jst(2026, 12, 28, 23, 50)), closed(Reason.AFTER_HOURS, jst(2027, 1, 4)))
    assert_decision(service.decide(jst(2027, 1, 3, 23, 59)), closed(Reason.YEAR_END, jst(2027, 1, 4)))
    assert service.open_periods(date(2026, 6, 1)) == [(jst(2026, 6, 1), jst(2026, 6, 2))]
    assert service.transaction_deadline(jst(2026, 12, 28, 23, 59)) == jst(2026, 12, 29, 0, 5)
    # a stop that begins at midnight ends the period there, and is the reason for the cutoff before it
    stopped = calendar(
        {
            "open": "00:00",
            "close": "24:00",
            "stops": [{"start": jst(2026, 6, 2), "end": jst(2026, 6, 2, 1)}],
        }
    )
    assert_decision(stopped.decide(jst(2026, 6, 1, 10)), opened(jst(2026, 6, 2)))
    assert_decision(stopped.decide(jst(2026, 6, 1, 23, 55)), closed(Reason.MAINTENANCE, jst(2026, 6, 2, 1)))


# -- untrusted clock, deadlines, misuse ---------------------------------------------------------------------


def test_an_untrusted_clock_refuses_and_promises_nothing() -> None:
    service = calendar(TOWN)
    for instant in (jst(2026, 11, 24, 10), jst(2026, 12, 30, 10), jst(2026, 11, 24, 3)):
        assert_decision(service.decide(instant, clock_trusted=False), closed(Reason.CLOCK_UNTRUSTED, None))
    assert service.decide(jst(2026, 11, 24, 10), municipality="999997", clock_trusted=False).to_dict() == {
        "open": False,
        "reason": "clock-untrusted",
        "closes_at": None,
        "next_open": None,
    }


def test_transaction_deadline_adds_the_grace_to_the_period_end() -> None:
    service = calendar(TOWN)
    assert service.transaction_deadline(jst(2026, 11, 24, 22, 49)) == jst(2026, 11, 24, 23, 5)
    assert service.transaction_deadline(datetime(2026, 11, 24, 13, 55, tzinfo=UTC)) == jst(
        2026, 11, 24, 23, 5
    )
    assert service.transaction_deadline(jst(2026, 11, 30, 21, 49), municipality="999997") == jst(
        2026, 11, 30, 22, 5
    )
    koseki = {"municipality": "999997", "document": "koseki"}
    assert service.transaction_deadline(jst(2026, 11, 24, 16), **koseki) == jst(2026, 11, 24, 17, 5)
    assert calendar({"grace_minutes": 0}).transaction_deadline(jst(2026, 11, 24, 7)) == jst(2026, 11, 24, 23)
    for outside in (jst(2026, 11, 24, 6), jst(2026, 11, 24, 23), jst(2026, 12, 30, 12)):
        with pytest.raises(ValueError, match="not within an open period"):
            service.transaction_deadline(outside)
    with pytest.raises(ValueError, match="not within an open period"):
        service.transaction_deadline(jst(2026, 11, 24, 18), **koseki)


def test_misuse_is_refused() -> None:
    service = calendar(TOWN)
    with pytest.raises(ValueError, match="timezone-aware"):
        service.decide(datetime(2026, 11, 24, 10))
    with pytest.raises(ValueError, match="timezone-aware"):
        service.transaction_deadline(datetime(2026, 11, 24, 10))
    with pytest.raises(ConfigError) as caught:
        service.decide(jst(2026, 11, 24, 10), municipality="123456")
    assert (caught.value.path, caught.value.key, caught.value.problem) == (
        "test.toml",
        "calendar.municipalities.123456",
        "unknown municipality",
    )
    with pytest.raises(ValueError, match="unknown document type"):
        service.decide(jst(2026, 11, 24, 10), document="passport")
    with pytest.raises(ValueError, match="unknown document type"):
        service.open_periods(date(2026, 11, 24), municipality="999997", document="passport")


# -- zones ------------------------------------------------------------------------------------------------


@pytest.fixture
def foreign_system_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("foreign_system_zone")
def test_the_system_zone_does_not_matter() -> None:
    assert os.environ["TZ"] == "America/Los_Angeles"
    service = calendar()
    assert_decision(service.decide(jst(2026, 11, 24, 6, 30)), opened(jst(2026, 11, 24, 23)))
    assert_decision(
        service.decide(jst(2026, 11, 24, 22, 50)), closed(Reason.AFTER_HOURS, jst(2026, 11, 25, 6, 30))
    )


def test_a_zone_with_daylight_saving_time() -> None:
    # 2026-03-08 02:00 EST jumps to 03:00 EDT; 2026-11-01 02:00 EDT falls back to 01:00 EST.
    service = calendar({"time_zone": "America/New_York", "open": "02:30", "close": "23:00"})
    periods = service.open_periods(date(2026, 3, 8))
    assert periods == [(datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 3, 9, 3, tzinfo=UTC))]
    assert periods[0][0].tzinfo is NEW_YORK and periods[0][0].hour == 3
    before = service.decide(datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC))
    assert (before.reason, before.next_open) == (Reason.BEFORE_HOURS, datetime(2026, 3, 8, 7, tzinfo=UTC))
    assert service.decide(datetime(2026, 3, 8, 7, tzinfo=UTC)).open
    # an ambiguous opening time is its first occurrence (fold=0)
    fall = calendar({"time_zone": "America/New_York", "open": "01:30", "close": "23:00"})
    # (compared in UTC: PEP 495 makes an ambiguous local time unequal to every instant of another zone)
    assert fall.open_periods(date(2026, 11, 1))[0][0].astimezone(UTC) == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )
    assert fall.decide(datetime(2026, 11, 1, 6, 15, tzinfo=UTC)).open  # 01:15 EST, the second 01:15
    # a 23-hour day, round the clock
    whole = calendar({"time_zone": "America/New_York", "open": "00:00", "close": "24:00"})
    ((start, end),) = whole.open_periods(date(2026, 3, 8))
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)  # same-zone "-" is wall-clock


def test_a_skipped_midnight_opens_at_the_end_of_the_gap() -> None:
    # America/Santiago skipped 2022-09-11 00:00-00:59 (clocks went from 24:00 to 01:00).
    service = calendar({"time_zone": "America/Santiago", "open": "00:00", "close": "24:00"})
    ((start, _),) = service.open_periods(date(2022, 9, 11))
    assert (start.hour, start.minute, start.utcoffset()) == (1, 0, timedelta(hours=-3))


# -- cost ------------------------------------------------------------------------------------------------


def test_decide_is_fast_once_warm() -> None:
    service = calendar(TOWN)
    instants = [jst(2026, 11, 24, 6) + timedelta(minutes=7 * index) for index in range(500)]
    for instant in instants:
        service.decide(instant, municipality="999997", document="koseki")
    started = time.perf_counter()
    for instant in instants:
        service.decide(instant, municipality="999997", document="koseki")
        service.decide(instant)
    per_call = (time.perf_counter() - started) / (2 * len(instants))
    assert per_call < 0.001  # measured well under 0.1 ms; generous for slow CI machines
