"""The `[calendar]` table: a valid one loads whole; every problem names the file and the exact key path."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk.calendar_config import (
    CalendarConfig,
    DayRange,
    StoreHours,
    format_minutes,
    load_calendar_config,
)
from kiosk.errors import ConfigError

JST = timezone(timedelta(hours=9))

FULL = """\
[terminal]
id = "T0001"

[backend]
url = "https://127.0.0.1:8443"

[calendar]
time_zone = "Asia/Tokyo"
open = "06:30"
close = "23:00"
year_end = { from = "12-29", to = "01-03" }
last_start_minutes = 10
grace_minutes = 5

[calendar.store]
hours = { mon = ["07:00", "23:00"], sun = ["08:00", "22:00"], sat = [] }
closed = [2026-12-31]

[[calendar.stops]]
start = 2026-12-01T02:00:00+09:00
end = 2026-12-01T07:00:00+09:00

[[calendar.stops]]
start = 2026-12-01T07:00:00+09:00   # touching the previous stop is not overlapping
end = 2026-12-01T08:00:00+09:00

[calendar.holidays]
add = [{ date = 2027-05-06, name = "臨時の休日" }]
remove = [2027-05-05]

[calendar.municipalities."999997"]
closed = [2027-01-15, { from = 2026-12-28, to = 2027-01-05 }]
maintenance = [{ start = 2026-11-30T22:00:00+09:00, end = 2026-12-01T06:00:00+09:00 }]

[calendar.municipalities."999997".documents.koseki]
open = "09:00"
close = "17:00"
weekdays_only = true
on_holidays = false

[calendar.municipalities."999997".documents.fuhyo]
close = "24:00"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, calendar_text: str) -> ConfigError:
    path = _write(tmp_path, "[terminal]\nid = 'T0001'\n\n[calendar]\n" + calendar_text)
    with pytest.raises(ConfigError) as caught:
        load_calendar_config(path)
    assert caught.value.path == str(path)
    return caught.value


def test_full_example_loads_every_key(tmp_path: Path) -> None:
    config = load_calendar_config(_write(tmp_path, FULL))
    assert config.source == str(tmp_path / "kiosk.toml")
    assert (config.time_zone, config.open, config.close) == ("Asia/Tokyo", 390, 1380)
    assert (config.year_end.first, config.year_end.last) == ("12-29", "01-03")
    assert (config.last_start_minutes, config.grace_minutes) == (10, 5)
    assert config.store.hours.span(0) == (420, 1380)  # Monday
    assert config.store.hours.span(1) == (0, 1440)  # Tuesday: absent, open all day
    assert config.store.hours.span(5) is None  # Saturday: [] closed all day
    assert config.store.hours.span(6) == (480, 1320)
    assert config.store.closed == (date(2026, 12, 31),)
    assert [(stop.start, stop.end) for stop in config.stops] == [
        (datetime(2026, 12, 1, 2, tzinfo=JST), datetime(2026, 12, 1, 7, tzinfo=JST)),
        (datetime(2026, 12, 1, 7, tzinfo=JST), datetime(2026, 12, 1, 8, tzinfo=JST)),
    ]
    assert config.holidays.added() == {date(2027, 5, 6): "臨時の休日"}
    assert config.holidays.remove == (date(2027, 5, 5),)
    town = config.municipality("999997")
    assert [(entry.first, entry.last) for entry in town.closed] == [
        (date(2027, 1, 15), date(2027, 1, 15)),
        (date(2026, 12, 28), date(2027, 1, 5)),
    ]
    assert town.closed_on(date(2027, 1, 1)) and town.closed_on(date(2027, 1, 15))
    assert not town.closed_on(date(2027, 1, 6))
    assert town.maintenance[0].end.astimezone(UTC) == datetime(2026, 11, 30, 21, tzinfo=UTC)
    koseki = town.documents["koseki"]
    assert (koseki.open, koseki.close, koseki.weekdays_only, koseki.on_holidays) == (540, 1020, True, False)
    fuhyo = town.documents["fuhyo"]
    assert (fuhyo.open, fuhyo.close, fuhyo.weekdays_only, fuhyo.on_holidays) == (0, 1440, False, True)


def test_no_calendar_table_gives_the_defaults(tmp_path: Path) -> None:
    config = load_calendar_config(_write(tmp_path, "[terminal]\nid = 'T0001'\n"))
    assert config.model_dump() == CalendarConfig().model_dump()
    assert (config.time_zone, format_minutes(config.open), format_minutes(config.close)) == (
        "Asia/Tokyo",
        "06:30",
        "23:00",
    )
    assert (config.last_start_minutes, config.grace_minutes) == (10, 5)
    assert config.year_end.contains(date(2026, 12, 29)) and config.year_end.contains(date(2027, 1, 3))
    assert not config.year_end.contains(date(2026, 12, 28)) and not config.year_end.contains(date(2027, 1, 4))
    assert config.stops == () and config.municipalities == {}


def test_from_mapping_names_its_source() -> None:
    with pytest.raises(ConfigError) as caught:
        CalendarConfig.from_mapping({"open": "25:00"}, source="inline")
    assert (caught.value.path, caught.value.key) == ("inline", "calendar.open")


def test_the_config_is_frozen() -> None:
    config = CalendarConfig.from_mapping({"stops": []})
    with pytest.raises(ValueError, match="frozen"):
        config.open = 0  # type: ignore[misc]
    assert isinstance(config.stops, tuple)


def test_unknown_municipality_is_a_config_error(tmp_path: Path) -> None:
    config = load_calendar_config(_write(tmp_path, FULL))
    with pytest.raises(ConfigError) as caught:
        config.municipality("123456")
    error = caught.value
    assert (error.path, error.key, error.problem) == (
        str(tmp_path / "kiosk.toml"),
        "calendar.municipalities.123456",
        "unknown municipality",
    )


def test_year_end_wraps_or_not() -> None:
    wrapping = CalendarConfig.from_mapping({"year_end": {"from": "12-30", "to": "01-02"}}).year_end
    assert [wrapping.contains(date(2027, 12, day)) for day in (29, 30, 31)] == [False, True, True]
    assert [wrapping.contains(date(2027, 1, day)) for day in (1, 2, 3)] == [True, True, False]
    inside = CalendarConfig.from_mapping({"year_end": {"from": "02-28", "to": "03-01"}}).year_end
    assert inside.contains(date(2028, 2, 29)) and inside.contains(date(2027, 3, 1))
    assert not inside.contains(date(2027, 2, 27)) and not inside.contains(date(2027, 3, 2))


def test_store_hours_and_ranges_helpers() -> None:
    assert StoreHours().span(3) == (0, 1440)
    single = DayRange.model_validate(date(2027, 1, 15))
    assert (single.first, single.last) == (date(2027, 1, 15), date(2027, 1, 15))
    assert format_minutes(1440) == "24:00" and format_minutes(5) == "00:05"


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        # the daily window
        ('open = "10:00"\nclose = "09:00"', "calendar.close", "must be after open"),
        ('open = "10:00"\nclose = "10:00"', "calendar.close", "must be after open"),
        ('close = "24:01"', "calendar.close", "must be a time"),
        ('close = "25:00"', "calendar.close", "must be a time"),
        ('open = "24:00"', "calendar.open", "must be a time"),
        ('open = "6:30"', "calendar.open", '"HH:MM"'),
        ('open = "06:30:00"', "calendar.open", '"HH:MM"'),
        ("open = 06:30:00", "calendar.open", '"HH:MM"'),
        ("open = 630", "calendar.open", '"HH:MM"'),
        ('open = "０６:３０"', "calendar.open", '"HH:MM"'),
        # zone and minutes
        ('time_zone = "Mars/Olympus_Mons"', "calendar.time_zone", "unknown time zone"),
        ('time_zone = "../../etc/passwd"', "calendar.time_zone", "unknown time zone"),
        ('time_zone = "America"', "calendar.time_zone", "unknown time zone"),
        ("last_start_minutes = 121", "calendar.last_start_minutes", "less than or equal to 120"),
        ("last_start_minutes = -1", "calendar.last_start_minutes", "greater than or equal to 0"),
        ('last_start_minutes = "10"', "calendar.last_start_minutes", "must be an integer"),
        ("last_start_minutes = 10.0", "calendar.last_start_minutes", "must be an integer"),
        ("grace_minutes = 61", "calendar.grace_minutes", "less than or equal to 60"),
        ("grace_minutes = true", "calendar.grace_minutes", "must be an integer"),
        # year end
        ('year_end = { from = "12-29", to = "13-01" }', "calendar.year_end.to", "real month and day"),
        ('year_end = { from = "12-29", to = "1-3" }', "calendar.year_end.to", '"MM-DD"'),
        ('year_end = { from = "12-32", to = "01-03" }', "calendar.year_end.from", "real month and day"),
        ('year_end = { from = "02-30", to = "03-01" }', "calendar.year_end.from", "real month and day"),
        ('year_end = { from = "12-29", to = "12-29" }', "calendar.year_end.to", "must differ from from"),
        ('year_end = { from = "12-29", until = "01-03" }', "calendar.year_end.until", "unknown key"),
        ("year_end = 2026-12-29", "calendar.year_end", "must be a table"),
        # store
        (
            '[calendar.store]\nhours = { mon = ["23:00", "07:00"] }',
            "calendar.store.hours.mon",
            "after opening",
        ),
        (
            '[calendar.store]\nhours = { mon = ["07:00", "07:00"] }',
            "calendar.store.hours.mon",
            "after opening",
        ),
        ('[calendar.store]\nhours = { tue = ["07:00"] }', "calendar.store.hours.tue", '"HH:MM"'),
        ('[calendar.store]\nhours = { wed = ["7", "23:00"] }', "calendar.store.hours.wed", '"HH:MM"'),
        ("[calendar.store]\nhours = { monday = [] }", "calendar.store.hours.monday", "unknown key"),
        ('[calendar.store]\nclosed = ["2026-12-31"]', "calendar.store.closed[0]", "must be a date"),
        ("[calendar.store]\nclosed = [2026-12-31T00:00:00]", "calendar.store.closed[0]", "must be a date"),
        ("[calendar.store]\nclosed = 2026-12-31", "calendar.store.closed", "must be an array"),
        # operator stops
        (
            "[[calendar.stops]]\nstart = 2026-12-01T07:00:00+09:00\nend = 2026-12-01T02:00:00+09:00",
            "calendar.stops[0].end",
            "must be after start",
        ),
        (
            "[[calendar.stops]]\nstart = 2026-12-01T07:00:00+09:00\nend = 2026-12-01T07:00:00+09:00",
            "calendar.stops[0].end",
            "must be after start",
        ),
        (
            "[[calendar.stops]]\nstart = 2026-12-01T02:00:00\nend = 2026-12-01T07:00:00+09:00",
            "calendar.stops[0].start",
            "must have a UTC offset",
        ),
        (
            "[[calendar.stops]]\nstart = 2026-12-01T02:00:00+09:00\nend = 2026-12-01",
            "calendar.stops[0].end",
            "date-time with a UTC offset",
        ),
        (
            "[[calendar.stops]]\nstart = 2026-12-01T02:00:00+09:00\nend = 2026-12-01T07:00:00+09:00\n"
            "[[calendar.stops]]\nstart = 2026-12-01T06:59:00+09:00\nend = 2026-12-01T08:00:00+09:00",
            "calendar.stops[1]",
            "overlaps stops[0]",
        ),
        (
            "[[calendar.stops]]\nstart = 2026-12-01T02:00:00+09:00\nend = 2026-12-01T07:00:00+09:00\n"
            "[[calendar.stops]]\nstart = 2026-11-30T17:00:00Z\nend = 2026-11-30T18:00:00Z",
            "calendar.stops[1]",
            "overlaps stops[0]",
        ),
        ("[[calendar.stops]]\nstart = 2026-12-01T02:00:00+09:00", "calendar.stops[0].end", "missing"),
        # holiday overrides
        (
            '[calendar.holidays]\nadd = [{ date = 2027-05-06, name = "臨時" }]\nremove = [2027-05-06]',
            "calendar.holidays.remove[0]",
            "also added",
        ),
        (
            '[calendar.holidays]\nadd = [{ date = 2027-05-06, name = "a" },\n'
            '  { date = 2027-05-06, name = "b" }]',
            "calendar.holidays.add[1].date",
            "added twice",
        ),
        ("[calendar.holidays]\nremove = [2027-05-05, 2027-05-05]", "calendar.holidays.remove[1]", "twice"),
        (
            '[calendar.holidays]\nadd = [{ date = 2027-05-06, name = "" }]',
            "calendar.holidays.add[0].name",
            "at",
        ),
        ("[calendar.holidays]\nadd = [{ date = 2027-05-06 }]", "calendar.holidays.add[0].name", "missing"),
        # municipalities
        ('[calendar.municipalities."99999"]', "calendar.municipalities.99999", "6-digit"),
        ('[calendar.municipalities."99999a"]', "calendar.municipalities.99999a", "6-digit"),
        ('[calendar.municipalities."９９９９９７"]', "calendar.municipalities.９９９９９７", "6-digit"),
        (
            '[calendar.municipalities."999997"]\n'
            "closed = [2027-01-15, { from = 2027-01-05, to = 2026-12-28 }]",
            "calendar.municipalities.999997.closed[1].to",
            "must be after from",
        ),
        (
            '[calendar.municipalities."999997"]\nclosed = [{ from = 2027-01-05, to = 2027-01-05 }]',
            "calendar.municipalities.999997.closed[0].to",
            "must be after from",
        ),
        (
            '[calendar.municipalities."999997"]\n'
            "closed = [{ from = 2026-12-28, to = 2027-01-05 }, { from = 2027-01-05, to = 2027-01-10 }]",
            "calendar.municipalities.999997.closed[1]",
            "overlaps closed[0]",
        ),
        (
            '[calendar.municipalities."999997"]\n'
            "closed = [{ from = 2026-12-28, to = 2027-01-05 }, 2027-01-01]",
            "calendar.municipalities.999997.closed[1]",
            "overlaps closed[0]",
        ),
        (
            '[calendar.municipalities."999997"]\nclosed = [{ from = 2026-12-28 }]',
            "calendar.municipalities.999997.closed[0].to",
            "missing",
        ),
        (
            '[calendar.municipalities."999997"]\nclosed = ["2027-01-15"]',
            "calendar.municipalities.999997.closed[0]",
            "must be a table",
        ),
        (
            '[calendar.municipalities."999997"]\nmaintenance = [{ start = 2026-12-01T06:00:00+09:00, '
            "end = 2026-11-30T22:00:00+09:00 }]",
            "calendar.municipalities.999997.maintenance[0].end",
            "must be after start",
        ),
        (
            '[calendar.municipalities."999997"]\nmaintenance = [{ start = 2026-11-30T22:00:00+09:00, '
            "end = 2026-12-01T06:00:00 }]",
            "calendar.municipalities.999997.maintenance[0].end",
            "must have a UTC offset",
        ),
        (
            '[calendar.municipalities."999997"]\nmaintenance = ['
            "{ start = 2026-11-30T22:00:00+09:00, end = 2026-12-01T06:00:00+09:00 }, "
            "{ start = 2026-12-01T05:00:00+09:00, end = 2026-12-01T07:00:00+09:00 }]",
            "calendar.municipalities.999997.maintenance[1]",
            "overlaps maintenance[0]",
        ),
        (
            '[calendar.municipalities."999997".documents.passport]\nopen = "09:00"',
            "calendar.municipalities.999997.documents.passport",
            "unknown document type",
        ),
        (
            '[calendar.municipalities."999997".documents.koseki]\nopen = "17:00"\nclose = "09:00"',
            "calendar.municipalities.999997.documents.koseki.close",
            "must be after open",
        ),
        (
            '[calendar.municipalities."999997".documents.koseki]\nclose = "24:30"',
            "calendar.municipalities.999997.documents.koseki.close",
            "must be a time",
        ),
        (
            '[calendar.municipalities."999997".documents.koseki]\nweekdays_only = "yes"',
            "calendar.municipalities.999997.documents.koseki.weekdays_only",
            "true or false",
        ),
        (
            '[calendar.municipalities."999997".documents.koseki]\nsaturdays = false',
            "calendar.municipalities.999997.documents.koseki.saturdays",
            "unknown key",
        ),
        (
            '[calendar.municipalities."999997"]\nhours = 1',
            "calendar.municipalities.999997.hours",
            "unknown key",
        ),
        # anything else
        ('colse = "23:00"', "calendar.colse", "unknown key"),
    ],
)
def test_bad_values_name_the_exact_key(tmp_path: Path, text: str, key: str, problem: str) -> None:
    error = _error(tmp_path, text + "\n")
    assert error.key == key
    assert problem in error.problem


def test_problems_do_not_echo_values(tmp_path: Path) -> None:
    error = _error(tmp_path, 'time_zone = "Secret/hunter2"\n')
    assert "hunter2" not in str(error)
    error = _error(tmp_path, '[calendar.holidays]\nadd = [{ date = 2027-05-06, name = "x\\u0007hunter2" }]\n')
    assert error.key == "calendar.holidays.add[0].name"
    assert "hunter2" not in str(error)


def test_calendar_must_be_a_table(tmp_path: Path) -> None:
    path = _write(tmp_path, 'calendar = "always"\n')
    with pytest.raises(ConfigError) as caught:
        load_calendar_config(path)
    assert (caught.value.path, caught.value.key, caught.value.problem) == (
        str(path),
        "calendar",
        "must be a table",
    )


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_calendar_config(tmp_path / "absent.toml")
    assert (caught.value.key, caught.value.problem) == (None, "missing")
    broken = _write(tmp_path, "[calendar\nopen = '06:30'\n")
    with pytest.raises(ConfigError, match="not valid TOML") as caught:
        load_calendar_config(broken)
    assert caught.value.path == str(broken)
    with pytest.raises(ConfigError, match="directory"):
        load_calendar_config(tmp_path)
